package tabular

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteCSV writes the tables one after another: the title, the
// header, the rows, and an empty line. It starts with a byte order mark so
// spreadsheets read the Indonesian names as UTF-8, and numbers use a point.
func WriteCSV(out io.Writer, tables []Table) error {
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	for i, t := range tables {
		if i > 0 {
			_ = w.Write([]string{})
		}
		_ = w.Write([]string{CSVText(t.Title)})
		_ = w.Write(t.Header)
		for _, row := range t.Rows {
			rec := make([]string, len(row))
			for j, c := range row {
				rec[j] = csvValue(c.Value)
			}
			_ = w.Write(rec)
		}
	}
	w.Flush()
	return w.Error()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return CSVText(x)
	}
	return fmt.Sprint(v)
}

// CSVText keeps a name (an application's, a person's, a tag) from being
// read as a formula by a spreadsheet: every CSV text cell passes it. A
// spreadsheet set up for Indonesian splits a line at semicolons, not only
// at commas, and encoding/csv does not quote a field for a semicolon, so
// each part after one is guarded too: "Budi;=2+3" is written "Budi;'=2+3".
func CSVText(s string) string {
	parts := strings.Split(s, ";")
	for i, p := range parts {
		if t := strings.TrimLeft(p, " "); t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
			parts[i] = "'" + p
		}
	}
	return strings.Join(parts, ";")
}

// WriteXLSX writes one sheet per table: the title, the header in
// bold, the rows with numbers as numbers.
func WriteXLSX(out io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Title, i, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := f.SetSheetRow(name, "A1", &[]any{t.Title}); err != nil {
			return err
		}
		header := make([]any, len(t.Header))
		for j, h := range t.Header {
			header[j] = h
		}
		if err := f.SetSheetRow(name, "A2", &header); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(max(1, len(header)), 2)
		if err := f.SetCellStyle(name, "A1", last, bold); err != nil {
			return err
		}
		for r, row := range t.Rows {
			values := make([]any, len(row))
			for j, c := range row {
				values[j] = c.Value
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+3)
			if err := f.SetSheetRow(name, cell, &values); err != nil {
				return err
			}
		}
		_ = f.SetColWidth(name, "A", "A", 40)
	}
	return f.Write(out)
}

// sheetName makes a table's title a sheet name: at most 31 characters,
// none of the ones Excel forbids, unique in the workbook.
func sheetName(title string, i int, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return ' '
		}
		return r
	}, title)
	if runes := []rune(name); len(runes) > 28 {
		name = string(runes[:28])
	}
	name = strings.TrimSpace(name)
	if name == "" || used[name] {
		name = fmt.Sprintf("%s %d", name, i+1)
	}
	used[name] = true
	return name
}

// Download answers tables as a file to save: format "xlsx" or "csv", name
// without its extension (ASCII, as in laporan-helpdesk-2026-01-01). The
// file is built whole before anything is sent, so a failure can still be
// answered as an error page.
func Download(w http.ResponseWriter, format, name string, tables []Table) error {
	var buf bytes.Buffer
	typ := "text/csv; charset=utf-8"
	var err error
	if format == "xlsx" {
		typ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = WriteXLSX(&buf, tables)
	} else {
		format = "csv"
		err = WriteCSV(&buf, tables)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.`+format+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}
