package leadership

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

const tag = "leadership"

func (h *Handler) apiRoutes(rt *web.Router) {
	id := web.Param{Name: "agency_id", Type: "integer", Description: "the agency; 0 for the city's own"}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/visions", ID: "listVisions", Tag: tag,
		Summary: "The vision and mission in force of the city (agency_id 0, first) and of each agency; with agency_id, that one's history, newest first",
		Query:   []web.Param{id}, Response: Vision{}, List: true}, h.apiVisions)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/visions", ID: "setVision", Tag: tag,
		Summary: "Write a new version of a vision and mission (agency_id 0: the city's); earlier versions stay as history",
		Body:    VisionInput{}, Response: Vision{}, Status: http.StatusCreated}, h.apiSetVision)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/regulations", ID: "listRegulations", Tag: tag,
		Summary: "The registry of regulations, newest signed first",
		Query: append([]web.Param{{Name: "q", Type: "string", Description: "words of the number or title"},
			{Name: "kind", Type: "string", Description: "perwali, sk, se or other"},
			{Name: "status", Type: "string", Description: "in_force or revoked"},
			{Name: "in_force_now", Type: "boolean", Description: "only those in force today (not revoked, within their dates)"}, id}, web.PageParams...),
		Response: Regulation{}, List: true}, h.apiRegulations)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/regulations", ID: "createRegulation", Tag: tag,
		Summary: "Register a regulation with what it requires", Body: RegulationInput{}, Response: Regulation{},
		Status: http.StatusCreated}, h.apiCreateRegulation)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/regulations/{id}", ID: "getRegulation", Tag: tag,
		Summary: "A regulation with its obligations and documents", Response: Regulation{}}, h.apiRegulation)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/regulations/{id}", ID: "updateRegulation", Tag: tag,
		Summary: "Change a regulation; its obligations are replaced by those sent", Body: RegulationInput{},
		Response: Regulation{}}, h.apiUpdateRegulation)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/regulations/{id}/revoke", ID: "revokeRegulation", Tag: tag,
		Summary: "Mark a regulation revoked", Response: Regulation{}}, h.apiRevoke)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/announcements", ID: "listAnnouncements", Tag: tag,
		Summary: "The caller's announcements, newest first; unread=true only those not read; sent=true those the caller posted",
		Query: append([]web.Param{{Name: "unread", Type: "boolean", Description: "only those not read yet"},
			{Name: "sent", Type: "boolean", Description: "those the caller posted"}}, web.PageParams...),
		Response: Announcement{}, List: true}, h.apiAnnouncements)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/announcements", ID: "postAnnouncement", Tag: tag,
		Summary: "Announce to the city (no agency_ids) or to agencies, optionally to holders of roles; each recipient is notified",
		Body:    AnnouncementInput{}, Response: Announcement{}, Status: http.StatusCreated}, h.apiPost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/announcements/{id}", ID: "getAnnouncement", Tag: tag,
		Summary:  "An announcement; its poster (and who may post to its audience) also gets the read receipts per agency and who has not read it",
		Response: Announcement{}}, h.apiAnnouncement)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/announcements/{id}/read", ID: "readAnnouncement", Tag: tag,
		Summary: "Mark an announcement read by the caller", Response: Announcement{}}, h.apiRead)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/reviews", ID: "listReviews", Tag: tag,
		Summary:  "Monitoring-and-evaluation reviews the caller may read, newest first",
		Query:    append([]web.Param{id, {Name: "period", Type: "string", Description: "2026, 2026-H1 or 2026-Q3"}}, web.PageParams...),
		Response: Review{}, List: true}, h.apiReviews)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/reviews", ID: "createReview", Tag: tag,
		Summary: "Hold a review of an agency (agency_id 0: the city) for a period", Body: ReviewInput{},
		Response: Review{}, Status: http.StatusCreated}, h.apiCreateReview)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/reviews/{id}", ID: "getReview", Tag: tag,
		Summary: "A review with its findings and follow-ups", Response: Review{}}, h.apiReview)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/reviews/{id}/findings", ID: "addFinding", Tag: tag,
		Summary: "Add a finding (severity low, medium or high) to a review", Body: FindingInput{}, Response: Review{},
		Status: http.StatusCreated}, h.apiFinding)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/reviews/{id}/follow-ups", ID: "addFollowUp", Tag: tag,
		Summary: "Assign a follow-up action of a review to a person with a due day; they are notified",
		Body:    FollowUpInput{}, Response: FollowUp{}, Status: http.StatusCreated}, h.apiAddFollowUp)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/follow-ups", ID: "listMyFollowUps", Tag: tag,
		Summary:  "The follow-ups assigned to the caller, open first, soonest due first; all=true includes done ones",
		Query:    []web.Param{{Name: "all", Type: "boolean", Description: "include done ones"}},
		Response: FollowUp{}, List: true}, h.apiMyFollowUps)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/follow-ups/{id}", ID: "getFollowUp", Tag: tag,
		Summary: "A follow-up with its progress notes", Response: FollowUp{}}, h.apiFollowUp)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/follow-ups/{id}/notes", ID: "reportFollowUp", Tag: tag,
		Summary: "Report progress on a follow-up (its assignee or the agency's leaders); status done closes it, open reopens it",
		Body:    ProgressInput{}, Response: FollowUp{}, Status: http.StatusCreated}, h.apiReport)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/recognitions", ID: "listRecognitions", Tag: tag,
		Summary: "The recognition wall, newest first",
		Query: append([]web.Param{id, {Name: "employee_id", Type: "integer", Description: "recognitions naming this person"},
			{Name: "period", Type: "string", Description: "2026, 2026-H1 or 2026-Q3"}}, web.PageParams...),
		Response: Recognition{}, List: true}, h.apiRecognitions)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/recognitions", ID: "giveRecognition", Tag: tag,
		Summary: "Recognize a person or a team (team name and members); they are notified",
		Body:    RecognitionInput{}, Response: Recognition{}, Status: http.StatusCreated}, h.apiRecognize)
}

