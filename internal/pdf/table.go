package pdf

// Column is a column of a table: its heading, width in points and how its
// cells are aligned.
type Column struct {
	Title string
	Width float64
	Align Align
}

// Table is how a table is set: its columns, font and size, the leading of
// its lines, and the page's bottom margin (a row that would cross it waits
// for the next page).
type Table struct {
	Columns []Column
	Font    Font
	Size    float64
	Bottom  float64 // the lowest y a row may reach
	Rule    Color   // the colour of the lines between rows
}

// Draw sets the table's heading and as many rows as fit from y down, the
// cells wrapped within their column; it returns the y below the last row
// drawn and the rows that did not fit, for the caller to continue on a new
// page (with Draw again, which repeats the heading).
func (t Table) Draw(p *Page, x, y float64, rows [][]string) (float64, [][]string) {
	lead := t.Size * 1.3
	pad := t.Size * 0.4
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Title
	}
	y = t.row(p, x, y, head, HelveticaBold, lead, pad)
	for i, r := range rows {
		if y+t.height(r, lead, pad) > t.Bottom && i > 0 {
			return y, rows[i:]
		}
		y = t.row(p, x, y, r, t.Font, lead, pad)
	}
	return y, nil
}

// height is how tall a row's tallest cell is.
func (t Table) height(cells []string, lead, pad float64) float64 {
	n := 1
	for i, c := range t.Columns {
		if i < len(cells) {
			n = max(n, len(Lines(t.Font, t.Size, c.Width-2*pad, cells[i])))
		}
	}
	return float64(n)*lead + 2*pad
}

func (t Table) row(p *Page, x, y float64, cells []string, f Font, lead, pad float64) float64 {
	h := t.height(cells, lead, pad)
	cx := x
	for i, c := range t.Columns {
		if i < len(cells) {
			p.Wrap(cx+pad, y+pad+t.Size, c.Width-2*pad, lead, c.Align, f, t.Size, Black, cells[i])
		}
		cx += c.Width
	}
	p.Line(x, y+h, cx, y+h, 0.5, t.Rule)
	return y + h
}
