package tabular_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/xuri/excelize/v2"
)

func TestFormatWritesNumbersAsEachLanguageDoes(t *testing.T) {
	id, en := tabular.Format{Lang: "id"}, tabular.Format{Lang: "en"}
	if got := id.Int(12345).Text; got != "12.345" {
		t.Errorf("id Int = %q", got)
	}
	if got := en.Int(-1234567).Text; got != "-1,234,567" {
		t.Errorf("en Int = %q", got)
	}
	if got := id.Pct(95.25).Text; got != "95,2%" && got != "95,3%" {
		t.Errorf("id Pct = %q", got)
	}
	if c := en.Pct(80); c.Text != "80.0%" || c.Value != 80.0 {
		t.Errorf("en Pct = %+v", c)
	}
}

func TestDownloadsHoldTheSameRowsAndNoFormulas(t *testing.T) {
	f := tabular.Format{Lang: "id"}
	tables := []tabular.Table{{ID: "a", Title: "Ringkasan", Header: []string{"OPD", "Skor"},
		Rows: [][]tabular.Cell{{f.Text("=HYPERLINK(\"x\")"), f.Int(7)}, {f.Text("Dottoro'ta"), f.Pct(55.5)}}}}

	rec := httptest.NewRecorder()
	if err := tabular.Download(rec, "csv", "indeks-2026", tables); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "\uFEFF") || !strings.Contains(body, `'=HYPERLINK`) || !strings.Contains(body, "Dottoro'ta,55.5") {
		t.Errorf("csv = %q", body)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="indeks-2026.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}

	rec = httptest.NewRecorder()
	if err := tabular.Download(rec, "xlsx", "indeks-2026", tables); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("Ringkasan", "B3"); v != "7" {
		t.Errorf("B3 = %q, want the number 7", v)
	}
	if v, _ := x.GetCellValue("Ringkasan", "A4"); v != "Dottoro'ta" {
		t.Errorf("A4 = %q", v)
	}
}

// TestCSVTextGuardsEveryPartASpreadsheetMaySplit: a cell's start and every
// part after a semicolon (where an Indonesian spreadsheet splits a line)
// that would start a formula is written as text; other text is as it was.
func TestCSVTextGuardsEveryPartASpreadsheetMaySplit(t *testing.T) {
	for in, want := range map[string]string{
		"Nur'aini Dottoro'ta": "Nur'aini Dottoro'ta",
		"=1+1":                "'=1+1",
		"@SUM(A1)":            "'@SUM(A1)",
		"Budi;=2+3":           "Budi;'=2+3",
		"Budi; =HYPERLINK(x)": "Budi;' =HYPERLINK(x)",
		"a;b;+c":              "a;b;'+c",
		"S.E.; M.Si.":         "S.E.; M.Si.",
		"":                    "",
	} {
		if got := tabular.CSVText(in); got != want {
			t.Errorf("CSVText(%q) = %q, want %q", in, got, want)
		}
	}
}
