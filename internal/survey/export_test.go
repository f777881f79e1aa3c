package survey

// CronbachOfValues is Cronbach's alpha of rows of values, one a response and
// one a column an item, as a statistics text computes it: each variance the
// squared distances from the mean over n−1, unrounded. ok is false when the
// totals do not vary. The tests check the results, computed from moments,
// against it.
func CronbachOfValues(rows [][]float64) (a float64, ok bool) {
	variance := func(xs []float64) float64 {
		mean := 0.0
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		ss := 0.0
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		return ss / float64(len(xs)-1)
	}
	k := len(rows[0])
	totals := make([]float64, len(rows))
	sumItemVar := 0.0
	for i := range k {
		xs := make([]float64, len(rows))
		for r, row := range rows {
			xs[r] = row[i]
			totals[r] += xs[r]
		}
		sumItemVar += variance(xs)
	}
	vt := variance(totals)
	if vt == 0 {
		return 0, false
	}
	return float64(k) / float64(k-1) * (1 - sumItemVar/vt), true
}
