package org

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// table is a spreadsheet read into text: each record with the line (CSV) or
// row (XLSX) number a person sees in their editor.
type table struct {
	records [][]string
	lines   []int
}

// readTable reads a CSV or XLSX file, chosen by the file's content (an XLSX
// is a zip archive) or its name.
func readTable(r io.Reader, filename string) (table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return table{}, fmt.Errorf("org: read %s: %w", filename, err)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || strings.EqualFold(filepath.Ext(filename), ".xlsx") {
		return readXLSX(data)
	}
	return readCSV(data)
}

// MaxImportRows bounds one import file. A SIMPEG export of a city is 10,000
// to 20,000 rows; a larger organisation imports unit by unit. The bound, with
// the unzip limits below, keeps a hostile file (a few MB of zip expanding to
// millions of rows) from exhausting the server's memory.
const MaxImportRows = 50_000

// MaxImportColumns bounds how wide a row may be. A SIMPEG export has about a
// dozen columns; the reader pads a row to its last cell, so a file of a few
// KB with one cell at column XFD per row would otherwise cost 16,384 strings
// a row.
const MaxImportColumns = 64

// xlsxLimits bound what an XLSX may expand to: 64 MiB in all, and sheets
// over 16 MiB are streamed from a temporary file rather than held in memory.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20}

// readXLSX reads the first sheet row by row, every cell as the text stored
// in the file (raw, not as formatted for display), so a number Excel keeps
// in scientific notation stays recognisable as one.
func readXLSX(data []byte) (table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxLimits)
	if err != nil {
		return table{}, errImportFile("import.xlsx")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return table{}, errImportFile("import.empty")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return table{}, errImportFile("import.xlsx")
	}
	defer rows.Close()
	var t table
	for i := 1; rows.Next(); i++ {
		if len(t.records) == MaxImportRows {
			return table{}, errImportFile("import.too_many_rows", MaxImportRows)
		}
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return table{}, errImportFile("import.xlsx")
		}
		if len(row) > MaxImportColumns {
			return table{}, errImportFile("import.too_many_columns", MaxImportColumns)
		}
		for j, v := range row {
			if longNumber.MatchString(v) && isNumberCell(f, sheets[0], j+1, i) {
				row[j] = asExcelShows(v)
			}
		}
		t.records = append(t.records, row)
		t.lines = append(t.lines, i)
	}
	if rows.Error() != nil {
		return table{}, errImportFile("import.xlsx")
	}
	return t, nil
}

// longNumber matches a cell value with more digits than a spreadsheet's
// numbers hold (15 significant digits), such as an NIP.
var longNumber = regexp.MustCompile(`^[0-9]{15,}$|^[0-9]\.[0-9]+[eE]\+?[0-9]+$`)

// isNumberCell reports whether the cell holds a number rather than text. An
// NIP kept as a number has already lost its last digits, whatever the file
// now shows.
func isNumberCell(f *excelize.File, sheet string, col, row int) bool {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return false
	}
	t, err := f.GetCellType(sheet, cell)
	return err == nil && (t == excelize.CellTypeNumber || t == excelize.CellTypeUnset)
}

// asExcelShows writes a number as a spreadsheet shows it in a General
// column (1.98503E+17), so the import refuses it as it refuses a CSV that
// kept that form.
func asExcelShows(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return strconv.FormatFloat(f, 'E', 5, 64)
}

