package helpdesk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/web"
)

// deskRoutes mounts the agent workspace's phone calls and FAQs.
func (h *Handler) deskRoutes(rt *web.Router) {
	h.phoneRoutes(rt)
	h.faqRoutes(rt)
}

// phoneRoutes mounts "Catat panggilan telepon" in the agent workspace and
// the caller lookup of the API.
func (h *Handler) phoneRoutes(rt *web.Router) {
	rt.Page("GET /layanan/telepon", h.phonePage)
	rt.Page("POST /layanan/telepon", h.phonePost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/callers", ID: "findCallers", Tag: "helpdesk",
		Summary: "Who is calling: the people in service with this phone number or NIP (help desk only); " +
			"file the call with POST /api/v1/tickets, channel phone, for the account_id or as a contact with the agency_id",
		Query: []web.Param{
			{Name: "phone", Type: "string", Description: "the caller's phone number, as people write it (0812…, +62 812…)"},
			{Name: "nip", Type: "string", Description: "the caller's NIP, 18 digits"},
		},
		Response: Caller{}, List: true}, h.apiCallers)
}

func (h *Handler) apiCallers(w http.ResponseWriter, r *http.Request) {
	q := CallerQuery{Phone: r.URL.Query().Get("phone"), NIP: r.URL.Query().Get("nip")}
	list, err := h.desk.FindCallers(r.Context(), web.Actor(r), q)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

// phoneData is what "Catat panggilan telepon" shows: the lookup, the
// people it found, and the ticket form.
type phoneData struct {
	Caller     string   // what the agent typed: a phone number or an NIP
	Searched   bool     // a lookup was made
	Callers    []Caller // whom it found
	Phone      string   // the number typed, as stored (+62…), to fill in an outside caller's
	Outside    bool     // the agent logs an outside caller without a lookup
	Posted     bool     // the form is shown again after a mistake
	Choices    Choices
	Categories []string
	Priorities []string
}

// callerQuery reads what the agent typed: 18 digits (spaces and dots
// allowed, as an NIP is read out) are an NIP, anything else a phone number.
func callerQuery(s string) CallerQuery {
	s = strings.TrimSpace(s)
	digits := strings.NewReplacer(" ", "", ".", "").Replace(s)
	if len(digits) == org.NIPLen && strings.Trim(digits, "0123456789") == "" {
		return CallerQuery{NIP: digits}
	}
	return CallerQuery{Phone: s}
}

// phoneView reads the page's data for the caller typed (looked up when
// lookup). A lookup the input fails is returned as an error on the field
// "caller", the one the agent typed into.
func (h *Handler) phoneView(r *http.Request, typed string, lookup bool) (phoneData, error) {
	actor := web.Actor(r)
	choices, err := h.desk.Choices(r.Context(), actor)
	if err != nil {
		return phoneData{}, err
	}
	d := phoneData{Caller: typed, Choices: choices, Categories: Categories, Priorities: Priorities,
		Outside: r.URL.Query().Get("luar") == "1"}
	if !lookup || strings.TrimSpace(typed) == "" {
		return d, nil
	}
	q := callerQuery(typed)
	d.Callers, err = h.desk.FindCallers(r.Context(), actor, q)
	if e := errs.As(err); e != nil && e.Code == errs.Invalid {
		for i := range e.Fields {
			e.Fields[i].Name = "caller"
		}
		return d, e
	}
	if err != nil {
		return d, err
	}
	d.Searched = true
	if p, ok := org.NormalizePhone(q.Phone); ok {
		d.Phone = p
	}
	return d, nil
}

func (h *Handler) phonePage(w http.ResponseWriter, r *http.Request) {
	typed := r.URL.Query().Get("caller")
	d, err := h.phoneView(r, typed, true)
	if e := errs.As(err); e != nil && e.Code == errs.Invalid {
		web.RenderForm(w, r, "helpdesk/agent_phone", "desk.phone.title", d, err)
		return
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/agent_phone", "desk.phone.title", d)
}

// formID reads an optional id of a form ("" is none); a value that is not
// a positive number is a field error.
func formID(r *http.Request, v *errs.Validation, name string) *int64 {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		v.Add(name, "number")
		return nil
	}
	return &n
}

func (h *Handler) phonePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	var v errs.Validation
	in := CallInput{EmployeeID: formID(r, &v, "employee_id"), ContactName: r.PostFormValue("contact_name"),
		ContactPhone: r.PostFormValue("contact_phone"),
		Ticket: TicketInput{Subject: r.PostFormValue("subject"), Body: r.PostFormValue("body"),
			Category: r.PostFormValue("category"), Priority: r.PostFormValue("priority"),
			AppID: formID(r, &v, "app_id"), TeamID: formID(r, &v, "team_id")}}
	err := v.Err()
	if err == nil {
		var t Ticket
		if t, err = h.desk.LogCall(r.Context(), web.Actor(r), in); err == nil {
			web.Redirect(w, r, "/layanan/"+t.Number, "desk.phone.flash")
			return
		}
	}
	d, derr := h.phoneView(r, r.PostFormValue("caller"), true)
	if derr != nil && errs.CodeOf(derr) != errs.Invalid {
		web.Fail(w, r, derr)
		return
	}
	d.Posted = true
	web.RenderForm(w, r, "helpdesk/agent_phone", "desk.phone.title", d, err)
}
