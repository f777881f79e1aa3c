package dashboard

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// dimensionPage is what /dasbor/opd/{id}/dimensi/{key} shows.
type dimensionPage struct {
	page
	agencyView
	Key       string
	Mean      *float64
	CityMean  *float64
	IsWeakest bool
	Chart     template.HTML
	Actions   []action
	Back      string
}

// dimension is one dimension of one agency: its mean over time against
// the city's, what the survey says, the platform's related inputs and
// what to do about a low score.
func (h *Handler) dimension(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	key := r.PathValue("key")
	if !slices.Contains(survey.Dimensions, key) {
		web.Fail(w, r, errs.New(errs.NotFound, "not_found"))
		return
	}
	actor, lang := web.Actor(r), web.Lang(r)
	data := dimensionPage{page: h.page(r, "", ""), Key: key}
	p, err := h.period(r)
	if err == nil {
		data.agencyView, err = h.load(r.Context(), actor, lang, id, p)
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			web.RenderForm(w, r, "dashboard/dimension", "dashboard.title", data, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	data.page = h.page(r, p.Label, "")
	data.Back = Link(id) + "?period=" + p.Label
	data.page.Report = Link(id) + "/laporan.pdf?period=" + p.Label
	data.Mean, data.IsWeakest = dimOf(data.Index, key), data.Weakest == key
	if data.City != nil {
		data.CityMean = dimOf(*data.City, key)
	}
	d := drill{agency: id, p: p}
	data.Actions = d.actions(key)
	if data.TablesHTML, err = html([]linked{h.relatedTable(lang, data.Index, key, d)}); err != nil {
		web.Fail(w, r, err)
		return
	}
	c := newCharts(lang)
	if data.Chart, err = c.dimensionTrend(key, data.Name, data.Trend, data.CityOf); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "dashboard/dimension", "dashboard.title", data)
}

// relatedTable is the rows of x's formula for the inputs related to the
// dimension key, each linked to the items behind it.
func (h *Handler) relatedTable(lang string, x loindex.Index, key string, d drill) linked {
	full := loindex.Formula(lang, x)
	l := linked{T: tabular.Table{ID: "dashboard_related", Title: cells{tabular.Format{Lang: lang}}.t("dashboard.dim.related"),
		Header: full.Header}}
	for i, in := range x.Inputs {
		if slices.Contains(related[key], in.Key) && i < len(full.Rows) {
			l.T.Rows = append(l.T.Rows, full.Rows[i])
			l.Links = append(l.Links, []string{d.link(in.Key)})
		}
	}
	return l
}
