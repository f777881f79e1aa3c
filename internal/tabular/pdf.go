package tabular

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/pdf"
)

// Report is what heads a PDF of tables: its title, the lines under it
// (who it is about, the period), paragraphs before the tables (e.g. the
// formula) and the footer printed on every page with its number.
type Report struct {
	Title    string
	Subtitle []string
	Notes    []string
	Footer   string
	Author   string
	Created  time.Time
	// Landscape lays the pages on their side, for wide tables.
	Landscape bool
}

// The PDF's layout, in points.
const (
	pdfMargin   = 40.0
	pdfSize     = 8.0  // table text
	pdfLeading  = 10.0 // between lines of a cell
	pdfPad      = 3.0  // inside a cell
	pdfMaxShare = 0.45 // the most of the width one column takes
)

var (
	pdfGrey = pdf.Color{R: 235, G: 235, B: 235}
	pdfRule = pdf.Color{R: 160, G: 160, B: 160}
	pdfMute = pdf.Color{R: 90, G: 90, B: 90}
)

// WritePDF writes r and tables as an A4 PDF: each table under its title,
// its cells wrapped within columns sized to their content, numbers
// aligned right, and its header row repeated at the top of every page the
// table runs onto. Letters outside Latin-1 fold as internal/pdf does.
func WritePDF(w io.Writer, r Report, tables []Table) error {
	size := pdf.A4
	if r.Landscape {
		size = size.Landscape()
	}
	doc := pdf.New(pdf.Info{Title: r.Title, Author: r.Author, Subject: r.Footer, Created: r.Created})
	l := &pdfLayout{doc: doc, size: size, width: size.W - 2*pdfMargin}
	l.newPage()
	l.y = l.page.Wrap(pdfMargin, l.y+14, l.width, 19, pdf.Left, pdf.HelveticaBold, 16, pdf.Black, r.Title) - 4
	for _, s := range r.Subtitle {
		l.y = l.page.Wrap(pdfMargin, l.y, l.width, 13, pdf.Left, pdf.Helvetica, 10, pdfMute, s)
	}
	l.y += 6
	for _, n := range r.Notes {
		l.room(12)
		l.y = l.page.Wrap(pdfMargin, l.y+10, l.width, 12, pdf.Left, pdf.Helvetica, 9, pdf.Black, n)
	}
	for _, t := range tables {
		l.table(t)
	}
	pages := len(l.pages)
	for i, p := range l.pages {
		foot := fmt.Sprintf("%d / %d", i+1, pages)
		if r.Footer != "" {
			foot = r.Footer + " — " + foot
		}
		p.TextIn(pdfMargin, size.H-pdfMargin/2, l.width, pdf.Right, pdf.Helvetica, 7, pdfMute, foot)
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("tabular pdf: %w", err)
	}
	return nil
}

type pdfLayout struct {
	doc   *pdf.Doc
	size  pdf.Size
	width float64
	page  *pdf.Page
	pages []*pdf.Page
	y     float64
}

func (l *pdfLayout) newPage() {
	l.page = l.doc.AddPage(l.size)
	l.pages = append(l.pages, l.page)
	l.y = pdfMargin
}

// room starts a new page unless h more points fit on this one.
func (l *pdfLayout) room(h float64) bool {
	if l.y+h <= l.size.H-pdfMargin {
		return false
	}
	l.newPage()
	return true
}

// table writes t: its title, header and rows, breaking pages between rows.
// A row taller than a page of its own could hold (a long review finding)
// is broken between its lines instead, so none runs off the page.
func (l *pdfLayout) table(t Table) {
	cols := pdfColumns(t, l.width)
	head := make([]Cell, len(t.Header))
	for i, h := range t.Header {
		head[i] = Cell{Text: h}
	}
	headRow := layRow(head, cols, pdf.HelveticaBold, true)
	l.room(24 + headRow.height() + pdfLeading + 2*pdfPad)
	l.y = l.page.Wrap(pdfMargin, l.y+22, l.width, 14, pdf.Left, pdf.HelveticaBold, 11, pdf.Black, t.Title) - 8
	l.draw(headRow, cols, pdf.HelveticaBold, true)
	if len(t.Rows) == 0 {
		l.y = l.page.Wrap(pdfMargin+pdfPad, l.y+pdfLeading, l.width, pdfLeading, pdf.Left, pdf.HelveticaOblique, pdfSize, pdfMute, "—")
		return
	}
	bottom := l.size.H - pdfMargin
	page := bottom - pdfMargin - headRow.height() // what a page holds under the header
	for _, cells := range t.Rows {
		r, fresh := layRow(cells, cols, pdf.Helvetica, false), false
		for {
			h := r.height()
			if l.y+h <= bottom {
				l.draw(r, cols, pdf.Helvetica, false)
				break
			}
			k := int((bottom-l.y-lineHeight(1))/pdfLeading) + 1 // lines that fit here
			if h > page && (k >= 3 || fresh) {
				var here pdfRow
				here, r = r.cut(max(k, 1))
				l.draw(here, cols, pdf.Helvetica, false)
			}
			l.newPage()
			l.draw(headRow, cols, pdf.HelveticaBold, true)
			fresh = true
		}
	}
}

