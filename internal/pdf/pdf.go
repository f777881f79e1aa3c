// Package pdf writes simple PDF documents: pages of text, lines and boxes
// in the standard PDF fonts, which every reader has, so nothing is
// embedded and a page costs a few kilobytes. Certificates are printed with
// it; it does not read PDF.
//
// Coordinates are in points (1/72 inch) from the top-left corner of the
// page, y growing downwards, as on screen. Text is encoded in
// WinAnsiEncoding (Latin-1 and a few more), which covers Indonesian names;
// a letter outside it is written without its accents where it has any
// (Ő → O), else as "?".
package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Font is one of the standard fonts.
type Font int

// The fonts a page may use.
const (
	Helvetica Font = iota
	HelveticaBold
	HelveticaOblique
	TimesRoman
	TimesBold
	TimesItalic
)

var baseFonts = [...]string{"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Times-Roman", "Times-Bold", "Times-Italic"}

// Size is a page's width and height in points.
type Size struct{ W, H float64 }

// A4 is the A4 page upright; A4.Landscape() lies it on its side.
var A4 = Size{W: 595.28, H: 841.89}

// Landscape returns the size turned on its side (wider than high).
func (s Size) Landscape() Size {
	if s.W > s.H {
		return s
	}
	return Size{W: s.H, H: s.W}
}

// Color is an RGB colour, each part 0..255.
type Color struct{ R, G, B uint8 }

// Black is the default colour of text and lines.
var Black = Color{}

// Info is the document's metadata.
type Info struct {
	Title, Author, Subject string
	Created                time.Time
}

// Doc is a document being written.
type Doc struct {
	Info  Info
	pages []*Page
}

// New returns an empty document.
func New(info Info) *Doc { return &Doc{Info: info} }

// AddPage adds a page of size s and returns it.
func (d *Doc) AddPage(s Size) *Page {
	p := &Page{Size: s}
	d.pages = append(d.pages, p)
	return p
}

// Page is one page; its drawing methods append to its content.
type Page struct {
	Size Size
	buf  bytes.Buffer
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// y turns a top-down coordinate into PDF's bottom-up one.
func (p *Page) y(y float64) float64 { return p.Size.H - y }

// Text writes s with its baseline starting at (x, y).
func (p *Page) Text(x, y float64, f Font, size float64, c Color, s string) {
	fmt.Fprintf(&p.buf, "BT %s rg /F%d %s Tf %s %s Td %s Tj ET\n", rgb(c), int(f), num(size),
		num(round(x)), num(round(p.y(y))), literal(Encode(s)))
}

// Align places text within a width.
type Align int

// The alignments.
const (
	Left Align = iota
	Center
	Right
)

// TextIn writes s on one line in the box from x of width w, aligned; text
// wider than the box is shrunk to fit rather than run over its edge.
func (p *Page) TextIn(x, y, w float64, a Align, f Font, size float64, c Color, s string) {
	tw := Width(f, size, s)
	if tw > w && tw > 0 {
		size *= w / tw
		tw = w
	}
	switch a {
	case Center:
		x += (w - tw) / 2
	case Right:
		x += w - tw
	}
	p.Text(x, y, f, size, c, s)
}

// Wrap writes s in lines no wider than w, breaking between words, each
// line leading points below the last, aligned; it returns the baseline of
// the line after the last one written.
func (p *Page) Wrap(x, y, w, leading float64, a Align, f Font, size float64, c Color, s string) float64 {
	for _, line := range Lines(f, size, w, s) {
		p.TextIn(x, y, w, a, f, size, c, line)
		y += leading
	}
	return y
}

// Line draws a line from (x1, y1) to (x2, y2) of the given thickness.
func (p *Page) Line(x1, y1, x2, y2, thick float64, c Color) {
	fmt.Fprintf(&p.buf, "%s RG %s w %s %s m %s %s l S\n", rgb(c), num(thick),
		num(round(x1)), num(round(p.y(y1))), num(round(x2)), num(round(p.y(y2))))
}

// Rect draws the outline of a box whose top-left corner is (x, y).
func (p *Page) Rect(x, y, w, h, thick float64, c Color) {
	fmt.Fprintf(&p.buf, "%s RG %s w %s %s %s %s re S\n", rgb(c), num(thick),
		num(round(x)), num(round(p.y(y+h))), num(round(w)), num(round(h)))
}

// Fill paints a box whose top-left corner is (x, y).
func (p *Page) Fill(x, y, w, h float64, c Color) {
	fmt.Fprintf(&p.buf, "%s rg %s %s %s %s re f\n", rgb(c),
		num(round(x)), num(round(p.y(y+h))), num(round(w)), num(round(h)))
}

func rgb(c Color) string {
	return num(round3(float64(c.R)/255)) + " " + num(round3(float64(c.G)/255)) + " " + num(round3(float64(c.B)/255))
}

func round(f float64) float64  { return float64(int64(f*100+0.5*sign(f))) / 100 }
func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// literal writes encoded text as a PDF string, escaping what must be and
// every byte outside printable ASCII.
func literal(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for _, c := range b {
		switch {
		case c == '(' || c == ')' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 32 || c > 126:
			fmt.Fprintf(&sb, "\\%03o", c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(')')
	return sb.String()
}

// Write writes the document to w.
func (d *Doc) Write(w io.Writer) error {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
		return len(offsets)
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1 and 2 are the catalog and the page tree; the fonts follow,
	// then each page and its content.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	offsets = append(offsets, 0) // the page tree, written once its kids are known
	var fonts strings.Builder
	for i, name := range baseFonts {
		id := obj("<< /Type /Font /Subtype /Type1 /BaseFont /" + name + " /Encoding /WinAnsiEncoding >>")
		fmt.Fprintf(&fonts, "/F%d %d 0 R ", i, id)
	}
	var kids []string
	for _, p := range d.pages {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		if _, err := zw.Write(p.buf.Bytes()); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
		content := obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
		page := obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << %s>> >> /Contents %d 0 R >>",
			num(round(p.Size.W)), num(round(p.Size.H)), fonts.String(), content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	// The page tree goes at the end but keeps its number, 2.
	offsets[1] = out.Len()
	fmt.Fprintf(&out, "2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n", strings.Join(kids, " "), len(kids))
	created := d.Info.Created
	if created.IsZero() {
		created = time.Now()
	}
	info := obj(fmt.Sprintf("<< /Title %s /Author %s /Subject %s /Producer (Lontara) /CreationDate (D:%s) >>",
		textString(d.Info.Title), textString(d.Info.Author), textString(d.Info.Subject), created.UTC().Format("20060102150405Z")))
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, info, xref)
	_, err := w.Write(out.Bytes())
	return err
}

// textString encodes metadata text as UTF-16BE with a byte order mark, the
// form PDF readers show any letter in.
func textString(s string) string {
	var sb strings.Builder
	sb.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := 0xD800+((r-0x10000)>>10), 0xDC00+((r-0x10000)&0x3FF)
			fmt.Fprintf(&sb, "%04X%04X", r1, r2)
			continue
		}
		fmt.Fprintf(&sb, "%04X", r)
	}
	sb.WriteByte('>')
	return sb.String()
}