// readCSV reads a CSV as Excel saves it: in an Indonesian locale the
// separator is ";" (the comma is the decimal mark), the text UTF-8 with a
// byte-order mark or Windows-1252, the lines ended by CRLF.
func readCSV(data []byte) (table, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return table{}, errImportFile("import.encoding")
		}
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffSeparator(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var t table
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return table{}, errImportFile("import.csv_line", pe.Line)
			}
			return table{}, errImportFile("import.csv")
		}
		if len(t.records) == MaxImportRows {
			return table{}, errImportFile("import.too_many_rows", MaxImportRows)
		}
		line, _ := cr.FieldPos(0)
		t.records = append(t.records, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// sniffSeparator picks ";", "," or tab: whichever the first line, outside
// quotes, has most of. Ties go to ";", Excel's choice in Indonesia.
func sniffSeparator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(data) {
		if r == '"' {
			quoted = !quoted
		}
		if !quoted && (r == '\n' || r == '\r') {
			break
		}
		if !quoted {
			counts[r]++
		}
	}
	best := ';'
	for _, r := range []rune{',', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// Column names a SIMPEG export or a hand-made sheet may use, compared after
// headerKey; the first in each list is how the report names the column when
// the file lacks it.
var columnAliases = map[string][]string{
	colNIP:        {"nip", "nipbaru", "nomorindukpegawai"},
	colName:       {"nama", "namalengkap", "namapegawai", "name"},
	colTitles:     {"gelar", "title", "titles"},
	colFrontTitle: {"gelardepan", "fronttitle"},
	colBackTitle:  {"gelarbelakang", "backtitle"},
	colEmail:      {"email", "surel", "alamatemail", "emailaddress"},
	colPhone:      {"telepon", "telp", "nomortelepon", "notelp", "hp", "nohp", "nomorhp", "telepon/hp", "phone", "mobile"},
	colAgency:     {"kodeopd", "kodeskpd", "kodeperangkatdaerah", "kodeinstansi", "agencycode", "agency"},
	colUnit:       {"unit", "unitkerja", "subunit", "unitorganisasi"},
	colPosition:   {"jabatan", "namajabatan", "position"},
	colRank:       {"golongan", "gol", "golru", "golonganruang", "pangkatgolongan", "rank", "grade"},
	colType:       {"jenispegawai", "statuspegawai", "jenis", "employmenttype", "type"},
	colSupervisor: {"nipatasan", "atasan", "supervisornip", "supervisor"},
}

// The columns an import knows.
const (
	colNIP        = "NIP"
	colName       = "nama"
	colTitles     = "gelar"
	colFrontTitle = "gelar depan"
	colBackTitle  = "gelar belakang"
	colEmail      = "email"
	colPhone      = "telepon"
	colAgency     = "kode OPD"
	colUnit       = "unit"
	colPosition   = "jabatan"
	colRank       = "golongan"
	colType       = "jenis pegawai"
	colSupervisor = "NIP atasan"
)

// headerKey folds a header for matching: lower case, without spaces,
// underscores, dots and hyphens ("Jenis_Pegawai", "JENIS PEGAWAI" and
// "jenis-pegawai" are one column).
func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
	return strings.NewReplacer(" ", "", "_", "", ".", "", "-", "", "\u00a0", "").Replace(s)
}

// header maps the known columns to their index in the file and keeps the
// file's own wording of each, for the report.
type header struct {
	index map[string]int
	label map[string]string
}

// findHeader returns the header (the first row, among the first ten, that
// names a "nama" column: exports often start with a title row) and the index
// of the row holding it.
func findHeader(t table) (header, int, bool) {
	for i := 0; i < len(t.records) && i < 10; i++ {
		h := header{index: map[string]int{}, label: map[string]string{}}
		for j, cell := range t.records[i] {
			k := headerKey(cell)
			for col, aliases := range columnAliases {
				if _, seen := h.index[col]; !seen && slices.Contains(aliases, k) {
					h.index[col], h.label[col] = j, strings.TrimSpace(cell)
				}
			}
		}
		if _, ok := h.index[colName]; ok {
			return h, i, true
		}
	}
	return header{}, 0, false
}

// get returns the trimmed cell of column col in rec ("" when absent).
func (h header) get(rec []string, col string) string {
	i, ok := h.index[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// name returns how the file calls col.
func (h header) name(col string) string {
	if l, ok := h.label[col]; ok && l != "" {
		return l
	}
	return col
}
