package helpdesk

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// writeReportCSV writes the tables one after another: the title, the
// header, the rows, and an empty line. It starts with a byte order mark so
// spreadsheets read the Indonesian names as UTF-8, and numbers use a point.
func writeReportCSV(out io.Writer, tables []reportTable) error {
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	for i, t := range tables {
		if i > 0 {
			_ = w.Write([]string{})
		}
		_ = w.Write([]string{csvText(t.Title)})
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
		return csvText(x)
	}
	return fmt.Sprint(v)
}

// csvText keeps a name (an application's, a tag) from being read as a
// formula by a spreadsheet.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeReportXLSX writes one sheet per table: the title, the header in
// bold, the rows with numbers as numbers.
func writeReportXLSX(out io.Writer, tables []reportTable) error {
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
