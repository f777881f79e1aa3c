package org_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// TestImportRefusesOversizedFiles checks the bound on rows for both formats:
// a file past MaxImportRows is refused before any row is checked.
func TestImportRefusesOversizedFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := org.NewService(d)
		cli := policy.SystemActor("test")

		var csv strings.Builder
		csv.WriteString("NIP;Nama;Email;Kode OPD;Jenis Pegawai\r\n")
		for i := range org.MaxImportRows + 1 {
			fmt.Fprintf(&csv, ";Pegawai %d;p%d@makassarkota.go.id;DINKES;Kontrak\r\n", i, i)
		}
		_, err := svc.ImportEmployees(context.Background(), cli, nil, strings.NewReader(csv.String()), "pegawai.csv", true)
		if e := errs.As(err); e == nil || e.Key != "import.too_many_rows" {
			t.Errorf("a CSV of %d rows: %v", org.MaxImportRows+2, err)
		}

		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= org.MaxImportRows+2; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i)
			if err := sw.SetRow(cell, []any{"", fmt.Sprintf("Pegawai %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		_, err = svc.ImportEmployees(context.Background(), cli, nil, &buf, "pegawai.xlsx", true)
		if e := errs.As(err); e == nil || e.Key != "import.too_many_rows" {
			t.Errorf("an XLSX of %d rows: %v", org.MaxImportRows+2, err)
		}

		wide := excelize.NewFile()
		for r := 1; r <= 3; r++ {
			cell, _ := excelize.CoordinatesToCellName(16384, r) // column XFD
			if err := wide.SetCellValue("Sheet1", cell, "x"); err != nil {
				t.Fatal(err)
			}
		}
		buf.Reset()
		if err := wide.Write(&buf); err != nil {
			t.Fatal(err)
		}
		_, err = svc.ImportEmployees(context.Background(), cli, nil, &buf, "pegawai.xlsx", true)
		if e := errs.As(err); e == nil || e.Key != "import.too_many_columns" {
			t.Errorf("an XLSX with cells at column XFD: %v", err)
		}
	})
}
