// Package tabular is the tables of reports: built once, shown on a page
// and downloaded as CSV, XLSX or PDF with the same rows, so a figure reads
// the same wherever it is taken from.
package tabular

import (
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/i18n"
)

// Table is one table of a report, the same on the page and in the
// CSV, XLSX (and PDF) downloads. The first cell of a row names it.
type Table struct {
	ID     string // the page's anchor and the sheet's key
	Title  string
	Header []string
	Rows   [][]Cell
}

// Cell is a value as the page shows it (Text, in the reader's
// language) and as the downloads hold it (Value: a string, an int or a
// float64, so spreadsheets can count with it).
type Cell struct {
	Text  string
	Value any
}

// Format makes cells in a language: numbers as its readers write them.
type Format struct{ Lang string }

// Text is a cell of text.
func (w Format) Text(s string) Cell { return Cell{Text: s, Value: s} }

// Int is a whole number.
func (w Format) Int(n int) Cell { return Cell{Text: w.Group(n), Value: n} }

// Pct shows a share 0–100 with one decimal.
func (w Format) Pct(p float64) Cell {
	return Cell{Text: w.Decimal(p, 1) + "%", Value: p}
}

// Decimal writes f with places decimals and the language's decimal mark.
func (w Format) Decimal(f float64, places int) string {
	s := strconv.FormatFloat(f, 'f', places, 64)
	if w.Lang == i18n.ID {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Group writes n with thousands separators: 12.345 in Indonesian, 12,345
// in English.
func (w Format) Group(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + w.Group(-n)
	}
	sep := ","
	if w.Lang == i18n.ID {
		sep = "."
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}
