package tabular_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

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
