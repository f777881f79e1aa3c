package leadership

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) reviewRoutes(rt *web.Router) {
	rt.Page("GET /pimpinan/evaluasi", h.reviews)
	rt.Page("GET /pimpinan/evaluasi/baru", h.reviewNew)
	rt.Page("POST /pimpinan/evaluasi/baru", h.reviewCreate)
	rt.Page("GET /pimpinan/evaluasi/{id}", h.review)
	rt.Page("POST /pimpinan/evaluasi/{id}/temuan", h.reviewFinding)
	rt.Page("POST /pimpinan/evaluasi/{id}/tindak-lanjut", h.reviewFollowUp)
	rt.Page("GET /pimpinan/tindak-lanjut", h.myFollowUps)
	rt.Page("POST /pimpinan/tindak-lanjut/{id}", h.report)
	rt.Page("GET /pimpinan/apresiasi", h.wall)
	rt.Page("GET /pimpinan/apresiasi/baru", h.recognitionNew)
	rt.Page("POST /pimpinan/apresiasi/baru", h.recognitionCreate)
}

type reviewsPage struct {
	Items  []Review
	Next   string
	CanAdd bool
}

func (h *Handler) reviews(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := reviewsPage{CanAdd: toolsOf(web.Actor(r)).Review}
	d.Items, d.Next, err = h.svc.Reviews(r.Context(), web.Actor(r), ReviewFilter{Period: r.URL.Query().Get("periode")}, page)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/reviews", "leadership.review.title", d)
}

// leaderForm is a form that names an agency (or the city) and a period.
type leaderForm struct {
	Choices []Choice
	Period  string
}

func (h *Handler) leaderFormData(r *http.Request, act policy.Action) (leaderForm, error) {
	choices, err := h.svc.Choices(r.Context(), web.Actor(r), act, i18n.T(web.Lang(r), "leadership.city"))
	if err == nil && len(choices) == 0 {
		err = policy.Check(web.Actor(r), act, policy.Target{})
	}
	return leaderForm{Choices: choices, Period: period.Of(time.Now().In(h.svc.zone), period.Quarter).Label}, err
}

func (h *Handler) reviewNew(w http.ResponseWriter, r *http.Request) {
	d, err := h.leaderFormData(r, policy.ReviewManage)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/review_form", "leadership.review.new", d)
}

func (h *Handler) reviewCreate(w http.ResponseWriter, r *http.Request) {
	agency, err := formAgency(r)
	var rv Review
	if err == nil {
		rv, err = h.svc.CreateReview(r.Context(), web.Actor(r), ReviewInput{AgencyID: agency, Period: r.PostFormValue("period"),
			Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary")})
	}
	if err != nil {
		d, derr := h.leaderFormData(r, policy.ReviewManage)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "leadership/review_form", "leadership.review.new", d, err)
		return
	}
	web.Redirect(w, r, ReviewLink(rv.ID), "flash.saved")
}

type reviewPage struct {
	Review
	Severities []string
	Day        func(time.Time) string
}

func (h *Handler) loadReview(w http.ResponseWriter, r *http.Request) (Review, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return Review{}, false
	}
	rv, err := h.svc.Review(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return Review{}, false
	}
	return rv, true
}

func (h *Handler) review(w http.ResponseWriter, r *http.Request) {
	if rv, ok := h.loadReview(w, r); ok {
		web.Render(w, r, http.StatusOK, "leadership/review", "leadership.review.title",
			reviewPage{Review: rv, Severities: Severities, Day: h.svc.Day})
	}
}

// reviewPost runs a change on a review, then shows it again or the form's
// errors on it.
func (h *Handler) reviewPost(w http.ResponseWriter, r *http.Request, do func(Review) error) {
	rv, ok := h.loadReview(w, r)
	if !ok {
		return
	}
	if err := do(rv); err != nil {
		web.RenderForm(w, r, "leadership/review", "leadership.review.title",
			reviewPage{Review: rv, Severities: Severities, Day: h.svc.Day}, err)
		return
	}
	web.Redirect(w, r, ReviewLink(rv.ID), "flash.saved")
}

func (h *Handler) reviewFinding(w http.ResponseWriter, r *http.Request) {
	h.reviewPost(w, r, func(rv Review) error {
		_, err := h.svc.AddFinding(r.Context(), web.Actor(r), rv.ID,
			FindingInput{Text: r.PostFormValue("text"), Severity: r.PostFormValue("severity")})
		return err
	})
}

