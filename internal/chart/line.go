package chart

// Line is a line chart over categories (periods, oldest first): one line
// per series, a gap where a value is missing, each point's value printed
// above it for the series that ask for it.
type Line struct {
	Title, Desc string
	// LabelHead heads the hidden table's first column (e.g. "Periode").
	LabelHead string
	Labels    []string
	Series    []Series
	// Min and Max fix the scale when Min < Max (e.g. 0..100).
	Min, Max float64
}

// Series is one line: Values in the order of Line.Labels.
type Series struct {
	Name   string
	Values []Value
	// Print writes each point's value on the chart; Mark draws the line
	// in the accent colour (the subject, against the city in grey).
	Print, Mark bool
}

// Line geometry, in viewBox units.
const (
	lineHeight = 240.0
	lineLeft   = 36.0
	lineRight  = 32.0
	lineTop    = 22.0
	lineBottom = 30.0
)

type lineView struct {
	Line
	Height string
	Grid   []gridLine
	Ticks  []axisLabel
	Paths  []linePath
	Rows   []lineRow // the hidden table: one row per label
}

type axisLabel struct{ X, Y, Text string }

type linePath struct {
	Series
	// D is the path: a new segment (M) after every missing value.
	D      string
	Points []linePoint
}

type linePoint struct {
	Value
	X, Y, TextY string
}

type lineRow struct {
	Label string
	Cells []string
}

// x returns the position of the i-th of n labels: spread over the plot,
// a lone one in its middle.
func lineX(i, n int) float64 {
	w := Width - lineLeft - lineRight
	if n <= 1 {
		return lineLeft + w/2
	}
	return lineLeft + w*float64(i)/float64(n-1)
}

// layout computes the lines' paths, points, grid and axis labels.
func (l Line) layout() lineView {
	var vals []*float64
	for _, s := range l.Series {
		for _, v := range s.Values {
			vals = append(vals, v.Value)
		}
	}
	min, max := Domain(vals, l.Min, l.Max)
	ys := Scale{Min: min, Max: max, From: lineHeight - lineBottom, To: lineTop}
	v := lineView{Line: l, Height: num(lineHeight)}
	for _, t := range Ticks(min, max, 4) {
		y := num(ys.At(t))
		v.Grid = append(v.Grid, gridLine{X1: num(lineLeft), X2: num(Width - lineRight), Y1: y, Y2: y,
			Text: num(t), TextX: num(lineLeft - 6), TextY: num(ys.At(t) + 4)})
	}
	n := len(l.Labels)
	for i, label := range l.Labels {
		v.Ticks = append(v.Ticks, axisLabel{X: num(lineX(i, n)), Y: num(lineHeight - 8), Text: label})
		row := lineRow{Label: label}
		for _, s := range l.Series {
			text := ""
			if i < len(s.Values) {
				text = s.Values[i].Text
				if s.Values[i].Value == nil {
					text = s.Values[i].Note // "tidak ada data", not an empty cell
				}
			}
			row.Cells = append(row.Cells, text)
		}
		v.Rows = append(v.Rows, row)
	}
	for _, s := range l.Series {
		p := linePath{Series: s}
		pen := "M"
		for i, val := range s.Values {
			if i >= n || val.Value == nil {
				pen = "M"
				continue
			}
			x, y := lineX(i, n), ys.At(*val.Value)
			p.D += pen + num(x) + " " + num(y) + " "
			pen = "L"
			p.Points = append(p.Points, linePoint{Value: val, X: num(x), Y: num(y), TextY: num(y - 8)})
		}
		if p.D != "" {
			p.D = p.D[:len(p.D)-1]
		}
		v.Paths = append(v.Paths, p)
	}
	return v
}
