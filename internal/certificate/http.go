package certificate

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the certificates' pages, their public verification and
// Open Badges documents, and the API.
type Handler struct {
	svc  *Service
	base string // the configured public URL; none: taken from each request
}

// NewHandler returns the handler over s; base is the configured public URL
// (config BaseURL), which the PDF and the badges print in full.
func NewHandler(s *Service, base string) *Handler {
	return &Handler{svc: s, base: strings.TrimRight(base, "/")}
}

// Routes mounts the pages, the public verification and badges, and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelatihan/acara/{id}/sertifikat", h.eventPage)
	rt.Page("POST /pelatihan/acara/{id}/sertifikat", h.issue)
	rt.Page("GET /sertifikat", h.mine)
	rt.Page("GET /pegawai/{id}/sertifikat", h.person)
	rt.Page("GET /sertifikat/{file}", h.pdf)
	rt.Page("POST /sertifikat/{code}/cabut", h.revoke)
	rt.Public("GET /verify", h.verifyForm)
	rt.Public("GET /verify/{code}", h.verifyPage)
	h.badgeRoutes(rt)
	h.apiRoutes(rt)
}

// baseURL is the site's public address: the configured one, else the one
// the request came to.
func (h *Handler) baseURL(r *http.Request) string {
	if h.base != "" {
		return h.base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// eventPage is an event's certificates for those who run it.
type eventPage struct {
	Event        Event
	Certificates []Certificate
	Next         string
	Failed       string // the certificate whose revocation was refused, to show its form again
}

func (h *Handler) eventData(r *http.Request) (eventPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return eventPage{}, err
	}
	page, err := web.ListPage(r)
	if err != nil {
		return eventPage{}, err
	}
	var d eventPage
	d.Event, d.Certificates, d.Next, err = h.svc.EventCertificates(r.Context(), web.Actor(r), id, page)
	return d, err
}

func (h *Handler) eventPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.eventData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "certificate/event", "cert.event.title", d)
}

func (h *Handler) issue(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	out, err := h.svc.Issue(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "cert.flash.issued"
	if out.Issued == 0 {
		flash = "cert.flash.none"
	}
	web.Redirect(w, r, EventLink(id), flash)
}

func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Revoke(r.Context(), web.Actor(r), r.PathValue("code"), RevokeInput{Reason: r.PostFormValue("reason")})
	if err == nil {
		web.Redirect(w, r, EventLink(c.EventID), "cert.flash.revoked")
		return
	}
	if e := errs.As(err); e == nil || e.Code != errs.Invalid {
		web.Fail(w, r, err)
		return
	}
	// A revocation without a reason: the event's page again, with the
	// message beside the form of that certificate.
	found, ferr := h.svc.eventOf(r.Context(), r.PathValue("code"))
	if ferr != nil {
		web.Fail(w, r, ferr)
		return
	}
	r.SetPathValue("id", itoa(found.EventID))
	d, derr := h.eventData(r)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	d.Failed = found.Code
	web.RenderForm(w, r, "certificate/event", "cert.event.title", d, err)
}

// minePage is the reader's own certificates, or (Person set) another
// person's.
type minePage struct {
	Person       *Person
	Certificates []Certificate
	Next         string
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var d minePage
	if d.Certificates, d.Next, err = h.svc.Mine(r.Context(), web.Actor(r), page); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "certificate/mine", "cert.mine.title", d)
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var d minePage
	var who Person
	if who, d.Certificates, d.Next, err = h.svc.OfEmployee(r.Context(), web.Actor(r), id, page); err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Person = &who
	web.Render(w, r, http.StatusOK, "certificate/mine", "cert.person.title", d)
}

func (h *Handler) pdf(w http.ResponseWriter, r *http.Request) {
	code, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	if !ok {
		web.Fail(w, r, errs.New(errs.NotFound, "not_found"))
		return
	}
	c, err := h.svc.Get(r.Context(), web.Actor(r), code)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	body := h.svc.PDF(c, web.Lang(r), h.baseURL(r))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="sertifikat-`+c.Code+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(body)
}

// verifyPage is the public confirmation of a code (Found false: not a
// certificate; Malformed: not even a well-formed code).
type verifyPage struct {
	Typed     string
	Found     bool
	Malformed bool
	V         Verification
}

func (h *Handler) verifyForm(w http.ResponseWriter, r *http.Request) {
	if typed := strings.TrimSpace(r.URL.Query().Get("kode")); typed != "" {
		code, ok := Normalize(typed)
		if !ok {
			code = url.PathEscape(typed)
		}
		http.Redirect(w, r, VerifyLink(code), http.StatusSeeOther)
		return
	}
	web.Render(w, r, http.StatusOK, "certificate/verify", "cert.verify.title", verifyPage{})
}

func (h *Handler) verifyPage(w http.ResponseWriter, r *http.Request) {
	d := verifyPage{Typed: r.PathValue("code")}
	v, err := h.svc.Verify(r.Context(), d.Typed)
	switch {
	case err == nil:
		d.Found, d.V = true, v
		web.Render(w, r, http.StatusOK, "certificate/verify", "cert.verify.title", d)
	case errs.Is(err, errs.NotFound):
		// A forged or unknown code is said plainly, on the same page, with
		// the status a script checking it expects.
		_, wellFormed := Normalize(d.Typed)
		d.Malformed = !wellFormed
		if r := []rune(d.Typed); len(r) > 40 { // what was typed is echoed, not a page of it
			d.Typed = string(r[:40]) + "…"
		}
		web.Render(w, r, http.StatusNotFound, "certificate/verify", "cert.verify.title", d)
	default:
		web.Fail(w, r, err)
	}
}
