package tabular_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/pdf"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/tabular"
)

func TestWritePDFRepeatsTheHeaderOnEveryPageAndKeepsNames(t *testing.T) {
	w := tabular.Format{Lang: "id"}
	long := tabular.Table{ID: "people", Title: "Pegawai", Header: []string{"Nama", "JP", "Keterangan"}}
	for i := range 150 {
		long.Rows = append(long.Rows, []tabular.Cell{w.Text("Nur'aini Dottoro'ta (Ä)"), w.Int(i),
			w.Text(strings.Repeat("catatan panjang yang harus dibungkus ", 3))})
	}
	empty := tabular.Table{ID: "none", Title: "Tanpa baris", Header: []string{"A"}}
	var buf bytes.Buffer
	err := tabular.WritePDF(&buf, tabular.Report{Title: "Laporan Dinas Dottoro'ta", Subtitle: []string{"Periode 2026-Q3"},
		Notes: []string{"Indeks = rata-rata berbobot."}, Footer: "Lontara", Created: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)},
		[]tabular.Table{long, empty})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-1.4")) || !bytes.HasSuffix(buf.Bytes(), []byte("%%EOF\n")) {
		t.Fatal("not a PDF")
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) < 3 {
		t.Fatalf("150 wrapped rows on %d pages", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "(Nama) Tj") || !strings.Contains(p, "(Keterangan) Tj") {
			t.Errorf("page %d lacks the header row", i+1)
		}
		if !strings.Contains(p, "/ "+string(rune('0'+len(pages)))+") Tj") {
			t.Errorf("page %d lacks its number of %d", i+1, len(pages))
		}
	}
	all := strings.Join(pages, "")
	for _, want := range []string{"(Laporan Dinas Dottoro'ta) Tj", "(Nur'aini Dottoro'ta \\(\\304\\)) Tj", "(Tanpa baris) Tj", "(149) Tj"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
}

// A row taller than a page (a review finding of 5,000 characters) is
// broken between its lines over as many pages as it needs, under the
// header repeated, and every line lands inside the page.
func TestARowTallerThanAPageContinuesOnTheNextPages(t *testing.T) {
	w := tabular.Format{Lang: "id"}
	var lines []string
	for i := range 333 {
		lines = append(lines, fmt.Sprintf("baris %d", i+1))
	}
	table := tabular.Table{ID: "findings", Title: "Temuan", Header: []string{"No", "Temuan", "Status"},
		Rows: [][]tabular.Cell{{w.Int(1), w.Text("pendek"), w.Text("terbuka")},
			{w.Int(2), w.Text(strings.Join(lines, "\n")), w.Text("terbuka")},
			{w.Int(3), w.Text("sesudahnya"), w.Text("selesai")}}}
	var buf bytes.Buffer
	if err := tabular.WritePDF(&buf, tabular.Report{Title: "Temuan reviu"}, []tabular.Table{table}); err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) < 4 {
		t.Fatalf("333 lines on %d pages", len(pages))
	}
	at := regexp.MustCompile(`([\d.]+) ([\d.-]+) Td \((baris \d+|sesudahnya)\) Tj`)
	seen := map[string]int{}
	for i, p := range pages {
		if !strings.Contains(p, "(Temuan) Tj") {
			t.Errorf("page %d lacks the header row", i+1)
		}
		for _, m := range at.FindAllStringSubmatch(p, -1) {
			y, _ := strconv.ParseFloat(m[2], 64)
			if y < 40 || y > pdf.A4.H-40 {
				t.Errorf("page %d: %q at y %v, outside the page's margins", i+1, m[3], y)
			}
			seen[m[3]]++
		}
	}
	for _, l := range append(lines, "sesudahnya") {
		if seen[l] != 1 {
			t.Errorf("%q printed %d times, want once", l, seen[l])
		}
	}
}
