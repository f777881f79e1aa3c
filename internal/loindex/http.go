package loindex

import (
	"cmp"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the LO index as pages and in the API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// TrendPeriods is how many periods a page's or the API's trend shows by
// default.
const TrendPeriods = 8

// Routes mounts the pages /indeks… and the API /api/v1/lo-index….
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /indeks", h.overview)
	rt.Page("GET /indeks/rumus", h.formula)
	rt.Page("GET /indeks/unduh", h.download)
	rt.Page("GET /indeks/kota", h.detail)
	rt.Page("GET /indeks/{id}", h.detail)
	periodParam := web.Param{Name: "period", Type: "string",
		Description: "a year (2026), half (2026-H1) or quarter (2026-Q3); default the current quarter"}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/lo-index", ID: "getLOIndex", Tag: "lo-index",
		Summary:  "The learning-organization index of an agency or the city for a period, with its seven survey dimensions and its inputs",
		Query:    []web.Param{{Name: "agency_id", Type: "integer", Description: "the agency; absent: the city"}, periodParam},
		Response: sampleIndex()}, h.apiIndex)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/lo-index/agencies", ID: "listLOIndex", Tag: "lo-index",
		Summary: "The index of every agency the caller may read for a period, then the city's",
		Query:   []web.Param{periodParam}, Response: sampleIndex(), List: true}, h.apiAll)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/lo-index/trend", ID: "getLOIndexTrend", Tag: "lo-index",
		Summary: "The index of an agency or the city over the periods ending with period, oldest first",
		Query: []web.Param{{Name: "agency_id", Type: "integer", Description: "the agency; absent: the city"}, periodParam,
			{Name: "n", Type: "integer", Description: "how many periods, 1–12 (default 8)"}},
		Response: sampleIndex(), List: true}, h.apiTrend)
}

func sampleIndex() Index {
	x := Index{Period: "2026-Q3"}
	x.Inputs = append(x.Inputs, x.dimensions(nil))
	x.Inputs = append(x.Inputs, Input{Key: InputTraining, Unit: UnitJP})
	return x
}

// query reads ?agency_id= (absent: the city) and ?period= (absent: the
// current quarter).
func (h *Handler) query(r *http.Request) (int64, period.Period, error) {
	var v errs.Validation
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		v.Add("agency_id", "number")
	}
	p, perr := h.svc.Period(r.URL.Query().Get("period"))
	if perr != nil {
		v.Add("period", "period.invalid")
	}
	if err := v.Err(); err != nil {
		return 0, period.Period{}, err
	}
	if agency == nil {
		return 0, p, nil
	}
	if *agency < 1 {
		return 0, period.Period{}, errs.FieldErr("agency_id", "number")
	}
	return *agency, p, nil
}

func (h *Handler) apiIndex(w http.ResponseWriter, r *http.Request) {
	agency, p, err := h.query(r)
	if err == nil {
		var x Index
		if x, err = h.svc.Index(r.Context(), web.Actor(r), agency, p); err == nil {
			web.WriteJSON(w, http.StatusOK, x)
			return
		}
	}
	web.WriteProblem(w, r, err)
}

func (h *Handler) apiAll(w http.ResponseWriter, r *http.Request) {
	_, p, err := h.query(r)
	if err == nil {
		var list []Index
		if list, err = h.svc.All(r.Context(), web.Actor(r), p); err == nil {
			web.WriteList(w, list, "")
			return
		}
	}
	web.WriteProblem(w, r, err)
}

func (h *Handler) apiTrend(w http.ResponseWriter, r *http.Request) {
	agency, p, err := h.query(r)
	if err == nil {
		n := TrendPeriods
		if s := r.URL.Query().Get("n"); s != "" {
			if n, err = strconv.Atoi(s); err != nil {
				err = errs.FieldErr("n", "loindex.trend_range", MaxTrend)
			}
		}
		if err == nil {
			var list []Index
			if list, err = h.svc.Trend(r.Context(), web.Actor(r), agency, p, n); err == nil {
				web.WriteList(w, list, "")
				return
			}
		}
	}
	web.WriteProblem(w, r, err)
}

// overviewPage is what /indeks shows.
type overviewPage struct {
	Period   string
	Periods  []string // quick choices: this quarter, the last ones, this year and the last
	Tables   []tabular.Table
	Rows     []Index
	Names    map[int64]string
	CSV      string
	XLSX     string
	Weights  []Weight
	MinGroup int
	ByName   bool
}

