package dashboard

import (
	"context"
	"html/template"
	"net/http"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// agencyView is one agency's figures for a period, as its dashboard, its
// downloads and its report use them.
type agencyView struct {
	Index   loindex.Index
	Name    string
	Trend   []loindex.Index
	City    *loindex.Index  // nil when the reader may not read the city's
	CityOf  []loindex.Index // the city's trend, same condition
	Weakest string
	Own     []linked // its tables: the formula, dimensions, trend and targets
}

// load reads agency's figures for p as actor may read them: the
// agency's index and trend, and the city's beside them for those who may
// read it. Forbidden for an agency the actor may not read.
func (h *Handler) load(ctx context.Context, actor *policy.Actor, lang string, agency int64, p period.Period) (agencyView, error) {
	var v agencyView
	x, err := h.idx.Index(ctx, actor, agency, p)
	if err != nil {
		return v, err
	}
	trend, err := h.idx.Trend(ctx, actor, agency, p, trendOf(p))
	if err != nil {
		return v, err
	}
	names, err := h.idx.Names(ctx)
	if err != nil {
		return v, err
	}
	v.Index, v.Trend, v.Name = x, trend, names[agency]
	v.Weakest, _ = weakest(x)
	if policy.Can(actor, policy.InsightView, policy.Target{}) {
		city, err := h.idx.Index(ctx, actor, 0, p)
		if err != nil {
			return v, err
		}
		if v.CityOf, err = h.idx.Trend(ctx, actor, 0, p, trendOf(p)); err != nil {
			return v, err
		}
		v.City = &city
	}
	v.Own = []linked{formulaTable(lang, x, drill{agency: agency, p: p}), dimensionTable(lang, x, v.City),
		{T: loindex.Trend(lang, trend)}}
	if h.TargetTables != nil {
		targets, err := h.TargetTables(ctx, actor, lang, agency, p)
		if err != nil {
			return v, err
		}
		v.Own = append(v.Own, plain(targets...)...)
	}
	return v, nil
}

// agencyPage is what /dasbor/opd/{id} shows.
type agencyPage struct {
	page
	agencyView
	Change  *float64
	CanCity bool
	TrendC  template.HTML
	DimsC   template.HTML
	InputsC template.HTML
}

func (h *Handler) agency(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor, lang := web.Actor(r), web.Lang(r)
	data := agencyPage{page: h.page(r, "", ""), CanCity: policy.Can(actor, policy.InsightView, policy.Target{})}
	p, err := h.period(r)
	if err == nil {
		data.agencyView, err = h.load(r.Context(), actor, lang, id, p)
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			web.RenderForm(w, r, "dashboard/agency", "dashboard.title", data, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	data.page = h.page(r, p.Label, Link(id)+"/unduh")
	if data.TablesHTML, err = html(data.Own); err != nil {
		web.Fail(w, r, err)
		return
	}
	data.page.Report = Link(id) + "/laporan.pdf?period=" + p.Label
	if n := len(data.Trend); n > 1 && data.Trend[n-1].Index != nil && data.Trend[n-2].Index != nil {
		c := *data.Trend[n-1].Index - *data.Trend[n-2].Index
		data.Change = &c
	}
	c := newCharts(lang)
	if data.TrendC, err = c.trend(c.t("dashboard.chart.agency_trend", data.Name), data.Name, data.Trend, data.CityOf); err == nil {
		if data.DimsC, err = c.dimensions(data.Index); err == nil {
			data.InputsC, err = c.inputs(data.Index)
		}
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "dashboard/agency", "dashboard.title", data)
}

// agencyDownload answers an agency dashboard's tables as CSV or XLSX.
func (h *Handler) agencyDownload(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	format, p, err := h.download(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	v, err := h.load(r.Context(), web.Actor(r), web.Lang(r), id, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := tabular.Download(w, format, "dasbor-opd-"+r.PathValue("id")+"-"+p.Label, tablesOf(v.Own)); err != nil {
		web.Fail(w, r, err)
	}
}
