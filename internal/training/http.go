package training

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the training pages and API.
type Handler struct {
	svc  *Service
	base string // the public URL calendar files link back to; none when not configured
}

// NewHandler returns the handler over s; base is the configured public URL.
func NewHandler(s *Service, base string) *Handler { return &Handler{svc: s, base: base} }

// Routes mounts the pages under /pelatihan (fixed paths only: others own
// /pelatihan/jalur and /pelatihan/jp) and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelatihan", h.home)
	rt.Page("GET /pelatihan/saya.ics", h.myCalendar)
	rt.Page("GET /pelatihan/hadir", h.checkInForm)
	rt.Page("POST /pelatihan/hadir", h.checkIn)
	rt.Page("GET /pelatihan/persetujuan", h.approvals)
	rt.Page("POST /pelatihan/persetujuan/{nid}", h.decide)
	rt.Page("GET /pelatihan/acara/baru", h.newEventForm)
	rt.Page("POST /pelatihan/acara/baru", h.createEvent)
	rt.Page("GET /pelatihan/acara/{id}", h.eventPage)
	rt.Page("GET /pelatihan/acara/{id}/ubah", h.editEventForm)
	rt.Page("POST /pelatihan/acara/{id}/ubah", h.editEvent)
	rt.Page("POST /pelatihan/acara/{id}/batal", h.cancelEvent)
	rt.Page("POST /pelatihan/acara/{id}/selesai", h.finish)
	rt.Page("POST /pelatihan/acara/{id}/daftar", h.enrolSelf)
	rt.Page("POST /pelatihan/acara/{id}/peserta/{nid}/batal", h.cancelEnrolment)
	rt.Page("GET /pelatihan/acara/{id}/tambah", h.addForm)
	rt.Page("POST /pelatihan/acara/{id}/tambah", h.add)
	rt.Page("POST /pelatihan/acara/{id}/sesi", h.addSession)
	rt.Page("POST /pelatihan/acara/{id}/sesi/{sid}/hapus", h.removeSession)
	rt.Page("GET /pelatihan/acara/{id}/sesi/{sid}", h.sheet)
	rt.Page("POST /pelatihan/acara/{id}/sesi/{sid}/hadir", h.mark)
	rt.Page("POST /pelatihan/acara/{id}/sesi/{sid}/kode", h.newCode)
	rt.Page("GET /pelatihan/acara/{id}/nilai", h.scoresForm)
	rt.Page("POST /pelatihan/acara/{id}/nilai", h.saveScores)
	rt.Page("GET /pelatihan/acara/{id}/evaluasi", h.evaluationForm)
	rt.Page("POST /pelatihan/acara/{id}/evaluasi", h.evaluate)
	rt.Page("GET /pelatihan/acara/{id}/kalender.ics", h.calendar)
	h.activityRoutes(rt)
	h.apiRoutes(rt)
}

// homePage is /pelatihan: the reader's own places and the events ahead
// (or past ones), grouped by day.
type homePage struct {
	Mine      []Enrolment
	Training  []Event // the upcoming events the reader trains
	Days      []day
	Past      bool
	Q         string
	Next      string
	CanCreate bool
	IsHead    bool
}

type day struct {
	Date   time.Time
	Events []Event
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	d := homePage{Past: r.URL.Query().Get("lalu") == "1", Q: r.URL.Query().Get("q"),
		CanCreate: canCreate(actor), IsHead: policy.Can(actor, policy.EnrolmentApprove, policy.Target{}) ||
			len(agenciesFor(actor, policy.EnrolmentApprove)) > 0}
	f := EventFilter{Past: d.Past, Q: web.QueryString(r, "q")}
	list, next, err := h.svc.Events(r.Context(), actor, f, page)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Next = next
	for _, e := range list {
		date := e.StartsAt.In(h.svc.zone)
		date = time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, h.svc.zone)
		if n := len(d.Days); n == 0 || !d.Days[n-1].Date.Equal(date) {
			d.Days = append(d.Days, day{Date: date})
		}
		d.Days[len(d.Days)-1].Events = append(d.Days[len(d.Days)-1].Events, e)
	}
	if actor.EmployeeID != 0 && page.After == "" {
		if d.Mine, err = h.svc.Mine(r.Context(), actor); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	if actor.Has(policy.Trainer) && page.After == "" && !d.Past {
		if d.Training, _, err = h.svc.Events(r.Context(), actor, EventFilter{TrainerID: &actor.AccountID},
			db.Page{Limit: 10}); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "training/home", "training.home.title", d)
}

// canCreate reports whether actor may make some event or activity: for
// the city or for one of their agencies.
func canCreate(a *policy.Actor) bool {
	if a == nil {
		return false
	}
	return CanManageActivity(a, 0) || len(a.AgenciesWith(policy.AgencyAdmin)) > 0 || len(a.AgenciesWith(policy.Trainer)) > 0
}

func (h *Handler) myCalendar(w http.ResponseWriter, r *http.Request) {
	cal, err := h.svc.MyCalendar(r.Context(), web.Actor(r), h.base)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	writeCalendar(w, "pelatihan-saya.ics", cal)
}

func (h *Handler) calendar(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	cal, err := h.svc.Calendar(r.Context(), web.Actor(r), id, h.base)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	writeCalendar(w, "pelatihan-"+idString(id)+".ics", cal)
}

func writeCalendar(w http.ResponseWriter, name string, cal []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(cal)
}

// checkInPage is the participant's check-in form.
type checkInPage struct{}

func (h *Handler) checkInForm(w http.ResponseWriter, r *http.Request) {
	web.Render(w, r, http.StatusOK, "training/checkin", "training.checkin.title", checkInPage{})
}

func (h *Handler) checkIn(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.CheckIn(r.Context(), web.Actor(r), r.PostFormValue("code"))
	if err != nil {
		web.RenderForm(w, r, "training/checkin", "training.checkin.title", checkInPage{}, err)
		return
	}
	web.Redirect(w, r, EventLink(a.EventID), "training.flash.checked_in")
}

// approvalsPage lists the nominations awaiting the head.
type approvalsPage struct {
	People []Enrolment
	Next   string // the next page's cursor, "" on the last
}

func (h *Handler) approvals(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	list, next, err := h.svc.Approvals(r.Context(), web.Actor(r), page)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/approvals", "training.approvals.title", approvalsPage{People: list, Next: next})
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "nid")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	approve := r.PostFormValue("decision") == "approve"
	if !approve && r.PostFormValue("decision") != "decline" {
		web.Fail(w, r, errs.FieldErr("decision", "training.decision_invalid"))
		return
	}
	if err := h.svc.Decide(r.Context(), web.Actor(r), id, approve); err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "training.flash.approved"
	if !approve {
		flash = "training.flash.declined"
	}
	web.Redirect(w, r, ApprovalsLink, flash)
}

// idsOf reads the posted values of name as ids, skipping what is not one.
func idsOf(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// page is a small helper for the many pages that need an event's id and
// the event itself.
func (h *Handler) event(w http.ResponseWriter, r *http.Request) (Event, bool) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var e Event
		if e, err = h.svc.Event(r.Context(), web.Actor(r), id); err == nil {
			return e, true
		}
	}
	web.Fail(w, r, err)
	return Event{}, false
}
