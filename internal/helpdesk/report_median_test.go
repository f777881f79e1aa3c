package helpdesk

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMedianSelect checks the selected median against the sorted one, on
// values with many repeats, sorted, reversed and random.
func TestMedianSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		for _, kind := range []string{"random", "repeats", "sorted", "reversed", "equal"} {
			values := make([]float64, n)
			for i := range values {
				switch kind {
				case "random":
					values[i] = rng.Float64() * 1000
				case "repeats":
					values[i] = float64(rng.IntN(5))
				case "sorted":
					values[i] = float64(i)
				case "reversed":
					values[i] = float64(n - i)
				case "equal":
					values[i] = 7
				}
			}
			sorted := slices.Sorted(slices.Values(values))
			var want *float64
			if n > 0 {
				m := sorted[n/2]
				if n%2 == 0 {
					m = (sorted[n/2-1] + sorted[n/2]) / 2
				}
				want = &m
			}
			got := median(values)
			if (got == nil) != (want == nil) || got != nil && *got != *want {
				t.Fatalf("%s, %d values: median %v, want %v", kind, n, got, want)
			}
		}
	}
}
