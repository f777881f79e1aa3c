package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/pdf/pdftest"
)

func TestEncodeKeepsLatinNamesAndFoldsOthers(t *testing.T) {
	for in, want := range map[string]string{
		"Dottoro'ta": "Dottoro'ta",
		"Nur'aini Ä": "Nur'aini \xc4",
		"Őzil Şahin": "Ozil Sahin",
		"€ – “x”":    "\x80 \x96 \x93x\x94",
		"tab\there":  "tab here",
		"日本":         "??",
	} {
		if got := string(Encode(in)); got != want {
			t.Errorf("Encode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWidthAndLines(t *testing.T) {
	if w := Width(Helvetica, 10, "ii"); w != 4.44 {
		t.Errorf("width of ii = %v, want 4.44", w)
	}
	if Width(HelveticaBold, 10, "i") <= Width(Helvetica, 10, "i") {
		t.Error("bold is not wider")
	}
	lines := Lines(Helvetica, 10, 60, "Bimbingan teknis keamanan informasi Supercalifragilistic")
	for _, l := range lines {
		if Width(Helvetica, 10, l) > 60 {
			t.Errorf("line %q is wider than 60", l)
		}
	}
	if got := strings.Join(lines, " "); strings.ReplaceAll(got, " ", "") != "BimbingantekniskeamananinformasiSupercalifragilistic" {
		t.Errorf("lines lost text: %q", lines)
	}
}

// TestWriteMakesAWellFormedFile checks the cross-reference table points at
// every object and the page's text is in its content stream.
func TestWriteMakesAWellFormedFile(t *testing.T) {
	d := New(Info{Title: "Sertifikat Nur'aini", Author: "Kota Makassar"})
	p := d.AddPage(A4.Landscape())
	p.TextIn(0, 100, p.Size.W, Center, TimesBold, 30, Color{R: 120}, "Dottoro'ta (Ä)")
	p.Rect(20, 20, p.Size.W-40, p.Size.H-40, 2, Black)
	p.Fill(30, 30, 10, 10, Color{G: 200})
	for i := range 3 {
		p.TextIn(40, 150+float64(i)*14, 200, Left, Helvetica, 10, Black, fmt.Sprintf("Peserta %d", i))
	}
	q := d.AddPage(A4)
	q.TextIn(40, 40, 50, Right, Helvetica, 10, Black, strconv.Itoa(3))
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-1.4")) || !bytes.HasSuffix(out, []byte("%%EOF\n")) {
		t.Fatal("not a PDF file")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(out)
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(out[xref:], []byte("xref\n")) {
		t.Fatal("startxref does not point at the xref table")
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(out[xref:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj", i+1); !bytes.HasPrefix(out[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, out[off:off+10])
		}
	}
	pages := pdftest.Pages(t, out)
	if len(pages) != 2 {
		t.Fatalf("%d content streams, want 2", len(pages))
	}
	content := []byte(pages[0])
	for _, want := range []string{`(Dottoro'ta \(\304\))`, "(Peserta 0)", "/F4 "} {
		if !bytes.Contains(content, []byte(want)) {
			t.Errorf("content lacks %s", want)
		}
	}
	if !bytes.Contains(out, []byte("/Count 2")) {
		t.Error("page tree does not count two pages")
	}
}
