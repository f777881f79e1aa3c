package competency

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates/gaps
var gapTemplates embed.FS

// GapHandler serves the gap analysis: the pages of an agency's or the
// city's gaps and of a person's, and the API.
type GapHandler struct{ svc *GapService }

// NewGapHandler returns the handler over svc.
func NewGapHandler(svc *GapService) *GapHandler { return &GapHandler{svc: svc} }

// Routes mounts the gap pages and API.
func (h *GapHandler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(gapTemplates, "templates")
	rt.Templates(sub)
	rt.Page("GET /kompetensi/kesenjangan", h.overview)
	rt.Page("GET /kompetensi/kesenjangan.csv", h.download)
	rt.Page("GET /pegawai/{id}/kesenjangan", h.person)
	people := append([]web.Param{{Name: "competency", Type: "string",
		Description: "a competency's code: only those lacking it"}}, web.PageParams...)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/gaps", ID: "listEmployeeGaps", Tag: "gaps",
		Summary: "The competencies a person needs and lacks, most levels lacking first, with the requirements behind each, " +
			"the help desk's signal and the activities and upcoming events that close it",
		Query: append([]web.Param{{Name: "met", Type: "boolean",
			Description: "true: also the requirements the person meets (gap 0), last"}}, web.PageParams...),
		Response: Gap{}, List: true}, h.apiPerson)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/agencies/{id}/gaps", ID: "listAgencyGaps", Tag: "gaps",
		Summary:  "The competencies an agency's people lack, ranked by the levels lacking, with the help desk's signals and proposals",
		Query:    web.PageParams,
		Response: CompetencyGap{}, List: true}, h.apiAgency)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/agencies/{id}/gaps/people", ID: "listAgencyGapPeople", Tag: "gaps",
		Summary: "Who in an agency lacks which competency and by how many levels, most first",
		Query:   people, Response: PersonGapRow{}, List: true}, h.apiAgencyPeople)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/gaps", ID: "listGaps", Tag: "gaps",
		Summary:  "The competencies the city's people lack, ranked by the levels lacking, with the help desk's signals and proposals",
		Query:    web.PageParams,
		Response: CompetencyGap{}, List: true}, h.apiCity)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/gaps/agencies", ID: "listGapAgencies", Tag: "gaps",
		Summary:  "The city's agencies ranked by the competency levels their people lack",
		Query:    web.PageParams,
		Response: AgencyGap{}, List: true}, h.apiCityAgencies)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/gaps/people", ID: "listGapPeople", Tag: "gaps",
		Summary: "Who in the city lacks which competency and by how many levels, most first",
		Query:   people, Response: PersonGapRow{}, List: true}, h.apiCityPeople)
}

// idFilter carries a path id through web.ServeList.
type idFilter struct {
	ID  int64
	Met bool
	GapFilter
}

func pathFilter(r *http.Request) (idFilter, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return idFilter{}, err
	}
	f, err := queryFilter(r)
	f.ID = id
	return f, err
}

func queryFilter(r *http.Request) (idFilter, error) {
	f := idFilter{GapFilter: GapFilter{Competency: web.QueryString(r, "competency")}}
	switch r.URL.Query().Get("met") {
	case "", "false":
	case "true":
		f.Met = true
	default:
		return f, errs.FieldErr("met", "gap.boolean")
	}
	return f, nil
}

func (h *GapHandler) apiPerson(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, pathFilter, func(ctx context.Context, f idFilter, p db.Page) ([]Gap, string, error) {
		return h.svc.PersonGaps(ctx, web.Actor(r), f.ID, f.Met, p)
	})
}

func (h *GapHandler) apiAgency(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, pathFilter, func(ctx context.Context, f idFilter, p db.Page) ([]CompetencyGap, string, error) {
		return h.svc.AgencyGaps(ctx, web.Actor(r), f.ID, p)
	})
}

func (h *GapHandler) apiAgencyPeople(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, pathFilter, func(ctx context.Context, f idFilter, p db.Page) ([]PersonGapRow, string, error) {
		return h.svc.AgencyPeople(ctx, web.Actor(r), f.ID, f.GapFilter, p)
	})
}

func (h *GapHandler) apiCity(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, queryFilter, func(ctx context.Context, _ idFilter, p db.Page) ([]CompetencyGap, string, error) {
		return h.svc.CityGaps(ctx, web.Actor(r), p)
	})
}

func (h *GapHandler) apiCityAgencies(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, queryFilter, func(ctx context.Context, _ idFilter, p db.Page) ([]AgencyGap, string, error) {
		return h.svc.CityAgencies(ctx, web.Actor(r), p)
	})
}

