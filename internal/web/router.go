package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
)

// Router registers a capability's routes. Each route says who may reach it;
// what a signed-in actor may then do is the policy's decision, made in the
// service the handler calls.
type Router struct{ s *Server }

// Public registers a page anyone may open (the sign-in page).
func (rt *Router) Public(pattern string, h http.HandlerFunc) {
	rt.form(pattern, maxBody, h)
}

// Page registers a page for signed-in people; others are sent to sign in.
// Forms posted to it must carry the session's CSRF token.
func (rt *Router) Page(pattern string, h http.HandlerFunc) {
	rt.form(pattern, maxBody, requireSignIn(h))
}

// Upload registers a page for signed-in people that takes a file of up to
// limit bytes in a multipart form.
func (rt *Router) Upload(pattern string, limit int64, h http.HandlerFunc) {
	rt.form(pattern, limit, requireSignIn(h))
}

// form registers a page behind the CSRF check, and remembers the patterns
// that change something for FormRoutes.
func (rt *Router) form(pattern string, limit int64, h http.HandlerFunc) {
	if m, _, _ := strings.Cut(pattern, " "); m != http.MethodGet && m != http.MethodHead {
		rt.s.forms = append(rt.s.forms, pattern)
	}
	rt.s.mux.Handle(pattern, rt.s.instrument(pattern, rt.s.checkCSRF(limit, h)))
}

// FormRoutes returns the patterns of the pages that change something
// ("POST /akun/sandi"): each takes a CSRF token, which the CSRF test
// proves for every one of them.
func (s *Server) FormRoutes() []string { return slices.Clone(s.forms) }

// API registers an endpoint of the JSON API, described by op in the OpenAPI
// document. It answers 401 problem+json without a token or a session,
// unless op is Public.
func (rt *Router) API(op Op, h http.HandlerFunc) {
	rt.s.ops = append(rt.s.ops, op)
	pattern := op.Method + " " + op.Path
	if !op.Public {
		h = requireActor(h)
	}
	rt.s.mux.Handle(pattern, rt.s.instrument(pattern, h))
}

// Gateway registers an endpoint another system calls: an SMS gateway
// handing over a message, a webhook. No session and no CSRF token: the
// handler checks the caller by the shared secret or signature its protocol
// gives, and reads at most limit bytes of body.
func (rt *Router) Gateway(pattern string, limit int64, h http.HandlerFunc) {
	rt.s.mux.Handle(pattern, rt.s.instrument(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h(w, r)
	})))
}

// Templates registers a capability's page templates.
func (rt *Router) Templates(fsys fs.FS) { rt.s.AddTemplates(fsys) }

// Server returns the server the router belongs to.
func (rt *Router) Server() *Server { return rt.s }

func requireSignIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if Actor(r) == nil {
			next := r.URL.RequestURI()
			http.Redirect(w, r, "/masuk?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

func requireActor(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if Actor(r) == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lontara"`)
			WriteProblem(w, r, errs.New(errs.Unauthorized, "unauthorized"))
			return
		}
		h(w, r)
	}
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
