package helpdesk

import (
	"net/http"
	"time"

	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// reportRoutes mounts the help desk's reports: the page, its downloads and
// the API.
func (h *Handler) reportRoutes(rt *web.Router) {
	loc := rt.Server().Location()
	rt.Page("GET /layanan/laporan", func(w http.ResponseWriter, r *http.Request) { h.reportPage(w, r, loc) })
	rt.Page("GET /layanan/laporan.csv", func(w http.ResponseWriter, r *http.Request) { h.reportFile(w, r, loc, "csv") })
	rt.Page("GET /layanan/laporan.xlsx", func(w http.ResponseWriter, r *http.Request) { h.reportFile(w, r, loc, "xlsx") })
	rt.API(web.Op{Method: "GET", Path: "/api/v1/reports/helpdesk", ID: "helpdeskReport", Tag: "helpdesk",
		Summary: "The help desk's figures for the tickets filed in a period (volume, SLA compliance, medians, " +
			"backlog now, recurring problems, time spent, satisfaction); at most 400 days",
		Query: []web.Param{
			{Name: "from", Type: "string", Description: "the first day, YYYY-MM-DD in the city's time zone"},
			{Name: "to", Type: "string", Description: "the last day, YYYY-MM-DD (included)"},
			{Name: "preset", Type: "string", Description: "this_month, last_month or this_year instead of from and to (neither: this month)"},
			{Name: "agency_id", Type: "integer", Description: "only tickets of reporters in this agency (an agency's admin or head gets their own)"},
			{Name: "app_id", Type: "integer", Description: "only tickets about this application"},
			{Name: "team_id", Type: "integer", Description: "only tickets of this team"},
		},
		Response: Report{}}, func(w http.ResponseWriter, r *http.Request) { h.apiReport(w, r, loc) })
}

// reportFilter reads a report's period and filters from the query.
func reportFilter(r *http.Request, loc *time.Location) (ReportFilter, error) {
	q := r.URL.Query()
	var f ReportFilter
	var err error
	if f.From, f.To, err = ReportPeriod(q.Get("preset"), q.Get("from"), q.Get("to"), loc, time.Now()); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"agency_id", &f.AgencyID}, {"app_id", &f.AppID}, {"team_id", &f.TeamID}} {
		if *p.dst, err = web.QueryID(r, p.name); err != nil {
			return f, err
		}
	}
	return f, nil
}

// report reads the filter and computes the report, with its days in loc.
func (h *Handler) report(r *http.Request, loc *time.Location) (Report, error) {
	f, err := reportFilter(r, loc)
	if err != nil {
		return Report{}, err
	}
	rep, err := h.desk.HelpdeskReport(r.Context(), web.Actor(r), f)
	if err != nil {
		return Report{}, err
	}
	rep.From = f.From.In(loc).Format(time.DateOnly)
	rep.To = f.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
	return rep, nil
}

func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request, loc *time.Location) {
	rep, err := h.report(r, loc)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, rep)
}

// reportData is what the report page shows.
type reportData struct {
	Report    *Report
	Tables    []tabular.Table
	Choices   Choices
	CSV, XLSX string // the downloads of this report
}

func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request, loc *time.Location) {
	choices, err := h.desk.ReportChoices(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	query := r.URL.Query().Encode()
	data := reportData{Choices: choices, CSV: "/layanan/laporan.csv?" + query, XLSX: "/layanan/laporan.xlsx?" + query}
	rep, err := h.report(r, loc)
	if err != nil {
		web.RenderForm(w, r, "report/helpdesk", "report.title", data, err)
		return
	}
	data.Report, data.Tables = &rep, reportTables(web.Lang(r), rep)
	web.Render(w, r, http.StatusOK, "report/helpdesk", "report.title", data)
}

// reportFile answers the report as a download in format (csv or xlsx).
func (h *Handler) reportFile(w http.ResponseWriter, r *http.Request, loc *time.Location, format string) {
	rep, err := h.report(r, loc)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	name := "laporan-helpdesk-" + rep.From + "_" + rep.To
	if err := tabular.Download(w, format, name, reportTables(web.Lang(r), rep)); err != nil {
		web.Fail(w, r, err)
	}
}
