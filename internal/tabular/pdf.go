package tabular

import (
	"fmt"
	"io"
	"math"
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
func (l *pdfLayout) table(t Table) {
	cols := pdfColumns(t, l.width)
	head := make([]Cell, len(t.Header))
	for i, h := range t.Header {
		head[i] = Cell{Text: h}
	}
	headH := rowHeight(head, cols, pdf.HelveticaBold)
	l.room(24 + headH + pdfLeading + 2*pdfPad)
	l.y = l.page.Wrap(pdfMargin, l.y+22, l.width, 14, pdf.Left, pdf.HelveticaBold, 11, pdf.Black, t.Title) - 8
	l.row(head, cols, pdf.HelveticaBold, true)
	if len(t.Rows) == 0 {
		l.y = l.page.Wrap(pdfMargin+pdfPad, l.y+pdfLeading, l.width, pdfLeading, pdf.Left, pdf.HelveticaOblique, pdfSize, pdfMute, "—")
		return
	}
	for _, row := range t.Rows {
		if l.room(rowHeight(row, cols, pdf.Helvetica)) {
			l.row(head, cols, pdf.HelveticaBold, true)
		}
		l.row(row, cols, pdf.Helvetica, false)
	}
}

// row writes one row of cells at l.y and moves below it.
func (l *pdfLayout) row(cells []Cell, cols []float64, f pdf.Font, header bool) {
	h := rowHeight(cells, cols, f)
	if header {
		l.page.Fill(pdfMargin, l.y, l.width, h, pdfGrey)
	}
	x := pdfMargin
	for i, w := range cols {
		if i < len(cells) {
			align := pdf.Left
			if numeric(cells[i].Value) && !header {
				align = pdf.Right
			}
			l.page.Wrap(x+pdfPad, l.y+pdfPad+pdfSize, w-2*pdfPad, pdfLeading, align, f, pdfSize, pdf.Black, cells[i].Text)
		}
		x += w
	}
	l.y += h
	l.page.Line(pdfMargin, l.y, pdfMargin+l.width, l.y, 0.4, pdfRule)
}

// rowHeight is the height of the row's tallest cell, wrapped in its column.
func rowHeight(cells []Cell, cols []float64, f pdf.Font) float64 {
	lines := 1
	for i, w := range cols {
		if i < len(cells) {
			lines = max(lines, len(pdf.Lines(f, pdfSize, w-2*pdfPad, cells[i].Text)))
		}
	}
	return float64(lines-1)*pdfLeading + pdfSize + 2*pdfPad + 2
}

// pdfColumns sizes each column to its widest cell, none wider than
// pdfMaxShare of the width, then scales them all to fill it.
func pdfColumns(t Table, width float64) []float64 {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	cols := make([]float64, n)
	for i, h := range t.Header {
		cols[i] = pdf.Width(pdf.HelveticaBold, pdfSize, h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			cols[i] = math.Max(cols[i], pdf.Width(pdf.Helvetica, pdfSize, c.Text))
		}
	}
	sum := 0.0
	for i := range cols {
		cols[i] = math.Min(cols[i]+2*pdfPad+1, width*pdfMaxShare)
		sum += cols[i]
	}
	for i := range cols {
		if sum == 0 {
			cols[i] = width / float64(n)
			continue
		}
		cols[i] *= width / sum
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