func (h *Handler) apiVisions(w http.ResponseWriter, r *http.Request) {
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var list []Vision
	if agency != nil {
		list, err = h.svc.VisionHistory(r.Context(), web.Actor(r), *agency)
	} else {
		list, err = h.svc.Visions(r.Context(), web.Actor(r))
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiSetVision(w http.ResponseWriter, r *http.Request) {
	var in VisionInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	v, err := h.svc.SetVision(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/visions?agency_id="+strconv.FormatInt(v.AgencyID, 10), v)
}

func regulationFilter(r *http.Request) (RegulationFilter, error) {
	agency, err := web.QueryID(r, "agency_id")
	q := r.URL.Query()
	return RegulationFilter{Q: q.Get("q"), Kind: q.Get("kind"), Status: q.Get("status"), AgencyID: agency,
		InForce: q.Get("in_force_now") == "true"}, err
}

func (h *Handler) apiRegulations(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, regulationFilter, func(ctx context.Context, f RegulationFilter, p db.Page) ([]Regulation, string, error) {
		return h.svc.Regulations(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreateRegulation(w http.ResponseWriter, r *http.Request) {
	var in RegulationInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	reg, err := h.svc.CreateRegulation(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/regulations/"+strconv.FormatInt(reg.ID, 10), reg)
}

// withID answers an API call on the resource named by the path's {id}.
func withID[T any](w http.ResponseWriter, r *http.Request, status int, do func(id int64) (T, error)) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	v, err := do(id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, status, v)
}

// withBody is withID for a call carrying a JSON body.
func withBody[In, T any](w http.ResponseWriter, r *http.Request, status int, do func(id int64, in In) (T, error)) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in In
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	v, err := do(id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, status, v)
}

func (h *Handler) apiRegulation(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (Regulation, error) { return h.svc.Regulation(r.Context(), web.Actor(r), id) })
}

func (h *Handler) apiUpdateRegulation(w http.ResponseWriter, r *http.Request) {
	withBody(w, r, http.StatusOK, func(id int64, in RegulationInput) (Regulation, error) {
		return h.svc.UpdateRegulation(r.Context(), web.Actor(r), id, in)
	})
}

func (h *Handler) apiRevoke(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (Regulation, error) {
		return h.svc.RevokeRegulation(r.Context(), web.Actor(r), id)
	})
}

func (h *Handler) apiAnnouncements(w http.ResponseWriter, r *http.Request) {
	filter := func(r *http.Request) (AnnouncementFilter, error) {
		q := r.URL.Query()
		return AnnouncementFilter{Unread: q.Get("unread") == "true", Sent: q.Get("sent") == "true"}, nil
	}
	web.ServeList(w, r, filter, func(ctx context.Context, f AnnouncementFilter, p db.Page) ([]Announcement, string, error) {
		return h.svc.Announcements(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiPost(w http.ResponseWriter, r *http.Request) {
	var in AnnouncementInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	n, err := h.svc.Post(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/announcements/"+strconv.FormatInt(n.ID, 10), n)
}

func (h *Handler) apiAnnouncement(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (Announcement, error) {
		return h.svc.Announcement(r.Context(), web.Actor(r), id, false)
	})
}

func (h *Handler) apiRead(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (Announcement, error) {
		return h.svc.Announcement(r.Context(), web.Actor(r), id, true)
	})
}

func (h *Handler) apiReviews(w http.ResponseWriter, r *http.Request) {
	filter := func(r *http.Request) (ReviewFilter, error) {
		agency, err := web.QueryID(r, "agency_id")
		return ReviewFilter{AgencyID: agency, Period: r.URL.Query().Get("period")}, err
	}
	web.ServeList(w, r, filter, func(ctx context.Context, f ReviewFilter, p db.Page) ([]Review, string, error) {
		return h.svc.Reviews(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreateReview(w http.ResponseWriter, r *http.Request) {
	var in ReviewInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	rv, err := h.svc.CreateReview(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/reviews/"+strconv.FormatInt(rv.ID, 10), rv)
}

func (h *Handler) apiReview(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (Review, error) { return h.svc.Review(r.Context(), web.Actor(r), id) })
}

func (h *Handler) apiFinding(w http.ResponseWriter, r *http.Request) {
	withBody(w, r, http.StatusCreated, func(id int64, in FindingInput) (Review, error) {
		return h.svc.AddFinding(r.Context(), web.Actor(r), id, in)
	})
}

func (h *Handler) apiAddFollowUp(w http.ResponseWriter, r *http.Request) {
	withBody(w, r, http.StatusCreated, func(id int64, in FollowUpInput) (FollowUp, error) {
		return h.svc.AddFollowUp(r.Context(), web.Actor(r), id, in)
	})
}

func (h *Handler) apiMyFollowUps(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.MyFollowUps(r.Context(), web.Actor(r), r.URL.Query().Get("all") == "true")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiFollowUp(w http.ResponseWriter, r *http.Request) {
	withID(w, r, http.StatusOK, func(id int64) (FollowUp, error) { return h.svc.FollowUp(r.Context(), web.Actor(r), id) })
}

func (h *Handler) apiReport(w http.ResponseWriter, r *http.Request) {
	withBody(w, r, http.StatusCreated, func(id int64, in ProgressInput) (FollowUp, error) {
		return h.svc.Report(r.Context(), web.Actor(r), id, in)
	})
}

func (h *Handler) apiRecognitions(w http.ResponseWriter, r *http.Request) {
	filter := func(r *http.Request) (RecognitionFilter, error) {
		agency, err := web.QueryID(r, "agency_id")
		if err != nil {
			return RecognitionFilter{}, err
		}
		emp, err := web.QueryID(r, "employee_id")
		f := RecognitionFilter{AgencyID: agency, Period: r.URL.Query().Get("period")}
		if emp != nil {
			f.EmployeeID = *emp
		}
		return f, err
	}
	web.ServeList(w, r, filter, func(ctx context.Context, f RecognitionFilter, p db.Page) ([]Recognition, string, error) {
		return h.svc.Recognitions(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiRecognize(w http.ResponseWriter, r *http.Request) {
	var in RecognitionInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	rc, err := h.svc.Recognize(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/recognitions?employee_id="+strconv.FormatInt(rc.Members[0].EmployeeID, 10), rc)
}
