package impact

import "math"

// groupStats is a group's figures with the spread of its people's changes.
type groupStats struct {
	Group
	mean      float64 // the people's mean change, unrounded
	varChange float64 // sample variance of the people's changes
}

// group computes a group's rates per person per 30 days from the
// accounts' counts; accounts that did nothing count as zero.
func group(accounts []int64, per map[int64]perPerson, beforeDays, afterDays float64) groupStats {
	g := groupStats{Group: Group{People: len(accounts)}}
	if len(accounts) == 0 || afterDays <= 0 {
		return g
	}
	changes := make([]float64, len(accounts))
	var sum float64
	for i, id := range accounts {
		c := per[id]
		g.CountBefore += c.before
		g.CountAfter += c.after
		changes[i] = float64(c.after)/afterDays*30 - float64(c.before)/beforeDays*30
		sum += changes[i]
	}
	n := float64(len(accounts))
	g.Before = round(float64(g.CountBefore) / beforeDays * 30 / n)
	g.After = round(float64(g.CountAfter) / afterDays * 30 / n)
	mean := sum / n
	g.mean, g.Change = mean, round(mean)
	if len(accounts) > 1 {
		var ss float64
		for _, d := range changes {
			ss += (d - mean) * (d - mean)
		}
		g.varChange = ss / (n - 1)
	}
	return g
}

// judge sets the effect, its 95% interval (Welch's standard error of the
// difference of two means, normal approximation) and the verdict.
func judge(m *Measure, a, c groupStats) {
	if a.CountBefore+a.CountAfter+c.CountBefore+c.CountAfter == 0 {
		m.Verdict = NoActions
		return
	}
	effect := a.mean - c.mean
	se := math.Sqrt(a.varChange/float64(a.People) + c.varChange/float64(c.People))
	lo, hi := round(effect-1.96*se), round(effect+1.96*se)
	effect = round(effect)
	m.Effect, m.Low, m.High = &effect, &lo, &hi
	better := func(x float64) bool { return (m.Better == "lower") == (x < 0) }
	switch {
	case lo > 0 || hi < 0:
		if better(effect) {
			m.Verdict = Improved
		} else {
			m.Verdict = Worsened
		}
	default:
		m.Verdict = Unclear
	}
}

// round keeps two decimals, enough for a rate per 30 days.
func round(f float64) float64 { return math.Round(f*100) / 100 }
