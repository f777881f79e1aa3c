package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
)

// routes registers what the server itself answers: health, metrics, static
// files, the language switch, the OpenAPI document, the home page and the
// not-found answers.
func (s *Server) routes() {
	s.mux.Handle("GET /healthz", s.instrument("GET /healthz", http.HandlerFunc(s.healthz)))
	s.mux.Handle("GET /metrics", s.serveMetrics())
	s.mux.HandleFunc("GET /static/", s.static.serve)
	s.mux.HandleFunc("GET /bahasa/{lang}", s.switchLang)
	s.mux.Handle("GET /api/v1/openapi.json", s.instrument("GET /api/v1/openapi.json", http.HandlerFunc(s.serveOpenAPI)))
	rt := s.Router()
	rt.Page("GET /{$}", s.home)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { WriteProblem(w, r, errNotFound) })
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFound) })
}

// healthz reports whether the process and its database answer, and on
// PostgreSQL whether it hears the other nodes' changes ("changes":
// "listening" or "reconnecting"; see db.Changes.Connected). With a
// read replica it says how the replica is ("ok", "not_in_recovery",
// "unreachable") and where this node's dashboards and reports read
// ("replica_reads": "replica", or "primary" while the replica is
// unreachable or lagging; see db.Reads), but answers 200 whatever it says:
// every node shares the replica, so failing the check would take them all
// out of the load balancer for what only dashboards and reports need.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Ping(r.Context()); err != nil {
		WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "database": "unreachable"})
		return
	}
	out := map[string]string{"status": "ok", "database": string(s.db.Engine())}
	if s.db.Engine() == db.Postgres {
		// Whether the other nodes' changes reach this one's caches; not a
		// failure of the node, which still answers rightly in time.
		out["changes"] = "listening"
		if !s.db.Changes.Connected() {
			out["changes"] = "reconnecting"
		}
	}
	if s.db.HasReplica() {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second) // a health check answers quickly
		defer cancel()
		switch standby, err := s.db.Replica.InRecovery(ctx); {
		case err != nil:
			out["replica"] = "unreachable"
		case !standby:
			out["replica"] = "not_in_recovery"
		default:
			out["replica"] = "ok"
		}
		out["replica_reads"] = "replica"
		if why, _ := s.db.Replica.OnPrimary(); why != "" {
			out["replica_reads"] = "primary"
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// switchLang remembers the chosen language in a cookie and goes back.
// It is a plain link so it works without JavaScript; changing a display
// preference is harmless, so it needs no CSRF token.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Valid(r.PathValue("lang"))
	http.SetCookie(w, s.cookie(r, langCookie, lang, 365*24*3600))
	next := r.URL.Query().Get("next")
	if !localPath(next) {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// localPath reports whether p is a path on this site, so redirects to it
// cannot send a visitor elsewhere. Browsers drop tabs and newlines from a
// Location and read a backslash as a slash, so "/\t/evil.example" would
// become "//evil.example": any control character or backslash is refused,
// and what remains must parse as a bare path.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

// LocalPath is localPath for other packages (the sign-in page's next=).
func LocalPath(p string) bool { return localPath(p) }

// home is each role's start page: what that role comes to Lontara for.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	Render(w, r, http.StatusOK, "web/home", "page.home", s.waiting(r))
}
