package spbe

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// FileName is the pack's ZIP name without its extension.
func FileName(p Pack) string { return "bukti-spbe-" + p.Period }

// Archive writes the pack as one ZIP: README.txt (what each file holds),
// ringkasan.pdf (the summary), bukti-spbe.xlsx (every table, a sheet
// each) and csv/NN-table.csv (each table alone). It is built whole in
// memory so a failure can still be answered as an error.
func Archive(out io.Writer, lang string, zone *time.Location, p Pack) error {
	tables := Tables(lang, zone, p)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, write func(io.Writer) error) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: p.GeneratedAt})
		if err != nil {
			return err
		}
		return write(f)
	}
	if err := add("README.txt", func(w io.Writer) error { _, err := io.WriteString(w, readme(lang, zone, p, tables)); return err }); err != nil {
		return fmt.Errorf("spbe: zip: %w", err)
	}
	if err := add("ringkasan.pdf", func(w io.Writer) error { return summaryPDF(w, lang, zone, p, tables) }); err != nil {
		return fmt.Errorf("spbe: zip: %w", err)
	}
	if err := add("bukti-spbe.xlsx", func(w io.Writer) error { return tabular.WriteXLSX(w, tables) }); err != nil {
		return fmt.Errorf("spbe: zip: %w", err)
	}
	for i, t := range tables {
		if err := add(csvName(i, t), func(w io.Writer) error { return tabular.WriteCSV(w, []tabular.Table{t}) }); err != nil {
			return fmt.Errorf("spbe: zip: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("spbe: zip: %w", err)
	}
	_, err := out.Write(buf.Bytes())
	return err
}

func csvName(i int, t tabular.Table) string { return fmt.Sprintf("csv/%02d-%s.csv", i+1, t.ID) }

// readme is the index of the pack, in lang, with Windows line ends so
// Notepad shows it as lines.
func readme(lang string, zone *time.Location, p Pack, tables []tabular.Table) string {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\r\n") }
	line(t("spbe.readme.title", p.Period))
	line(t("spbe.readme.span", p.From.In(zone).Format("2006-01-02"), p.To.Add(-time.Second).In(zone).Format("2006-01-02"),
		p.GeneratedAt.In(zone).Format("2006-01-02 15:04 MST")))
	line("")
	line(t("spbe.readme.indicators"))
	for _, k := range Indicators {
		line("- " + t("spbe.indicator."+k))
	}
	if !p.Registry {
		line("")
		line(t("spbe.registry.absent"))
	}
	line("")
	line(t("spbe.readme.files"))
	line("- README.txt: " + t("spbe.readme.this"))
	line("- ringkasan.pdf: " + t("spbe.readme.pdf"))
	line("- bukti-spbe.xlsx: " + t("spbe.readme.xlsx"))
	for i, tb := range tables {
		line(fmt.Sprintf("- %s: %s (%s)", csvName(i, tb), tb.Title, t("spbe.readme.rows", len(tb.Rows))))
	}
	line("")
	line(t("spbe.readme.csv"))
	return b.String()
}

// summaryPDF writes the pack's summary: each indicator's figures and the
// policies in force, the same tables as the page and the workbook, laid
// out by tabular.WritePDF.
func summaryPDF(w io.Writer, lang string, zone *time.Location, p Pack, tables []tabular.Table) error {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	r := tabular.Report{Title: t("spbe.readme.title", p.Period), Author: "Lontara", Created: p.GeneratedAt,
		Footer: t("spbe.readme.title", p.Period),
		Subtitle: []string{t("spbe.readme.span", p.From.In(zone).Format("2006-01-02"),
			p.To.Add(-time.Second).In(zone).Format("2006-01-02"), p.GeneratedAt.In(zone).Format("2006-01-02 15:04 MST"))},
		Notes: []string{t("spbe.pdf.footer")}}
	if !p.Registry {
		r.Notes = append(r.Notes, t("spbe.registry.absent"))
	}
	var summary []tabular.Table
	for _, tb := range tables {
		if strings.HasSuffix(tb.ID, "-figures") || strings.HasSuffix(tb.ID, "-policies") {
			summary = append(summary, tb)
		}
	}
	return tabular.WritePDF(w, r, summary)
}