// ordered puts the city first, then the agencies by index, highest first
// and those without one last (byName: by name).
func ordered(list []Index, names map[int64]string, byName bool) []Index {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b Index) int {
		switch {
		case a.AgencyID == 0 || b.AgencyID == 0:
			return cmp.Compare(min(a.AgencyID, 1), min(b.AgencyID, 1))
		case !byName && a.Known() != b.Known():
			if a.Known() {
				return -1
			}
			return 1
		case !byName && a.Shown() != b.Shown():
			return cmp.Compare(b.Shown(), a.Shown())
		}
		return cmp.Compare(names[a.AgencyID], names[b.AgencyID])
	})
	return out
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	data := overviewPage{Periods: h.svc.Choices(), Weights: Weights, MinGroup: minGroup}
	_, p, err := h.query(r)
	if err != nil {
		web.RenderForm(w, r, "loindex/overview", "loindex.title", data, err)
		return
	}
	data.Period = p.Label
	list, err := h.svc.All(r.Context(), web.Actor(r), p)
	if err != nil {
		web.RenderForm(w, r, "loindex/overview", "loindex.title", data, err)
		return
	}
	names, err := h.svc.Names(r.Context())
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	byName := r.URL.Query().Get("urut") == "nama"
	list = ordered(list, names, byName)
	data.Rows, data.Names, data.ByName = list, names, byName
	data.Tables = []tabular.Table{Overview(web.Lang(r), list, names), Dimensions(web.Lang(r), list, names)}
	sort := ""
	if byName {
		sort = "&urut=nama"
	}
	data.CSV = "/indeks/unduh?format=csv&period=" + p.Label + sort
	data.XLSX = "/indeks/unduh?format=xlsx&period=" + p.Label + sort
	web.Render(w, r, http.StatusOK, "loindex/overview", "loindex.title", data)
}

// download answers the overview's tables, with every visible index's
// formula, as CSV or XLSX.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		web.Fail(w, r, errs.FieldErr("format", "loindex.format"))
		return
	}
	_, p, err := h.query(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	list, err := h.svc.All(r.Context(), web.Actor(r), p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	names, err := h.svc.Names(r.Context())
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	lang := web.Lang(r)
	list = ordered(list, names, r.URL.Query().Get("urut") == "nama")
	tables := []tabular.Table{Overview(lang, list, names), Dimensions(lang, list, names), Inputs(lang, list, names)}
	if err := tabular.Download(w, format, "indeks-organisasi-pembelajar-"+p.Label, tables); err != nil {
		web.Fail(w, r, err)
	}
}

// detailPage is what /indeks/{id} and /indeks/kota show.
type detailPage struct {
	Period   string
	Index    Index
	Name     string
	Periods  []string
	Formula  tabular.Table
	Dims     tabular.Table
	Trend    tabular.Table
	Weights  []Weight
	CanCity  bool
	MinGroup int
}

func (h *Handler) detail(w http.ResponseWriter, r *http.Request) {
	var agency int64
	if r.PathValue("id") != "" {
		id, err := web.PathID(r, "id")
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		agency = id
	}
	data := detailPage{Periods: h.svc.Choices(), Weights: Weights, MinGroup: minGroup,
		CanCity: policy.Can(web.Actor(r), policy.InsightView, policy.Target{})}
	_, p, err := h.query(r)
	if err != nil {
		web.RenderForm(w, r, "loindex/detail", "loindex.title", data, err)
		return
	}
	data.Period = p.Label
	ctx, actor, lang := r.Context(), web.Actor(r), web.Lang(r)
	x, err := h.svc.Index(ctx, actor, agency, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	trend, err := h.svc.Trend(ctx, actor, agency, p, TrendPeriods)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	names, err := h.svc.Names(ctx)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data.Index, data.Name = x, names[agency]
	data.Formula, data.Dims, data.Trend = Formula(lang, x), Dimensions(lang, []Index{x}, names), Trend(lang, trend)
	web.Render(w, r, http.StatusOK, "loindex/detail", "loindex.title", data)
}

func (h *Handler) formula(w http.ResponseWriter, r *http.Request) {
	web.Render(w, r, http.StatusOK, "loindex/formula", "loindex.formula.title", formulaPage{Weights: Weights,
		AnswersNorm: NormAnswersPerYear, ArticlesNorm: NormArticlesPerYear, SelfServiceNorm: NormSelfService,
		IdeaDays: IdeaAnswerDays, MinGroup: minGroup})
}

type formulaPage struct {
	Weights                                    []Weight
	AnswersNorm, ArticlesNorm, SelfServiceNorm float64
	IdeaDays, MinGroup                         int
}
