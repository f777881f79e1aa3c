package chart

import "math"

// Bars is a horizontal bar chart: one bar per value, its label above it
// (long agency names fit a phone), its value printed at its end.
type Bars struct {
	Title, Desc string
	// LabelHead and ValueHead head the hidden table's columns.
	LabelHead, ValueHead string
	Values               []Value
	// Min and Max fix the scale (e.g. 0..100, or 1..6 for the survey's
	// means) when Min < Max; values outside widen it. Otherwise it runs
	// from zero to the largest value (or from the smallest, if negative).
	Min, Max float64
}

// Bar geometry, in viewBox units.
const (
	rowStep   = 40.0 // a bar's label, the bar and the space below
	barHeight = 16.0
	barTop    = 8.0
	barRight  = 70.0 // room for the value printed at a bar's end
)

// barsView is Bars laid out.
type barsView struct {
	Bars
	Height string
	Rows   []barRow
	Grid   []gridLine
}

type barRow struct {
	Value
	LabelY, X, Y, W, H, TextX, TextY, Anchor string
}

type gridLine struct{ X1, Y1, X2, Y2, Text, TextX, TextY string }

// layout computes every bar: it starts at zero when zero is within the
// scale (a negative value goes left of it), else at the scale's start.
func (b Bars) layout() barsView {
	vals := make([]*float64, len(b.Values))
	for i, v := range b.Values {
		vals[i] = v.Value
	}
	min, max := Domain(vals, b.Min, b.Max)
	s := Scale{Min: min, Max: max, From: 0, To: Width - barRight}
	base := math.Max(min, math.Min(0, max))
	h := barTop + rowStep*float64(len(b.Values)) + 16
	v := barsView{Bars: b, Height: num(h)}
	for _, t := range Ticks(min, max, 4) {
		x := num(s.At(t))
		v.Grid = append(v.Grid, gridLine{X1: x, X2: x, Y1: num(barTop), Y2: num(h - 16), Text: num(t), TextX: x, TextY: num(h - 4)})
	}
	for i, val := range b.Values {
		top := barTop + rowStep*float64(i)
		r := barRow{Value: val, LabelY: num(top + 12), Y: num(top + 18), H: num(barHeight), TextY: num(top + 31), Anchor: "start"}
		if val.Value == nil {
			r.X, r.W, r.TextX = num(s.At(base)), "0", num(s.At(base)+4)
			v.Rows = append(v.Rows, r)
			continue
		}
		x0, x1 := s.At(base), s.At(*val.Value)
		r.X, r.W = num(math.Min(x0, x1)), num(math.Abs(x1-x0))
		r.TextX = num(x1 + 6)
		if x1 < x0 {
			r.TextX, r.Anchor = num(x1-6), "end"
			if x1-6 < 40 { // no room left of the bar: print it inside
				r.TextX, r.Anchor = num(x1+4), "start"
			}
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}
