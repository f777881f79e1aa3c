package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/reqctx"
)

// Cookie names.
const (
	sessionCookie = "lontara_session"
	langCookie    = "lontara_lang"
	csrfCookie    = "lontara_csrf" // CSRF token for forms before sign-in
	flashCookie   = "lontara_flash"
)

// maxBody bounds a request body unless a route sets its own limit.
const maxBody = 1 << 20

// withInfo gives each request an id and its client's address, and puts both
// in the context for logs and the audit log.
func (s *Server) withInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := &reqInfo{srv: s, clientIP: s.clientIP(r), lang: i18n.ID, apiLang: i18n.ID}
		// A proxy's id is kept only as plain printable ASCII: it goes into
		// the logs and into every audit entry, which PostgreSQL refuses in
		// anything but valid UTF-8.
		if id := r.Header.Get("X-Request-ID"); id != "" && s.fromTrustedProxy(r) && len(id) <= 64 && printableASCII(id) {
			ri.id = id
		} else {
			ri.id = newID()
		}
		w.Header().Set("X-Request-ID", ri.id)
		ctx := context.WithValue(r.Context(), infoKey{}, ri)
		ctx = reqctx.With(ctx, reqctx.Request{ID: ri.id, IP: ri.clientIP})
		r = r.WithContext(ctx)
		if !validText(r.URL.Path) || !validValues(r.URL.Query()) {
			s.fail(w, r, errText)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (sw *statusWriter) WriteHeader(code int) {
	if sw.status == 0 {
		sw.status = code
	}
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	n, err := sw.ResponseWriter.Write(b)
	sw.bytes += n
	return n, err
}

func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/") {
			level = slog.LevelDebug
		}
		slog.Log(r.Context(), level, "request", "id", RequestID(r.Context()), "method", r.Method,
			"path", r.URL.Path, "status", sw.status, "bytes", sw.bytes,
			"ms", time.Since(start).Milliseconds(), "ip", ClientIP(r))
	})
}

