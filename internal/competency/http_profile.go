package competency

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/upload"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) profileRoutes(rt *web.Router) {
	rt.Page("GET /kompetensi/saya", h.mine)
	rt.Page("GET /kompetensi/verifikasi", h.requests)
	rt.Page("GET /pegawai/{id}/kompetensi", h.profile)
	rt.Upload("POST /pegawai/{id}/kompetensi", h.svc.FileLimits().Request(), h.assess)
	rt.Page("GET /pegawai/{id}/kompetensi/bukti/{file}", h.evidence)
}

// profilePage is a person's profile, their record and the form to assess.
type profilePage struct {
	Profile      Profile
	Mine         bool
	History      []Assessment
	Next         string
	Competencies []Competency
	Today        string
}

func (h *Handler) profileData(r *http.Request, employeeID int64) (profilePage, error) {
	actor := web.Actor(r)
	p, err := h.svc.ProfileOf(r.Context(), actor, employeeID)
	if err != nil {
		return profilePage{}, err
	}
	d := profilePage{Profile: p, Mine: p.CanAssess, Today: time.Now().Format(time.DateOnly)}
	page, err := web.ListPage(r)
	if err != nil {
		return d, err
	}
	if d.History, d.Next, err = h.svc.History(r.Context(), actor, employeeID, nil, page); err != nil {
		return d, err
	}
	if p.CanAssess || p.CanVerify {
		if d.Competencies, err = h.svc.List(r.Context(), Filter{}); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	if actor.EmployeeID == 0 {
		web.Fail(w, r, errs.New(errs.NotFound, "competency.person_not_found"))
		return
	}
	d, err := h.profileData(r, actor.EmployeeID)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/profile", "competency.mine.title", d)
}

func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d, err := h.profileData(r, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/profile", "competency.profile.title", d)
}

func (h *Handler) assess(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := AssessmentInput{Source: r.PostFormValue("source"), EvidenceKind: r.PostFormValue("evidence_kind"),
		EvidenceRef: strings.TrimSpace(r.PostFormValue("evidence_ref")), Note: r.PostFormValue("note")}
	if c := formID(r, "competency_id"); c != nil {
		in.CompetencyID = *c
	}
	in.Level, _ = strconv.Atoi(r.PostFormValue("level"))
	err = formScore(r, &in)
	if err == nil {
		err = formDate(r, &in)
	}
	if err == nil {
		var files []upload.File
		if files, err = upload.FormFiles(r, "file"); err == nil && len(files) > 1 {
			err = errs.FieldErr("file", "attach.too_many", 1, len(files))
		} else if len(files) == 1 {
			in.File = &files[0]
		}
	}
	if err == nil {
		if _, err = h.svc.Assess(r.Context(), web.Actor(r), id, in); err == nil {
			flash := "competency.flash.verified"
			if web.Actor(r).EmployeeID == id {
				flash = "competency.flash.self_assessed"
			}
			web.Redirect(w, r, ProfileLink(id), flash)
			return
		}
	}
	d, derr := h.profileData(r, id)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "competency/profile", "competency.profile.title", d, err)
}

func (h *Handler) evidence(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fileID, err := web.PathID(r, "file")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, err := h.svc.File(r.Context(), web.Actor(r), id, fileID)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	upload.Serve(w, r, f.Name, f.ContentType, f.SHA256, f.CreatedAt, f.Data)
}

// formScore reads the optional test score.
func formScore(r *http.Request, in *AssessmentInput) error {
	s := strings.TrimSpace(r.PostFormValue("score"))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return errs.FieldErr("score", "number")
	}
	in.Score = &n
	return nil
}

// formDate reads the day the level was shown (in the city's day; the
// service refuses a day to come); empty is today.
func formDate(r *http.Request, in *AssessmentInput) error {
	s := strings.TrimSpace(r.PostFormValue("assessed_on"))
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return errs.FieldErr("assessed_on", "date.format")
	}
	t = t.Add(12 * time.Hour) // midday, so the day reads the same in any zone of the country
	if now := time.Now().UTC(); t.After(now) && t.Sub(now) < 24*time.Hour {
		return nil // today somewhere in the country: now, not a moment to come
	}
	in.AssessedAt = &t
	return nil
}

// requestsPage is the verification queue.
type requestsPage struct {
	Items []Request
}

func (h *Handler) requests(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Requests(r.Context(), web.Actor(r), 200)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/requests", "competency.requests.title", requestsPage{Items: list})
}
