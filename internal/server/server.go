// Package server wires Lontara together: it builds each capability's
// service over one database and mounts their routes on one web server. It
// holds no rules of its own; `lontara serve` and the end-to-end tests both
// start Lontara through New, so they run the same program.
package server

import (
	"time"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/web"
)

// Services are the capabilities' services, for commands and tests that act
// beside the web server.
type Services struct {
	Org  *org.Service
	Auth *auth.Service
	Apps *apps.Service
	Desk *helpdesk.Service
	// Search finds articles, threads and tickets; the discussions add the
	// spaces a searcher reads as a KeySource (search.NewService's sources).
	Search *search.Service
}

// NewServices builds every service over d.
func NewServices(cfg config.Config, d *db.DB) *Services {
	people := org.NewService(d)
	svc := &Services{
		Org:  people,
		Auth: auth.NewService(d, auth.NewHasher(cfg.HashConcurrency), people, cfg),
		Apps: apps.NewService(d),
		Desk: helpdesk.NewService(d),
	}
	// The discussions' spaces join the searcher's keys: search.NewService(d, discuss.SearchKeys).
	svc.Search = search.NewService(d)
	svc.Org.SetAccessEndedHook(svc.Auth.ForgetPerson) // a deactivated or moved person's cached tokens end at once
	if loc, err := time.LoadLocation(cfg.TimeZone); err == nil {
		svc.Desk.SetZone(loc) // working hours and holidays in the city's zone; a bad zone stops web.New
	}
	return svc
}

// Jobs is the background work `lontara serve` runs beside the web server,
// one entry per capability's job.
func (s *Services) Jobs() []jobs.Job {
	return []jobs.Job{
		s.Desk.LaporJob(),
		{Name: "helpdesk.escalate", Every: time.Minute, Run: s.Desk.Escalate},
		{Name: "search.learn", Every: time.Minute, Run: s.Search.Learn},
		{Name: "helpdesk.index", Every: time.Hour, Run: s.Desk.IndexMissing},
	}
}

// New returns the web server with every capability's routes mounted.
func New(cfg config.Config, d *db.DB) (*web.Server, *Services, error) {
	svc := NewServices(cfg, d)
	if err := svc.Desk.SetFileLimits(cfg.AttachmentMaxMB, cfg.AttachmentMaxFiles); err != nil {
		return nil, nil, err
	}
	srv, err := web.New(cfg, d, svc.Auth)
	if err != nil {
		return nil, nil, err
	}
	rt := srv.Router()
	audit.NewHandler(d).Routes(rt)
	auth.NewHandler(svc.Auth, svc.Org).Routes(rt)
	apps.NewHandler(svc.Apps, svc.Org, svc.Auth).Routes(rt)
	org.NewAPI(svc.Org).Routes(rt)
	org.NewHandler(svc.Org).Routes(rt)
	helpdesk.NewHandler(svc.Desk).Routes(rt)
	notify.NewHandler(notify.NewInbox(d)).Routes(rt)
	knowledge.NewHandler(knowledge.NewService(d), helpdesk.Origin).Routes(rt)
	search.NewHandler(svc.Search).Routes(rt)
	return srv, svc, nil
}
