// Package web is Lontara's HTTP layer: the server, its middleware (request
// ids, logs, client addresses behind proxies, sessions and tokens, CSRF,
// language), rendering of server-side pages, application/problem+json, the
// JSON helpers of the API and the OpenAPI document built from the API's
// route table. Capabilities register their own routes and templates through
// a Router; this package knows none of them.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// Authenticator finds who is behind a session cookie or an API token. The
// auth package implements it.
type Authenticator interface {
	// SessionActor returns the actor of a session and its CSRF token.
	SessionActor(ctx context.Context, token string) (*policy.Actor, string, error)
	// TokenActor returns the actor of an API token.
	TokenActor(ctx context.Context, token string) (*policy.Actor, error)
}

// Server is the HTTP server of one Lontara node.
type Server struct {
	cfg      config.Config
	db       *db.DB
	auth     Authenticator
	loc      *time.Location
	mux      *http.ServeMux
	pages    *pageSet
	static   *staticFiles
	ops      []Op
	forms    []string // patterns of the pages that change something (FormRoutes)
	proxies  netList
	metricOK netList
	metrics  *metrics
	handler  http.Handler
	unread   func(context.Context, *policy.Actor) (int, error)
	// attention lists what waits for a person on their home page.
	attention []AttentionFunc

	openapiOnce sync.Once
	openapiDoc  map[string]any
}

// New returns a server with the built-in routes (health, metrics, static
// files, language switch, OpenAPI). Capabilities add theirs with Router.
func New(cfg config.Config, d *db.DB, auth Authenticator) (*Server, error) {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", cfg.TimeZone, err)
	}
	proxies, err := parseNetList(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("trusted-proxies: %w", err)
	}
	allow, err := parseNetList(cfg.MetricsAllow)
	if err != nil {
		return nil, fmt.Errorf("metrics-allow: %w", err)
	}
	st, err := newStatic()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: d, auth: auth, loc: loc, mux: http.NewServeMux(),
		pages: newPageSet(), static: st, proxies: proxies, metricOK: allow, metrics: newMetrics(d)}
	s.routes()
	return s, nil
}

// Router returns the router capabilities register their routes on.
func (s *Server) Router() *Router { return &Router{s: s} }

// Handler returns the server's handler, with every middleware around the
// routes. Call it after all routes and templates are registered: it parses
// the templates and fails if a page is missing one.
func (s *Server) Handler() (http.Handler, error) {
	if s.handler != nil {
		return s.handler, nil
	}
	if err := s.pages.parse(); err != nil {
		return nil, err
	}
	s.handler = s.withInfo(s.logRequests(s.recoverPanics(s.secureHeaders(s.authenticate(s.mux)))))
	return s.handler, nil
}

// Serve answers requests on ln until ctx is done, then drains open requests
// for up to ten seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	h, err := s.Handler()
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Location is the city's time zone, in which times are shown.
func (s *Server) Location() *time.Location { return s.loc }

// SetUnreadCount gives the layout the count of the signed-in person's
// unread notifications, shown beside their name in every page's header
// (the notify package provides it; web knows no capability).
func (s *Server) SetUnreadCount(f func(context.Context, *policy.Actor) (int, error)) { s.unread = f }

// AddTemplates registers a capability's page templates (see pageSet).
func (s *Server) AddTemplates(fsys fs.FS) { s.pages.add(fsys) }
