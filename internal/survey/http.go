package survey

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the survey's pages (/survei…) and API (/api/v1/surveys…,
// /api/v1/survey-instruments).
type Handler struct{ svc *Service }

// NewHandler returns the handler over the service.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	h.pageRoutes(rt)
	h.instrumentRoutes(rt)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/survey-instruments", ID: "listSurveyInstruments", Tag: "surveys",
		Summary: "The survey instruments with their items (survey managers)", Response: Instrument{}, List: true}, h.apiInstruments)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/survey-instruments", ID: "createSurveyInstrument", Tag: "surveys",
		Summary: "Build an instrument: items with dimensions and sections, and the scale", Body: InstrumentInput{},
		Response: Instrument{}, Status: http.StatusCreated}, h.apiCreateInstrument)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/surveys", ID: "listSurveys", Tag: "surveys",
		Summary: "Survey campaigns, newest first (survey managers and results readers)", Response: Campaign{}, List: true}, h.apiCampaigns)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/surveys", ID: "createSurvey", Tag: "surveys",
		Summary: "Create a draft campaign of an instrument (0: the LO survey) over agencies (none: all) for a period",
		Body:    CampaignInput{}, Response: Campaign{}, Status: http.StatusCreated}, h.apiCreateCampaign)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/surveys/{id}", ID: "getSurvey", Tag: "surveys",
		Summary: "One campaign with its participation", Response: Campaign{}}, h.apiCampaign)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/surveys/{id}/open", ID: "openSurvey", Tag: "surveys",
		Summary:  "Open a draft campaign now: every active employee of its agencies is invited once with a one-time link",
		Response: Campaign{}}, h.apiOpen)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/surveys/{id}/close", ID: "closeSurvey", Tag: "surveys",
		Summary: "Close an open campaign now; its results then show", Response: Campaign{}}, h.apiClose)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/surveys/{id}/responses", ID: "answerSurvey", Tag: "surveys", Public: true,
		Summary: "Answer a campaign with a one-time token (or, signed in without one, one's own invitation): every item once, " +
			"each on the scale, or nothing is stored; a reused, forged or closed-campaign token is 409/404. Answers are anonymous.",
		Body: ResponseInput{}, Response: Received{}, Status: http.StatusCreated}, h.apiRespond)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/surveys/{id}/results", ID: "surveyResults", Tag: "surveys",
		Summary: "Results of the city, an agency (agency_id) or an agency type (agency_type) of a closed campaign; a group " +
			"under 5 respondents, or one that published groups would give away by subtraction, answers {\"suppressed\": true, \"reason\": …}",
		Query: []web.Param{{Name: "agency_id", Type: "integer", Description: "an agency of the campaign"},
			{Name: "agency_type", Type: "string", Description: "dinas, badan, kecamatan, …"}},
		Response: Results{}}, h.apiResults)
}

// ResponseInput is an answer to a campaign.
type ResponseInput struct {
	Token   string   `json:"token"`
	Answers []Answer `json:"answers"`
}

// Received says answers were stored; it carries nothing that identifies
// them.
type Received struct {
	CampaignID int64 `json:"campaign_id"`
	Received   bool  `json:"received"`
}

func (h *Handler) apiInstruments(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Instruments(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCreateInstrument(w http.ResponseWriter, r *http.Request) {
	var in InstrumentInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	out, err := h.svc.CreateInstrument(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/survey-instruments", out)
}

func (h *Handler) apiCampaigns(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Campaigns(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCreateCampaign(w http.ResponseWriter, r *http.Request) {
	var in CampaignInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	out, err := h.svc.CreateCampaign(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/surveys/"+strconv.FormatInt(out.ID, 10), out)
}

func (h *Handler) apiCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var c Campaign
		if c, err = h.svc.Campaign(r.Context(), web.Actor(r), id); err == nil {
			web.WriteJSON(w, http.StatusOK, c)
			return
		}
	}
	web.WriteProblem(w, r, err)
}

func (h *Handler) apiOpen(w http.ResponseWriter, r *http.Request) {
	h.apiStatus(w, r, h.svc.OpenCampaign)
}
func (h *Handler) apiClose(w http.ResponseWriter, r *http.Request) {
	h.apiStatus(w, r, h.svc.CloseCampaign)
}

func (h *Handler) apiStatus(w http.ResponseWriter, r *http.Request, change campaignChange) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var c Campaign
		if c, err = change(r.Context(), web.Actor(r), id); err == nil {
			web.WriteJSON(w, http.StatusOK, c)
			return
		}
	}
	web.WriteProblem(w, r, err)
}

func (h *Handler) apiRespond(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in ResponseInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if in.Token == "" && web.Actor(r) != nil {
		err = h.svc.SubmitMine(r.Context(), web.Actor(r), id, in.Answers)
	} else {
		err = h.svc.Submit(r.Context(), in.Token, id, in.Answers)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, Received{CampaignID: id, Received: true})
}

func (h *Handler) apiResults(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	f := Filter{AgencyID: agency, AgencyType: r.URL.Query().Get("agency_type")}
	if f.AgencyID != nil && f.AgencyType != "" {
		web.WriteProblem(w, r, errs.FieldErr("agency_type", "survey.one_group"))
		return
	}
	res, err := h.svc.GroupResults(r.Context(), web.Actor(r), id, f, web.APILang(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}
