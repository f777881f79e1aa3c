package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// report answers an agency's monitoring-and-evaluation report for a
// period as a PDF: the index with its formula, the dimensions, the inputs,
// the trend, the targets and the findings and follow-ups of its reviews.
func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := h.period(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	body, err := h.reportPDF(r.Context(), web.Actor(r), web.Lang(r), id, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="laporan-monev-opd-%d-%s.pdf"`, id, p.Label))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(body)
}

// reportPDF writes the report of agency for p as actor may read it.
func (h *Handler) reportPDF(ctx context.Context, actor *policy.Actor, lang string, agency int64, p period.Period) ([]byte, error) {
	v, err := h.load(ctx, actor, lang, agency, p)
	if err != nil {
		return nil, err
	}
	reviews, err := h.extra(ctx, h.ReviewTables, lang, agency, p)
	if err != nil {
		return nil, err
	}
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	if len(reviews) == 0 {
		f := tabular.Format{Lang: lang}
		reviews = []tabular.Table{{ID: "reviews", Title: t("dashboard.report.reviews"),
			Header: []string{t("dashboard.report.note")}, Rows: [][]tabular.Cell{{f.Text(t("dashboard.report.reviews_none"))}}}}
	}
	var buf bytes.Buffer
	err = tabular.WritePDF(&buf, reportHead(lang, v, actor.Name, time.Now().In(p.Start.Location())), append(tablesOf(v.Own), reviews...))
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reportHead is the report's title, the agency and period under it, and
// the index with its formula in words.
func reportHead(lang string, v agencyView, author string, now time.Time) tabular.Report {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	f := tabular.Format{Lang: lang}
	x := v.Index
	index := t("loindex.no_data")
	if x.Index != nil {
		index = f.Decimal(*x.Index, 1) + " / 100"
	}
	var terms []string
	for _, w := range loindex.Weights {
		terms = append(terms, t("loindex.weight_of", f.Decimal(w.Percent(), 1), t("loindex.input."+w.Key)))
	}
	said := t("loindex.no_survey")
	if x.Survey != "" {
		said = t("loindex.fact.survey_of", x.Survey, x.Respondents)
		if x.Suppressed {
			said += " — " + t("loindex.suppressed", survey.MinGroup)
		}
	}
	return tabular.Report{
		Title:  t("dashboard.report.title", v.Name),
		Author: author, Created: now, Footer: t("dashboard.report.footer", v.Name, x.Period),
		Subtitle: []string{t("dashboard.report.period", x.Period), t("dashboard.report.index", index),
			t("dashboard.report.survey", said), t("dashboard.report.computed", now.Format("2006-01-02 15:04 MST"))},
		Notes: []string{t("loindex.formula.short") + " " + strings.Join(terms, " + ") + ".", t("loindex.no_data_note"),
			t("dashboard.report.formula_link")},
	}
}