// recoverPanics turns a panic into a 500 without a stack trace for the client;
// the trace goes to the log with the request id.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				slog.ErrorContext(r.Context(), "panic", "id", RequestID(r.Context()), "panic", p)
				s.fail(w, r, errs.New(errs.Internal, "internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows scripts, styles and everything else only
// from this origin: no inline script, no inline style, no eval, no
// framing; images also as data: URLs (the SVG charts' downloads).
// TestTemplatesKeepToTheCSP keeps the templates within it.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// permissionsPolicy turns off the browser features Lontara never uses, so
// an injected script or a framed page cannot ask for them either.
const permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), " +
	"bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"

// secureHeaders sets the headers every response carries (ASVS 14.4). HSTS
// is sent when the client reached us over TLS, directly or through a proxy
// whose public base URL is https. Cache-Control defaults to no-store, so no
// page, API answer or download is kept by a browser or a shared cache
// (ASVS 8.2.1); what may be cached says so itself (static files under their
// content hash).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate finds the actor: a Bearer token for the API, else the session
// cookie; and picks the request's languages.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r.Context())
		if l := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
			ri.apiLang = l
		}
		if authz := r.Header.Get("Authorization"); authz != "" {
			token, ok := strings.CutPrefix(authz, "Bearer ")
			actor, err := s.auth.TokenActor(r.Context(), strings.TrimSpace(token))
			if !ok || err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="lontara", error="invalid_token"`)
				if err == nil || errs.CodeOf(err) != errs.Internal {
					err = errs.New(errs.Unauthorized, "unauthorized")
				}
				WriteProblem(w, r, err)
				return
			}
			ri.actor = actor
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			// Pages check their own forms (checkCSRF); an API call made with
			// the session cookie must at least come from this origin, so a
			// sibling site on the same domain cannot use it cross-origin.
			if isAPI(r) && crossOrigin.Check(r) != nil {
				WriteProblem(w, r, errs.New(errs.Forbidden, "csrf"))
				return
			}
			actor, csrf, err := s.auth.SessionActor(r.Context(), c.Value)
			switch {
			case err == nil:
				ri.actor, ri.csrf, ri.session = actor, csrf, c.Value
			case errs.CodeOf(err) == errs.Internal:
				s.fail(w, r, err)
				return
			default: // expired or ended: forget the cookie
				http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
			}
		}
		ri.lang = i18n.ID
		if ri.actor != nil && ri.actor.Locale != "" {
			ri.lang = i18n.Valid(ri.actor.Locale)
		}
		if c, err := r.Cookie(langCookie); err == nil {
			ri.lang = i18n.Valid(c.Value)
		}
		next.ServeHTTP(w, r)
	})
}

var crossOrigin = http.NewCrossOriginProtection()

// checkCSRF guards forms: a request that changes something must come from
// our own origin (Sec-Fetch-Site / Origin) and carry the form's CSRF token —
// the session's, or before sign-in the one in the csrf cookie. It also bounds
// the body to limit bytes, before the form is parsed (and its text checked)
// to find the token.
func (s *Server) checkCSRF(limit int64, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := crossOrigin.Check(r); err != nil {
			s.fail(w, r, errs.New(errs.Forbidden, "csrf"))
			return
		}
		want := info(r.Context()).csrf
		if want == "" {
			if c, err := r.Cookie(csrfCookie); err == nil {
				want = c.Value
			}
		}
		// The token comes in the form, never in a header: parsing the form
		// here is also where every form's text is checked (parseForm), so
		// no way around the one would be a way around the other.
		if err := parseForm(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if got := r.PostFormValue("csrf"); want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(w, r, errs.New(errs.Forbidden, "csrf"))
			return
		}
		next(w, r)
	}
}

// parseForm reads a posted form, plain or multipart, within the body limit
// already set; a body over the limit is a 413, not a missing token.
func parseForm(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20) // parts beyond this go to temporary files
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.New(tooLarge, "body_too_large", formatBytes(tooBig.Limit))
	}
	if err != nil {
		return errs.New(errs.Invalid, "form")
	}
	if !validValues(r.PostForm) {
		return errText
	}
	return nil
}

// printableASCII reports whether s is only ASCII from the space to the tilde.
func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// errText answers text that no field can hold.
var errText = errs.New(errs.Invalid, "text")

// validText reports whether s is text a field can hold: valid UTF-8 without
// NUL. PostgreSQL refuses both (SQLite would store them), so they are
// refused here, at the edge, and the two engines behave alike.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func validValues(v url.Values) bool {
	for k, vals := range v {
		if !validText(k) {
			return false
		}
		for _, x := range vals {
			if !validText(x) {
				return false
			}
		}
	}
	return true
}

// formatBytes words a size limit for people: 1 MiB, 20 MiB.
func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}

// CSRFToken returns the token a form must carry: the session's, or for a
// visitor not yet signed in a random one kept in a cookie.
func (s *Server) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	ri := info(r.Context())
	if ri.csrf != "" {
		return ri.csrf
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 32 {
		ri.csrf = c.Value
		return c.Value
	}
	ri.csrf = newID() + newID()
	http.SetCookie(w, s.cookie(r, csrfCookie, ri.csrf, 0))
	return ri.csrf
}

// fail answers with err: problem+json for the API, an error page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		WriteProblem(w, r, err)
		return
	}
	s.errorPage(w, r, err)
}

// cookie builds a cookie of ours: HttpOnly, SameSite=Lax, Secure under TLS.
// maxAge 0 is a browser-session cookie, -1 deletes it.
func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)}
}

// secure reports whether the client reached us over TLS: directly, or through
// a proxy when the configured base URL is https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// SetSessionCookie gives the browser its session after sign-in. The cookie
// outlives the browser window; the server ends the session when it idles
// past the session TTL or reaches its maximum age, whatever the cookie says.
// The visitor's CSRF cookie goes: forms now carry the session's token, and
// one made before sign-in is not kept for the next visitor of this browser.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	s := info(r.Context()).srv
	http.SetCookie(w, s.cookie(r, sessionCookie, token, maxAge))
	if _, err := r.Cookie(csrfCookie); err == nil {
		http.SetCookie(w, s.cookie(r, csrfCookie, "", -1))
	}
}

// ClearSessionCookie makes the browser forget its session (sign-out).
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	s := info(r.Context()).srv
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
}
