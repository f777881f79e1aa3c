// Package chart draws the dashboards' charts on the server as inline SVG:
// a line over periods and horizontal bars. Geometry is computed here in
// Go and written through html/template, so every label is escaped; the
// charts need no JavaScript, print as they show, scale to a phone by
// their viewBox and carry role="img", a title, a description, the value
// of each bar or point printed on the chart and a visually hidden table
// with the same figures for screen readers.
package chart

import (
	"math"
	"strconv"
)

// Width is the viewBox width of every chart; heights follow the content.
const Width = 480.0

// Value is one figure of a chart: nil when there is none (a gap in a
// line, a bar with Note in its place; the hidden table shows Note too).
// Text is the value as the reader's language writes it.
type Value struct {
	Label string
	Value *float64
	Text  string
	Note  string
	// Mark draws the bar in the accent colour (e.g. the agency the
	// reader came from, the weakest dimension).
	Mark bool
}

// Scale maps the domain [Min, Max] onto the pixels [From, To].
type Scale struct{ Min, Max, From, To float64 }

// At returns where v falls; a domain of no width maps everything to From.
func (s Scale) At(v float64) float64 {
	if s.Max == s.Min {
		return s.From
	}
	return s.From + (v-s.Min)/(s.Max-s.Min)*(s.To-s.From)
}

// Domain returns the range a chart of values shows: the fixed bounds [lo,
// hi] when lo < hi, else zero, widened to take every value in. With
// neither bounds nor values it is [0, 1].
func Domain(values []*float64, lo, hi float64) (float64, float64) {
	min, max := lo, hi
	if lo >= hi {
		min, max = 0, 0
	}
	for _, v := range values {
		if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
			continue
		}
		min, max = math.Min(min, *v), math.Max(max, *v)
	}
	if min == max {
		max = min + 1
	}
	return min, max
}

// Ticks returns about n round values spanning [min, max] (steps of 1, 2
// or 5 times a power of ten), for grid lines.
func Ticks(min, max float64, n int) []float64 {
	if n < 1 || max <= min {
		return nil
	}
	raw := (max - min) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag // the nearest of 1, 2, 5 and 10 times mag
	switch r := raw / mag; {
	case r < 1.5:
		step = mag
	case r < 3:
		step = 2 * mag
	case r < 7:
		step = 5 * mag
	}
	var out []float64
	for v := math.Ceil(min/step) * step; v <= max+step/1e6; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// num writes a coordinate with at most one decimal.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
