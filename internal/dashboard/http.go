// Package dashboard is the leaders' view of the learning-organization
// index: the executive's city dashboard (the city's index and trend, every
// agency ranked with its weakest dimension), an agency's dashboard with
// drill-down to the people and items behind each figure, one dimension's
// page with suggested actions, and the monitoring-and-evaluation report
// of an agency as a PDF. The figures come from internal/loindex; the
// charts are drawn on the server by internal/chart.
package dashboard

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// TrendPeriods is how many periods the dashboards' trends show: eight
// quarters or four halves (two years), or four years.
var TrendPeriods = map[period.Kind]int{period.Quarter: 8, period.Half: 4, period.Year: 4}

// trendOf is how many periods a trend ending with p shows.
func trendOf(p period.Period) int {
	if n, ok := TrendPeriods[p.Kind]; ok {
		return n
	}
	return 8
}

// TablesFunc returns more tables about an agency in a period for its
// dashboard and M&E report, in lang, read through q.
type TablesFunc func(ctx context.Context, q db.Querier, lang string, agencyID int64, p period.Period) ([]tabular.Table, error)

// Handler serves the dashboards under /dasbor.
type Handler struct {
	idx *loindex.Service
	db  *db.DB
	// ReviewTables, when set, adds the findings and follow-ups of the
	// agency's M&E reviews in the period to its report
	// (leadership.ReviewTables, wired in server.go).
	ReviewTables TablesFunc
	// TargetTables, when set, adds the agency's learning targets of the
	// period and their progress, as actor may read them, to its dashboard,
	// downloads and report (internal/targets, wired in server.go).
	TargetTables func(ctx context.Context, actor *policy.Actor, lang string, agencyID int64, p period.Period) ([]tabular.Table, error)

	views views
}

// NewHandler returns the dashboards over the LO index; d is read for the
// extra tables. The views it keeps go when the index changes on any node.
func NewHandler(idx *loindex.Service, d *db.DB) *Handler {
	h := &Handler{idx: idx, db: d}
	d.Changes.Subscribe(loindex.Topics, func(string, string) { h.views.clear() }, h.views.clear)
	return h
}

// Routes mounts the pages /dasbor….
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /dasbor", h.city)
	rt.Page("GET /dasbor/unduh", h.cityDownload)
	rt.Page("GET /dasbor/opd/{id}", h.agency)
	rt.Page("GET /dasbor/opd/{id}/unduh", h.agencyDownload)
	rt.Page("GET /dasbor/opd/{id}/laporan.pdf", h.report)
	rt.Page("GET /dasbor/opd/{id}/dimensi/{key}", h.dimension)
	rt.Page("GET /dasbor/opd/{id}/kontribusi", h.contributions)
}

// Link returns the address of agencyID's dashboard (0: the city's).
func Link(agencyID int64) string {
	if agencyID == 0 {
		return "/dasbor"
	}
	return fmt.Sprintf("/dasbor/opd/%d", agencyID)
}

// DimensionLink returns the address of one dimension's page of an agency.
func DimensionLink(agencyID int64, key string, p string) string {
	return fmt.Sprintf("/dasbor/opd/%d/dimensi/%s?period=%s", agencyID, key, p)
}

// period reads ?period= (absent: the current quarter).
func (h *Handler) period(r *http.Request) (period.Period, error) {
	p, err := h.idx.Period(r.URL.Query().Get("period"))
	if err != nil {
		return period.Period{}, errs.FieldErr("period", "period.invalid")
	}
	return p, nil
}

// home is the agency whose dashboard a reader who may not read the city's
// lands on: their own, else the first they may read; 0 if none.
func home(a *policy.Actor) int64 {
	if a == nil {
		return 0
	}
	if a.AgencyID != 0 && policy.Can(a, policy.InsightView, policy.Target{AgencyID: a.AgencyID}) {
		return a.AgencyID
	}
	for _, g := range a.Grants {
		if g.AgencyID != 0 && policy.Can(a, policy.InsightView, policy.Target{AgencyID: g.AgencyID}) {
			return g.AgencyID
		}
	}
	return 0
}

// extra calls f when it is set.
func (h *Handler) extra(ctx context.Context, f TablesFunc, lang string, agency int64, p period.Period) ([]tabular.Table, error) {
	if f == nil {
		return nil, nil
	}
	return f(ctx, h.db.Replica, lang, agency, p)
}
