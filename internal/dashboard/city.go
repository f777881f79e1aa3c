package dashboard

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// page is what every dashboard page shares: the period and its picker,
// the formula's weights, the tables (downloaded as they are shown).
type page struct {
	Period   string
	Periods  []string
	Weights  []loindex.Weight
	MinGroup int
	// TablesHTML is the page's tables written out (see html); the
	// downloads hold the same tables.
	TablesHTML template.HTML
	CSV        string
	XLSX       string
	Report     string // the M&E report of an agency's page
	Lang       string
}

// Num writes a figure with places decimals as the reader's language does,
// "" for none.
func (p page) Num(v *float64, places int) string {
	if v == nil {
		return ""
	}
	return tabular.Format{Lang: p.Lang}.Decimal(*v, places)
}

// Signed writes a change with its sign: +2,5 or -1,0.
func (p page) Signed(v *float64) string {
	if v == nil {
		return ""
	}
	if *v > 0 {
		return "+" + p.Num(v, 1)
	}
	return p.Num(v, 1)
}

func (h *Handler) page(r *http.Request, label, download string) page {
	p := page{Period: label, Periods: h.idx.Choices(), Weights: loindex.Weights, MinGroup: survey.MinGroup, Lang: web.Lang(r)}
	if label != "" && download != "" {
		p.CSV = download + "?format=csv&period=" + label
		p.XLSX = download + "?format=xlsx&period=" + label
	}
	return p
}

// cityPage is what /dasbor shows.
type cityPage struct {
	page
	City     loindex.Index
	Change   *float64
	Agencies int
	Trend    template.HTML
	Dims     template.HTML
	Ranking  template.HTML
	Weakest  string // the city's weakest dimension
}

// city is the executive's dashboard; an agency's head or admin is taken
// to their agency's.
func (h *Handler) city(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	if !policy.Can(actor, policy.InsightView, policy.Target{}) {
		if id := home(actor); id != 0 {
			target := Link(id)
			if q := r.URL.RawQuery; q != "" {
				target += "?" + q
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	data := cityPage{page: h.page(r, "", "")}
	p, err := h.period(r)
	if err != nil {
		web.RenderForm(w, r, "dashboard/city", "dashboard.title", data, err)
		return
	}
	key, now := web.Lang(r)+"|"+p.Label, time.Now()
	c, gen, ok := h.views.get(key, now)
	if !ok {
		c = cityView{at: now}
		var tables []linked
		tables, c.view, err = h.cityTables(r.Context(), actor, web.Lang(r), p, true)
		if err == nil {
			c.html, err = html(tables)
		}
		if err == nil {
			h.views.put(key, c, gen)
		}
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			web.RenderForm(w, r, "dashboard/city", "dashboard.title", data, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	view := c.view
	view.page = h.page(r, p.Label, "/dasbor/unduh")
	view.TablesHTML = c.html
	web.Render(w, r, http.StatusOK, "dashboard/city", "dashboard.title", view)
}

// cityTables builds the city dashboard's tables — and, with charts, its
// charts and figures.
func (h *Handler) cityTables(ctx context.Context, actor *policy.Actor, lang string, p period.Period, withCharts bool) ([]linked, cityPage, error) {
	var view cityPage
	list, err := h.idx.All(ctx, actor, p)
	if err != nil {
		return nil, view, err
	}
	var prev []loindex.Index // none before the index's reach
	if q := p.Previous(); h.idx.InReach(q) {
		if prev, err = h.idx.All(ctx, actor, q); err != nil {
			return nil, view, err
		}
	}
	trend, err := h.idx.Trend(ctx, actor, 0, p, trendOf(p))
	if err != nil {
		return nil, view, err
	}
	names, err := h.idx.Names(ctx)
	if err != nil {
		return nil, view, err
	}
	before := make(map[int64]loindex.Index, len(prev))
	for _, x := range prev {
		before[x.AgencyID] = x
	}
	city := list[len(list)-1] // All ends with the city's, which the reader may read
	ranks := ranking(list, before, names)
	tables := []linked{rankingTable(lang, p.Label, ranks), formulaTable(lang, city, drill{p: p}),
		{T: loindex.Trend(lang, trend)}}
	if !withCharts {
		return tables, view, nil
	}
	view.City, view.Agencies = city, len(ranks)
	if b, ok := before[0]; ok && b.Index != nil && city.Index != nil {
		c := *city.Index - *b.Index
		view.Change = &c
	}
	view.Weakest, _ = weakest(city)
	c := newCharts(lang)
	if view.Trend, err = c.trend(c.t("dashboard.chart.city_trend"), c.t("loindex.city"), trend, nil); err != nil {
		return nil, view, err
	}
	if view.Dims, err = c.dimensions(city); err != nil {
		return nil, view, err
	}
	if view.Ranking, err = c.ranking(ranks, p.Label); err != nil {
		return nil, view, err
	}
	return tables, view, nil
}

// cityDownload answers the city dashboard's tables as CSV or XLSX.
func (h *Handler) cityDownload(w http.ResponseWriter, r *http.Request) {
	format, p, err := h.download(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if !policy.Can(web.Actor(r), policy.InsightView, policy.Target{}) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	tables, _, err := h.cityTables(r.Context(), web.Actor(r), web.Lang(r), p, false)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := tabular.Download(w, format, "dasbor-kota-"+p.Label, tablesOf(tables)); err != nil {
		web.Fail(w, r, err)
	}
}

// download reads ?format= (csv or xlsx) and ?period=.
func (h *Handler) download(r *http.Request) (string, period.Period, error) {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		return "", period.Period{}, errs.FieldErr("format", "loindex.format")
	}
	p, err := h.period(r)
	return format, p, err
}
