package certificate

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/pdf"
)

// The certificate's colours: Lontara's deep teal and a muted gold.
var (
	ink  = pdf.Color{R: 20, G: 60, B: 70}
	gold = pdf.Color{R: 176, G: 141, B: 62}
	grey = pdf.Color{R: 90, G: 90, B: 90}
	red  = pdf.Color{R: 180, G: 30, B: 30}
)

// longDate writes a date as a certificate does: "3 Desember 2026".
func longDate(lang string, t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return strconv.Itoa(t.Day()) + " " + i18n.T(lang, "cert.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

// dateRange writes an event's dates: one day, or "3 – 5 Desember 2026".
func dateRange(lang string, from, to time.Time, zone *time.Location) string {
	a, b := from.In(zone), to.In(zone)
	switch {
	case a.Year() == b.Year() && a.YearDay() == b.YearDay():
		return longDate(lang, a, zone)
	case a.Year() == b.Year() && a.Month() == b.Month():
		return strconv.Itoa(a.Day()) + " – " + longDate(lang, b, zone)
	}
	return longDate(lang, a, zone) + " – " + longDate(lang, b, zone)
}

// PDF prints a certificate on one A4 landscape page in lang; base is the
// site's public URL, for the verification address printed on it.
func (s *Service) PDF(c Certificate, lang, base string) []byte {
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	doc := pdf.New(pdf.Info{Title: T("cert.pdf.title") + " " + c.DisplayCode + " — " + c.HolderName,
		Author: c.Issuer, Subject: c.EventTitle, Created: c.IssuedAt})
	p := doc.AddPage(pdf.A4.Landscape())
	w, h := p.Size.W, p.Size.H
	p.Rect(18, 18, w-36, h-36, 3, ink)
	p.Rect(26, 26, w-52, h-52, 0.8, gold)
	p.Fill(26, 26, w-52, 8, ink)

	margin := 70.0
	inner := w - 2*margin
	issuer := c.Issuer
	if issuer == "" {
		issuer = "Lontara"
	}
	p.TextIn(margin, 78, inner, pdf.Center, pdf.HelveticaBold, 12, grey, strings.ToUpper(issuer))
	p.TextIn(margin, 128, inner, pdf.Center, pdf.TimesBold, 42, ink, T("cert.pdf.heading"))
	p.TextIn(margin, 150, inner, pdf.Center, pdf.Helvetica, 10, grey, T("cert.pdf.number", c.DisplayCode))

	p.TextIn(margin, 190, inner, pdf.Center, pdf.TimesItalic, 15, grey, T("cert.pdf.given_to"))
	p.TextIn(margin, 230, inner, pdf.Center, pdf.TimesBold, 30, ink, c.HolderName)
	p.Line(w/2-180, 242, w/2+180, 242, 0.8, gold)

	p.TextIn(margin, 272, inner, pdf.Center, pdf.TimesItalic, 15, grey, T("cert.pdf.for"))
	y := p.Wrap(margin+40, 302, inner-80, 24, pdf.Center, pdf.TimesBold, 20, ink, c.EventTitle)
	facts := T("training.kind."+c.EventKind) + "  ·  " + dateRange(lang, c.StartsAt, c.EndsAt, s.zone) + "  ·  " + T("cert.pdf.jp", c.JP)
	if c.Place != "" {
		facts += "  ·  " + c.Place
	}
	y = p.Wrap(margin, y+2, inner, 16, pdf.Center, pdf.Helvetica, 12, pdf.Black, facts)
	if len(c.Competencies) > 0 {
		names := make([]string, len(c.Competencies))
		for i, comp := range c.Competencies {
			names[i] = T("cert.pdf.competency", comp.Name, comp.Level)
		}
		y = p.Wrap(margin+30, y+14, inner-60, 14, pdf.Center, pdf.HelveticaOblique, 10.5, grey,
			T("cert.pdf.competencies", strings.Join(names, "; ")))
	}
	_ = y

	foot := h - 92
	p.Text(margin, foot, pdf.Helvetica, 10, grey, T("cert.pdf.issued", longDate(lang, c.IssuedAt, s.zone)))
	p.Text(margin, foot+16, pdf.HelveticaBold, 11, ink, issuer)
	link := strings.TrimRight(base, "/") + VerifyLink(c.Code)
	p.TextIn(w/2, foot, w/2-margin, pdf.Right, pdf.Helvetica, 10, grey, T("cert.pdf.verify"))
	p.TextIn(w/2, foot+16, w/2-margin, pdf.Right, pdf.HelveticaBold, 11, ink, link)
	if c.RevokedAt != nil {
		p.Rect(w-margin-230, 40, 230, 30, 1.5, red)
		p.TextIn(w-margin-225, 60, 220, pdf.Center, pdf.HelveticaBold, 13, red,
			T("cert.pdf.revoked", longDate(lang, *c.RevokedAt, s.zone)))
	}
	var buf bytes.Buffer
	_ = doc.Write(&buf) // writing to memory does not fail
	return buf.Bytes()
}
