package chart

import (
	"slices"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestDomainTakesZeroFixedBoundsAndEveryValue(t *testing.T) {
	for _, c := range []struct {
		name           string
		values         []*float64
		lo, hi         float64
		wantLo, wantHi float64
	}{
		{"no values, no bounds", nil, 0, 0, 0, 1},
		{"only missing values", []*float64{nil, nil}, 0, 0, 0, 1},
		{"positive values start at zero", []*float64{f(3), f(8)}, 0, 0, 0, 8},
		{"negative values reach below zero", []*float64{f(-4), f(2)}, 0, 0, -4, 2},
		{"all zero", []*float64{f(0)}, 0, 0, 0, 1},
		{"fixed bounds kept", []*float64{f(40)}, 0, 100, 0, 100},
		{"the survey's scale", []*float64{f(3.2)}, 1, 6, 1, 6},
		{"a value over the bounds widens them", []*float64{f(120)}, 0, 100, 0, 120},
	} {
		lo, hi := Domain(c.values, c.lo, c.hi)
		if lo != c.wantLo || hi != c.wantHi {
			t.Errorf("%s: [%v, %v], want [%v, %v]", c.name, lo, hi, c.wantLo, c.wantHi)
		}
	}
}

func TestScaleAndTicks(t *testing.T) {
	s := Scale{Min: 0, Max: 100, From: 210, To: 22}
	if s.At(0) != 210 || s.At(100) != 22 || s.At(50) != 116 {
		t.Errorf("scale: %v %v %v", s.At(0), s.At(100), s.At(50))
	}
	if (Scale{Min: 5, Max: 5, From: 3, To: 9}).At(5) != 3 {
		t.Error("a domain of no width must not divide by zero")
	}
	if got := Ticks(0, 100, 4); !slices.Equal(got, []float64{0, 20, 40, 60, 80, 100}) {
		t.Errorf("ticks 0..100: %v", got)
	}
	if got := Ticks(1, 6, 4); !slices.Equal(got, []float64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("ticks 1..6: %v", got)
	}
	if got := Ticks(-4, 2, 3); !slices.Equal(got, []float64{-4, -2, 0, 2}) {
		t.Errorf("ticks -4..2: %v", got)
	}
	if Ticks(3, 3, 4) != nil || Ticks(0, 1, 0) != nil {
		t.Error("no ticks for an empty range")
	}
}

func TestBarsStartAtZeroAndGoLeftWhenNegative(t *testing.T) {
	v := Bars{Values: []Value{{Label: "a", Value: f(50), Text: "50"}, {Label: "b", Value: f(-25), Text: "-25"},
		{Label: "c", Note: "tersembunyi"}}}.layout()
	// Domain -25..50 over 0..410: zero at 136.7.
	if v.Rows[0].X != "136.7" || v.Rows[0].W != "273.3" || v.Rows[0].Anchor != "start" {
		t.Errorf("positive bar: %+v", v.Rows[0])
	}
	if v.Rows[1].X != "0" || v.Rows[1].W != "136.7" {
		t.Errorf("negative bar: %+v", v.Rows[1])
	}
	if v.Rows[2].W != "0" || v.Rows[2].X != "136.7" {
		t.Errorf("missing value: %+v", v.Rows[2])
	}
	if v.Height != "144" { // 8 + 3×40 + 16
		t.Errorf("height %s", v.Height)
	}
}

func TestBarsOnAFixedScaleStartAtItsBeginning(t *testing.T) {
	v := Bars{Min: 1, Max: 6, Values: []Value{{Label: "a", Value: f(3.5)}}}.layout()
	if v.Rows[0].X != "0" || v.Rows[0].W != "205" { // 2.5/5 of 410
		t.Errorf("bar on 1..6: %+v", v.Rows[0])
	}
	if empty := (Bars{}).layout(); len(empty.Rows) != 0 || empty.Height != "24" {
		t.Errorf("no bars: %+v", empty)
	}
}

func TestLineBreaksAtMissingValuesAndCentresOnePoint(t *testing.T) {
	l := Line{Min: 0, Max: 100, Labels: []string{"Q1", "Q2", "Q3", "Q4"}, Series: []Series{{Name: "x",
		Values: []Value{{Value: f(0)}, {Value: f(100)}, {}, {Value: f(50)}}}}}
	v := l.layout()
	// x from 36 to 448 in three steps; y from 210 (0) to 22 (100).
	if got := v.Paths[0].D; got != "M36 210 L173.3 22 M448 116" {
		t.Errorf("path %q", got)
	}
	if len(v.Paths[0].Points) != 3 || len(v.Rows) != 4 {
		t.Errorf("points %d, rows %d", len(v.Paths[0].Points), len(v.Rows))
	}
	one := Line{Labels: []string{"Q3"}, Series: []Series{{Values: []Value{{Value: f(7)}}}}}.layout()
	if one.Paths[0].D != "M242 22" {
		t.Errorf("one point: %q", one.Paths[0].D)
	}
	none := Line{Labels: []string{"Q3"}, Series: []Series{{Values: []Value{{}}}}}.layout()
	if none.Paths[0].D != "" || len(none.Paths[0].Points) != 0 {
		t.Errorf("no data: %+v", none.Paths[0])
	}
}

func TestHTMLEscapesLabelsAndCarriesItsTable(t *testing.T) {
	name := `Dottoro'ta <script>alert(1)</script> & Nur'aini`
	html, err := Bars{Title: "Indeks", Desc: "per OPD", LabelHead: "OPD", ValueHead: "Indeks",
		Values: []Value{{Label: name, Value: f(61.5), Text: "61,5"}, {Label: "Kosong", Note: "tidak ada data"}}}.HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{`role="img"`, "<title id=", "<desc id=", `class="visually-hidden"`, "61,5", "tidak ada data",
		"Dottoro&#39;ta &lt;script&gt;alert(1)&lt;/script&gt; &amp; Nur&#39;aini", `<th scope="row">`} {
		if !strings.Contains(s, want) {
			t.Errorf("bars lack %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("a label was not escaped")
	}
	line, err := Line{Title: "Tren", LabelHead: "Periode", Labels: []string{"2026-Q2", "2026-Q3"}, Series: []Series{
		{Name: "Dinas", Print: true, Mark: true, Values: []Value{{Value: f(40), Text: "40,0"}, {Value: f(45), Text: "45,0"}}},
		{Name: "Kota", Values: []Value{{Value: f(50), Text: "50,0"}, {Note: "tidak ada data"}}}}}.HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<path d=\"M36 ", "45,0", `viewBox="0 0 480 240"`, `class="legend"`, "<td>tidak ada data</td>", `aria-labelledby="chart-`} {
		if !strings.Contains(string(line), want) {
			t.Errorf("line lacks %q:\n%s", want, line)
		}
	}
}
