package meetings

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the meetings' pages and API.
type Handler struct {
	svc  *Service
	base string // the public URL calendar files link back to; none when not configured
}

// NewHandler returns the handler over s; base is the configured public URL.
func NewHandler(s *Service, base string) *Handler { return &Handler{svc: s, base: base} }

// Routes mounts the pages under /rapat and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /rapat", h.list)
	rt.Page("GET /rapat/baru", h.newForm)
	rt.Page("POST /rapat/baru", h.create)
	rt.Page("GET /rapat/{id}", h.page)
	rt.Page("GET /rapat/{id}/ubah", h.editForm)
	rt.Page("POST /rapat/{id}/ubah", h.edit)
	rt.Page("POST /rapat/{id}/batal", h.cancel)
	rt.Page("POST /rapat/{id}/jawab", h.respond)
	rt.Page("POST /rapat/{id}/catatan", h.notes)
	rt.Page("POST /rapat/{id}/artikel", h.article)
	rt.Page("GET /rapat/{id}/kalender.ics", h.calendar)
	h.apiRoutes(rt)
}

// listPage is a list of meetings: the reader's own, or a space's.
type listPage struct {
	Space    *discuss.Space
	Past     bool
	Meetings []Meeting
	Next     string
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := listPage{Past: r.URL.Query().Get("lalu") == "1"}
	actor := web.Actor(r)
	if ruang := r.URL.Query().Get("ruang"); ruang != "" {
		sp, ok := h.space(w, r, ruang)
		if !ok {
			return
		}
		d.Space = &sp
		d.Meetings, d.Next, err = h.svc.InSpace(r.Context(), actor, sp.ID, d.Past, page)
	} else {
		d.Meetings, d.Next, err = h.svc.Mine(r.Context(), actor, d.Past, page)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "meetings/list", "meeting.list.title", d)
}

// space loads the space a form or list names for the reader.
func (h *Handler) space(w http.ResponseWriter, r *http.Request, raw string) (discuss.Space, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		web.Fail(w, r, errs.New(errs.NotFound, "discuss.space_not_found"))
		return discuss.Space{}, false
	}
	sp, _, err := discuss.ReadableSpace(r.Context(), h.svc.db.R, web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return discuss.Space{}, false
	}
	return sp, true
}

// formPage is the schedule and edit form: Form holds the values shown
// before anything is posted.
type formPage struct {
	Space   discuss.Space
	Meeting *Meeting
	Form    formValues
}

// formValues are a meeting's fields as the form shows them, in the city's
// zone.
type formValues struct {
	Title, Date, Time, Duration, Link, Agenda string
}

func (h *Handler) valuesOf(m Meeting) formValues {
	start := m.StartsAt.In(h.svc.zone)
	return formValues{Title: m.Title, Date: start.Format(time.DateOnly), Time: start.Format("15:04"),
		Duration: strconv.Itoa(int(m.EndsAt.Sub(m.StartsAt).Minutes())), Link: m.Link, Agenda: m.Agenda}
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	sp, ok := h.space(w, r, r.URL.Query().Get("ruang"))
	if !ok {
		return
	}
	web.Render(w, r, http.StatusOK, "meetings/form", "meeting.new.title", formPage{Space: sp, Form: formValues{Duration: "60"}})
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	sp, ok := h.space(w, r, r.URL.Query().Get("ruang"))
	if !ok {
		return
	}
	m, err := h.svc.Schedule(r.Context(), web.Actor(r), sp.ID, h.input(r))
	if err != nil {
		web.RenderForm(w, r, "meetings/form", "meeting.new.title", formPage{Space: sp}, err)
		return
	}
	web.Redirect(w, r, Link(m.ID), "meeting.flash.scheduled")
}

// input reads the form: the start from its date and time in the city's
// zone, the end from the length in minutes. A date or time that does not
// parse leaves the start empty, which the service reports.
func (h *Handler) input(r *http.Request) Input {
	in := Input{Title: r.PostFormValue("title"), Link: r.PostFormValue("link"), Agenda: r.PostFormValue("agenda"),
		Invite: strings.FieldsFunc(r.PostFormValue("invite"), func(c rune) bool {
			return c == ',' || c == ';' || c == '\n' || c == '\r' || c == ' ' || c == '\t'
		}),
		AllMembers: r.PostFormValue("all_members") == "1"}
	start, err := time.ParseInLocation("2006-01-02 15:04", r.PostFormValue("date")+" "+r.PostFormValue("time"), h.svc.zone)
	if err != nil {
		return in
	}
	minutes, _ := strconv.Atoi(r.PostFormValue("duration"))
	in.StartsAt, in.EndsAt = start, start.Add(time.Duration(minutes)*time.Minute)
	return in
}

