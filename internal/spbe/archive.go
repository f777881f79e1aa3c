package spbe

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/pdf"
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
	if err := add("ringkasan.pdf", func(w io.Writer) error { return summaryPDF(lang, zone, p).Write(w) }); err != nil {
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

// summaryPDF is the pack's figures and policies on A4 pages.
func summaryPDF(lang string, zone *time.Location, p Pack) *pdf.Doc {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	doc := pdf.New(pdf.Info{Title: t("spbe.readme.title", p.Period), Author: "Lontara", Subject: "SPBE", Created: p.GeneratedAt})
	const margin, width, bottom = 56.0, 483.0, 790.0
	grey := pdf.Color{R: 90, G: 90, B: 90}
	page := doc.AddPage(pdf.A4)
	y := 72.0
	room := func(need float64) {
		if y+need > bottom {
			page, y = doc.AddPage(pdf.A4), 72.0
		}
	}
	y = page.Wrap(margin, y, width, 22, pdf.Left, pdf.HelveticaBold, 18, pdf.Black, t("spbe.readme.title", p.Period))
	y = page.Wrap(margin, y, width, 14, pdf.Left, pdf.Helvetica, 10, grey, t("spbe.readme.span",
		p.From.In(zone).Format("2006-01-02"), p.To.Add(-time.Second).In(zone).Format("2006-01-02"),
		p.GeneratedAt.In(zone).Format("2006-01-02 15:04 MST")))
	if !p.Registry {
		y = page.Wrap(margin, y+4, width, 13, pdf.Left, pdf.HelveticaOblique, 9, grey, t("spbe.registry.absent"))
	}
	w := writer{Format: tabular.Format{Lang: lang}, zone: zone}
	for _, part := range p.parts() {
		room(80)
		y += 14
		y = page.Wrap(margin, y, width, 18, pdf.Left, pdf.HelveticaBold, 13, pdf.Black, t("spbe.indicator."+part.key))
		page.Line(margin, y-12, margin+width, y-12, 0.5, grey)
		for _, f := range part.figures {
			room(14)
			page.TextIn(margin, y, width*0.7, pdf.Left, pdf.Helvetica, 10, pdf.Black, t("spbe.figure."+f.Key))
			value := w.value(f).Text
			if f.Value != nil && (f.Unit == "jp" || f.Unit == "minutes") {
				value += " " + t("spbe.unit."+f.Unit)
			}
			page.TextIn(margin+width*0.7, y, width*0.3, pdf.Right, pdf.HelveticaBold, 10, pdf.Black, value)
			y += 14
		}
		if len(part.policies) > 0 {
			room(30)
			y = page.Wrap(margin, y+4, width, 14, pdf.Left, pdf.HelveticaBold, 10, pdf.Black, t("spbe.pdf.policies"))
			for _, pol := range part.policies {
				text := pol.Title
				if pol.Kind != "lontara" {
					text = strings.TrimSpace(pol.Kind + " " + pol.Number + " — " + pol.Title)
				}
				room(13 * float64(len(pdf.Lines(pdf.Helvetica, 9, width-12, text))))
				y = page.Wrap(margin+12, y, width-12, 13, pdf.Left, pdf.Helvetica, 9, pdf.Black, "• "+text)
			}
		}
	}
	room(30)
	page.Wrap(margin, y+10, width, 12, pdf.Left, pdf.HelveticaOblique, 8, grey, t("spbe.pdf.footer"))
	return doc
}