func (h *GapHandler) apiCityPeople(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, queryFilter, func(ctx context.Context, f idFilter, p db.Page) ([]PersonGapRow, string, error) {
		return h.svc.CityPeople(ctx, web.Actor(r), f.GapFilter, p)
	})
}

// overviewPage is what the agency's or city's page shows.
type overviewPage struct {
	*GapOverview
	Choices    []GapAgency // the agencies the viewer may pick (all, for city-wide viewers)
	AgencyID   int64       // the agency shown; 0: the city
	CityWide   bool        // the viewer may see the city
	Competency string      // the competency the list of people is narrowed to
	Helpdesk   helpdeskRule
	CSV        string // the download of who lacks what, as shown
}

// helpdeskRule shows the help desk's thresholds on the page.
type helpdeskRule struct{ Tickets, Reporters, Days, Level int }

func (h *GapHandler) overview(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	cityWide := policy.Can(actor, policy.DevelopmentView, policy.Target{})
	if agency == nil && !cityWide {
		// An agency's admin, head or trainer lands on their own agency.
		for _, role := range []policy.Role{policy.AgencyAdmin, policy.AgencyHead, policy.Trainer} {
			if ids := actor.AgenciesWith(role); len(ids) > 0 {
				http.Redirect(w, r, "/kompetensi/kesenjangan?opd="+strconv.FormatInt(ids[0], 10), http.StatusSeeOther)
				return
			}
		}
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var id int64
	if agency != nil {
		id = *agency
	}
	f := GapFilter{Competency: web.QueryString(r, "kompetensi")}
	o, err := h.svc.Overview(r.Context(), actor, id, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := overviewPage{GapOverview: o, AgencyID: id, CityWide: cityWide,
		Helpdesk: helpdeskRule{HelpdeskMinTickets, HelpdeskMinReporters, int(HelpdeskWindow.Hours() / 24), HelpdeskLevel}}
	if f.Competency != nil {
		data.Competency = *f.Competency
	}
	data.CSV = strings.Replace(data.URL(id, data.Competency), "/kompetensi/kesenjangan", "/kompetensi/kesenjangan.csv", 1)
	if data.Choices, err = h.svc.agencyChoices(r.Context(), actor); err != nil {
		web.Fail(w, r, err)
		return
	}
	title := "gap.title.city"
	if o.Agency != nil {
		title = "gap.title.agency"
	}
	web.Render(w, r, http.StatusOK, "gaps/overview", title, data)
}

// personPage is what a person's gap page shows.
type personPage struct {
	Person GapPerson
	Agency string
	Gaps   []Gap // lacking, ranked
	Met    []Gap
	Levels map[int64][4]string // each competency's level descriptions
	Self   bool                // the viewer's own page: a link to their self-assessment
	// AgencyView says the viewer may see the person's agency's gaps.
	AgencyView bool
}

func (h *GapHandler) person(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	all, _, err := h.svc.PersonGaps(r.Context(), actor, id, true, db.Page{Limit: db.MaxLimit})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := personPage{Self: actor.EmployeeID == id}
	for _, g := range all {
		if g.Gap > 0 {
			data.Gaps = append(data.Gaps, g)
		} else {
			data.Met = append(data.Met, g)
		}
	}
	if data.Person, data.Agency, err = h.svc.personName(r.Context(), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	data.AgencyView = policy.Can(actor, policy.DevelopmentView, policy.Target{AgencyID: data.Person.AgencyID})
	if data.Levels, err = h.svc.levelTexts(r.Context(), all); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "gaps/person", "gap.title.person", data)
}

// AgencyName names an agency of the city's ranking, for the template.
func (p overviewPage) AgencyName(id int64) string {
	for _, a := range p.Agencies {
		if a.Agency.ID == id {
			return a.Agency.Name
		}
	}
	return ""
}

// URL links to the page of agency (0: the city) narrowed to a competency
// ("" none), for the template.
func (overviewPage) URL(agency int64, competency string) string {
	q := url.Values{}
	if agency != 0 {
		q.Set("opd", strconv.FormatInt(agency, 10))
	}
	if competency != "" {
		q.Set("kompetensi", competency)
	}
	if len(q) == 0 {
		return "/kompetensi/kesenjangan"
	}
	return "/kompetensi/kesenjangan?" + q.Encode()
}

// LevelText is the description of level (1–4) of competency comp, "" when
// unknown.
func (p personPage) LevelText(comp int64, level int) string {
	if level < 1 || level > 4 {
		return ""
	}
	return p.Levels[comp][level-1]
}