// pdfRow is a row's cells broken into lines in their columns.
type pdfRow struct {
	lines  [][]string
	aligns []pdf.Align
}

// layRow breaks cells into lines within cols; numbers align right.
func layRow(cells []Cell, cols []float64, f pdf.Font, header bool) pdfRow {
	r := pdfRow{lines: make([][]string, len(cols)), aligns: make([]pdf.Align, len(cols))}
	for i, w := range cols {
		if i < len(cells) {
			r.lines[i] = pdf.Lines(f, pdfSize, w-2*pdfPad, cells[i].Text)
			if numeric(cells[i].Value) && !header {
				r.aligns[i] = pdf.Right
			}
		}
	}
	return r
}

// height is the height of the row's tallest cell.
func (r pdfRow) height() float64 {
	n := 1
	for _, c := range r.lines {
		n = max(n, len(c))
	}
	return lineHeight(n)
}

// cut splits r after its first k lines.
func (r pdfRow) cut(k int) (pdfRow, pdfRow) {
	here := pdfRow{lines: make([][]string, len(r.lines)), aligns: r.aligns}
	rest := pdfRow{lines: make([][]string, len(r.lines)), aligns: r.aligns}
	for i, c := range r.lines {
		n := min(k, len(c))
		here.lines[i], rest.lines[i] = c[:n], c[n:]
	}
	return here, rest
}

// lineHeight is the height of a row of n lines.
func lineHeight(n int) float64 { return float64(n-1)*pdfLeading + pdfSize + 2*pdfPad + 2 }

// draw writes r at l.y and moves below it.
func (l *pdfLayout) draw(r pdfRow, cols []float64, f pdf.Font, header bool) {
	h := r.height()
	if header {
		l.page.Fill(pdfMargin, l.y, l.width, h, pdfGrey)
	}
	x := pdfMargin
	for i, w := range cols {
		for j, line := range r.lines[i] {
			l.page.TextIn(x+pdfPad, l.y+pdfPad+pdfSize+float64(j)*pdfLeading, w-2*pdfPad, r.aligns[i], f, pdfSize, pdf.Black, line)
		}
		x += w
	}
	l.y += h
	l.page.Line(pdfMargin, l.y, pdfMargin+l.width, l.y, 0.4, pdfRule)
}

// pdfColumns sizes the columns: each at least as wide as its longest
// word, so words are not broken, and the room left shared out by how much
// more each needs to hold its longest text on one line; none is wider than
// pdfMaxShare of the width. If even the words do not fit, they shrink
// alike and the widest words break.
func pdfColumns(t Table, width float64) []float64 {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	words, whole := make([]float64, n), make([]float64, n)
	fit := func(i int, f pdf.Font, s string) {
		whole[i] = math.Max(whole[i], pdf.Width(f, pdfSize, s))
		for _, w := range strings.Fields(s) {
			words[i] = math.Max(words[i], pdf.Width(f, pdfSize, w))
		}
	}
	for i, h := range t.Header {
		fit(i, pdf.HelveticaBold, h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			fit(i, pdf.Helvetica, c.Text)
		}
	}
	var sumWords, sumWhole float64
	for i := range n {
		words[i] = math.Min(words[i]+2*pdfPad+1, width*pdfMaxShare)
		whole[i] = math.Max(words[i], math.Min(whole[i]+2*pdfPad+1, width*pdfMaxShare))
		sumWords += words[i]
		sumWhole += whole[i]
	}
	cols := make([]float64, n)
	for i := range n {
		switch {
		case sumWhole <= width: // everything fits on one line: spread the rest
			cols[i] = whole[i] * width / sumWhole
		case sumWords >= width: // not even the words fit
			cols[i] = words[i] * width / sumWords
		default:
			cols[i] = words[i] + (whole[i]-words[i])*(width-sumWords)/(sumWhole-sumWords)
		}
	}
	return cols
}

// numeric reports whether a cell holds a number (right-aligned).
func numeric(v any) bool {
	switch v.(type) {
	case int, int64, float64:
		return true
	}
	return false
}