func (h *Handler) reviewFollowUp(w http.ResponseWriter, r *http.Request) {
	h.reviewPost(w, r, func(rv Review) error {
		in := FollowUpInput{Action: r.PostFormValue("action"), DueOn: r.PostFormValue("due_on")}
		in.FindingID, _ = strconv.ParseInt(r.PostFormValue("finding_id"), 10, 64)
		// The right first: whether an address is someone's is no stranger's business.
		if err := policy.Check(web.Actor(r), policy.ReviewManage, policy.Target{AgencyID: rv.AgencyID}); err != nil {
			return err
		}
		ids, err := h.svc.PeopleByEmail(r.Context(), "assignee_id", r.PostFormValue("assignee_id"), 1)
		if err != nil {
			return err
		}
		if len(ids) == 1 {
			in.AssigneeID = ids[0]
		}
		_, err = h.svc.AddFollowUp(r.Context(), web.Actor(r), rv.ID, in)
		return err
	})
}

type followUpsPage struct {
	Items []FollowUp
	All   bool
	Day   func(time.Time) string
}

func (h *Handler) myFollowUps(w http.ResponseWriter, r *http.Request) {
	d := followUpsPage{All: r.URL.Query().Get("semua") == "1", Day: h.svc.Day}
	var err error
	if d.Items, err = h.svc.MyFollowUps(r.Context(), web.Actor(r), d.All); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/followups", "leadership.followup.title", d)
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, err := h.svc.Report(r.Context(), web.Actor(r), id, ProgressInput{Body: r.PostFormValue("body"), Status: r.PostFormValue("status")})
	if err != nil {
		h.reportFailed(w, r, id, err)
		return
	}
	back := "/pimpinan/tindak-lanjut"
	if r.PostFormValue("back") == "review" {
		back = FollowUpLink(f.ReviewID, f.ID)
	}
	web.Redirect(w, r, back, "flash.saved")
}

// reportFailed shows a refused progress report again on the page it came
// from: the review's, or one's own follow-ups.
func (h *Handler) reportFailed(w http.ResponseWriter, r *http.Request, id int64, err error) {
	ctx, actor := r.Context(), web.Actor(r)
	if r.PostFormValue("back") == "review" {
		f, ferr := h.svc.FollowUp(ctx, actor, id)
		if ferr != nil {
			web.Fail(w, r, ferr)
			return
		}
		rv, rerr := h.svc.Review(ctx, actor, f.ReviewID)
		if rerr != nil {
			web.Fail(w, r, rerr)
			return
		}
		web.RenderForm(w, r, "leadership/review", "leadership.review.title",
			reviewPage{Review: rv, Severities: Severities, Day: h.svc.Day}, err)
		return
	}
	d := followUpsPage{Day: h.svc.Day}
	var lerr error
	if d.Items, lerr = h.svc.MyFollowUps(ctx, actor, true); lerr != nil {
		web.Fail(w, r, lerr)
		return
	}
	web.RenderForm(w, r, "leadership/followups", "leadership.followup.title", d, err)
}

type wallPage struct {
	Items  []Recognition
	Next   string
	CanAdd bool
}

func (h *Handler) wall(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := wallPage{CanAdd: toolsOf(web.Actor(r)).Recognize}
	d.Items, d.Next, err = h.svc.Recognitions(r.Context(), web.Actor(r), RecognitionFilter{Period: r.URL.Query().Get("periode")}, page)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/wall", "leadership.rec.title", d)
}

func (h *Handler) recognitionNew(w http.ResponseWriter, r *http.Request) {
	d, err := h.leaderFormData(r, policy.RecognitionGive)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/recognition_form", "leadership.rec.new", d)
}

func (h *Handler) recognitionCreate(w http.ResponseWriter, r *http.Request) {
	agency, err := formAgency(r)
	in := RecognitionInput{AgencyID: agency, Team: r.PostFormValue("team"), Reason: r.PostFormValue("reason"),
		Period: r.PostFormValue("period")}
	// The right first: whether an address is someone's is no stranger's business.
	if err == nil {
		err = policy.Check(web.Actor(r), policy.RecognitionGive, policy.Target{AgencyID: agency})
	}
	if err == nil {
		in.MemberIDs, err = h.svc.PeopleByEmail(r.Context(), "member_ids", r.PostFormValue("member_ids"), MaxMembers)
	}
	if err == nil {
		_, err = h.svc.Recognize(r.Context(), web.Actor(r), in)
	}
	if err != nil {
		d, derr := h.leaderFormData(r, policy.RecognitionGive)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "leadership/recognition_form", "leadership.rec.new", d, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/apresiasi", "leadership.flash.recognized")
}