// meetingPage is a meeting's page.
type meetingPage struct {
	Meeting   Meeting
	CanManage bool
	// CanPromote: the notes may become an article (policy.SpacePromote).
	CanPromote bool
	Invited    bool
	Response   string
	Past       bool
	Over       bool
	Responses  []string
}

func (h *Handler) load(w http.ResponseWriter, r *http.Request) (Meeting, bool) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var m Meeting
		if m, err = h.svc.Get(r.Context(), web.Actor(r), id); err == nil {
			return m, true
		}
	}
	web.Fail(w, r, err)
	return Meeting{}, false
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	m, ok := h.load(w, r)
	if !ok {
		return
	}
	d, err := h.pageData(r, m)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "meetings/meeting", "meeting.page.title", d)
}

// pageData is what the meeting's page shows the reader of r.
func (h *Handler) pageData(r *http.Request, m Meeting) (meetingPage, error) {
	actor := web.Actor(r)
	can, err := h.svc.CanManage(r.Context(), actor, m)
	if err != nil {
		return meetingPage{}, err
	}
	at := time.Now()
	d := meetingPage{Meeting: m, CanManage: can, Past: m.Past(at), Over: !m.EndsAt.After(at), Responses: Responses}
	if can {
		if d.CanPromote, err = h.svc.CanPromote(r.Context(), actor, m); err != nil {
			return meetingPage{}, err
		}
	}
	for _, i := range m.Invitees {
		if i.AccountID == actor.AccountID {
			d.Invited, d.Response = true, i.Response
		}
	}
	return d, nil
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request) {
	m, ok := h.load(w, r)
	if !ok {
		return
	}
	sp, ok := h.space(w, r, strconv.FormatInt(m.SpaceID, 10))
	if !ok {
		return
	}
	web.Render(w, r, http.StatusOK, "meetings/form", "meeting.edit.title", formPage{Space: sp, Meeting: &m, Form: h.valuesOf(m)})
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	m, ok := h.load(w, r)
	if !ok {
		return
	}
	sp, ok := h.space(w, r, strconv.FormatInt(m.SpaceID, 10))
	if !ok {
		return
	}
	if _, err := h.svc.Update(r.Context(), web.Actor(r), m.ID, h.input(r)); err != nil {
		web.RenderForm(w, r, "meetings/form", "meeting.edit.title", formPage{Space: sp, Meeting: &m}, err)
		return
	}
	web.Redirect(w, r, Link(m.ID), "meeting.flash.updated")
}

func (h *Handler) cancel(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "meeting.flash.cancelled", func(m Meeting) error { return h.svc.Cancel(r.Context(), web.Actor(r), m.ID) })
}

func (h *Handler) respond(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "meeting.flash.answered", func(m Meeting) error {
		return h.svc.Respond(r.Context(), web.Actor(r), m.ID, r.PostFormValue("response"))
	})
}

func (h *Handler) notes(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "meeting.flash.notes", func(m Meeting) error {
		return h.svc.SaveNotes(r.Context(), web.Actor(r), m.ID, r.PostFormValue("notes"))
	})
}

// act runs a form's action on the meeting and returns to its page; a
// refusal shows the meeting's page with the message.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, flash string, do func(Meeting) error) {
	m, ok := h.load(w, r)
	if !ok {
		return
	}
	if err := do(m); err != nil {
		if errs.Is(err, errs.Invalid) {
			d, perr := h.pageData(r, m)
			if perr != nil {
				web.Fail(w, r, perr)
				return
			}
			web.RenderForm(w, r, "meetings/meeting", "meeting.page.title", d, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, Link(m.ID), flash)
}

func (h *Handler) article(w http.ResponseWriter, r *http.Request) {
	m, ok := h.load(w, r)
	if !ok {
		return
	}
	id, err := h.svc.ToArticle(r.Context(), web.Actor(r), m.ID, web.Lang(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pengetahuan/"+strconv.FormatInt(id, 10), "meeting.flash.article")
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
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="rapat-`+strconv.FormatInt(id, 10)+`.ics"`)
	w.Write(cal)
}
