// Package server wires Lontara together: it builds each capability's
// service over one database and mounts their routes on one web server. It
// holds no rules of its own; `lontara serve` and the end-to-end tests both
// start Lontara through New, so they run the same program.
package server

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/channels/kannel"
	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/channels/whatsapp"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/dashboard"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/impact"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/lessons"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/meetings"
	"github.com/lontara-id/lontara/internal/mentoring"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/paths"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/spbe"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/targets"
	"github.com/lontara-id/lontara/internal/thanks"
	"github.com/lontara-id/lontara/internal/training"
	"github.com/lontara-id/lontara/internal/upload"
	"github.com/lontara-id/lontara/internal/web"
)

// Services are the capabilities' services, for commands and tests that act
// beside the web server.
type Services struct {
	Org  *org.Service
	Auth *auth.Service
	Apps *apps.Service
	Desk *helpdesk.Service
	// KB is the knowledge base (articles, categories, review).
	KB *knowledge.Service
	// Discuss is the discussion spaces; its SearchKeys is the search's KeySource of spaces.
	Discuss *discuss.Service
	// Meetings are the online meetings held in discussion spaces.
	Meetings *meetings.Service
	// Search finds articles, threads and tickets; the discussions add the
	// spaces a searcher reads as a KeySource (search.NewService's sources).
	Search *search.Service
	// Competency is the competency framework, requirements and profiles.
	Competency *competency.Service
	// Gaps is the competency gap analysis (training-needs analysis).
	Gaps *competency.GapService
	// Certs issues, verifies and revokes training certificates.
	Certs *certificate.Service
	// Training is the learning activities, events, enrolments and attendance.
	Training *training.Service
	// Ledger is the JP ledger (and self-study completions).
	Ledger *ledger.Service
	// Paths are the learning paths.
	Paths *paths.Service
	// Mentoring is the trainers' mentoring of people in their agencies.
	Mentoring *mentoring.Service
	// Leadership is vision and mission, regulations, announcements, M&E reviews and recognition.
	Leadership *leadership.Service
	// Ideas are the ideas for applications and procedures, answered by
	// the owner agency's leadership.
	Ideas *ideas.Service
	// Thanks is the thanks between colleagues.
	Thanks *thanks.Service
	// Lessons are the lessons learned after incidents and projects.
	Lessons *lessons.Service
	// Impact is the training impact of finished events (Kirkpatrick 3 and 4).
	Impact *impact.Service
	// SPBE assembles the SPBE evidence packs; the regulation registry is
	// wired with SetPolicies.
	SPBE *spbe.Service
	// Survey is the LO survey and other questionnaires, answered anonymously.
	Survey *survey.Service
	// LOIndex is the learning-organization index per agency and period.
	LOIndex *loindex.Service
	// Targets are the learning targets per agency and period.
	Targets *targets.Service
}

// NewServices builds every service over d.
func NewServices(cfg config.Config, d *db.DB) *Services {
	people := org.NewService(d)
	svc := &Services{
		Org:        people,
		Auth:       auth.NewService(d, auth.NewHasher(cfg.HashConcurrency), people, cfg),
		Apps:       apps.NewService(d),
		Desk:       helpdesk.NewService(d),
		KB:         knowledge.NewService(d),
		Discuss:    discuss.NewService(d, auth.ActorsIn),
		Competency: competency.NewService(d),
		Gaps:       competency.NewGapService(d),
	}
	// The discussions' spaces join the searcher's keys.
	svc.Search = search.NewService(d, discuss.SearchKeys)
	svc.Org.SetPersonChangedHook(svc.Auth.ForgetPerson) // a changed person's cached tokens end on every node at once
	zone := time.FixedZone("WITA", 8*3600)
	if loc, err := time.LoadLocation(cfg.TimeZone); err == nil {
		zone = loc
		svc.Desk.SetZone(loc) // working hours and holidays in the city's zone; a bad zone stops web.New
	}
	svc.Meetings = meetings.NewService(d, auth.ActorsIn, zone)
	svc.Certs = certificate.NewService(d, zone)
	svc.Training = training.NewService(d, zone)
	svc.Ledger = ledger.NewService(d, zone)
	svc.Paths = paths.NewService(d)
	svc.Mentoring = mentoring.NewService(d)
	svc.Leadership = leadership.NewService(d, zone)
	svc.Ideas = ideas.NewService(d, zone)
	svc.Thanks = thanks.NewService(d, zone)
	svc.Lessons = lessons.NewService(d)
	svc.Impact = impact.NewService(d, zone)
	svc.SPBE = spbe.NewService(d, svc.Desk, zone)
	svc.SPBE.SetPolicies(regulationPolicies)
	svc.Survey = survey.NewService(d, zone)
	svc.LOIndex = loindex.NewService(d, zone)
	svc.LOIndex.FollowChanges() // a target set or a period kept on any node
	svc.Targets = targets.NewService(d, zone, svc.LOIndex)
	svc.Discuss.AddCoachSource(articleVotes) // helpful articles make coaches too

	return svc
}

// Jobs is the background work `lontara serve` runs beside the web server,
// one entry per capability's job.
func (s *Services) Jobs() []jobs.Job {
	return []jobs.Job{
		s.Desk.LaporJob(),
		{Name: "helpdesk.escalate", Every: time.Minute, Run: s.Desk.Escalate},
		s.Meetings.RemindJob(),
		s.Training.RemindJob(),
		{Name: "search.learn", Every: time.Minute, Run: s.Search.Learn},
		{Name: "helpdesk.index", Every: time.Hour, Run: s.Desk.IndexMissing},
		{Name: "knowledge.index", Every: time.Hour, Run: s.KB.IndexMissing},
		{Name: "discuss.index", Every: time.Hour, Run: s.Discuss.IndexMissing},
		{Name: "competency.defaults", Every: time.Hour, Run: s.Competency.DefaultsJob},
		s.Competency.ExpiryJob(),
		s.Leadership.RemindJob(),
		{Name: "survey.defaults", Every: time.Hour, Run: s.Survey.DefaultsJob},
		s.Survey.Job(),
		s.LOIndex.RollupJob(),
		s.LOIndex.Rollups().Job(),
	}
}

// New returns the web server with every capability's routes mounted.
func New(cfg config.Config, d *db.DB) (*web.Server, *Services, error) {
	svc := NewServices(cfg, d)
	d.Changes.Listen() // the other nodes' changes to what the services keep in memory
	if err := svc.Desk.SetFileLimits(cfg.AttachmentMaxMB, cfg.AttachmentMaxFiles); err != nil {
		return nil, nil, err
	}
	srv, err := web.New(cfg, d, svc.Auth)
	if err != nil {
		return nil, nil, err
	}
	rt := srv.Router()
	rt.Collect(jobs.NewCollector(d)) // the scheduled jobs' runs, every node's
	audit.NewHandler(d).Routes(rt)
	auth.NewHandler(svc.Auth, svc.Org).Routes(rt)
	apps.NewHandler(svc.Apps, svc.Org, svc.Auth).Routes(rt)
	org.NewAPI(svc.Org).Routes(rt)
	org.NewHandler(svc.Org).Routes(rt)
	helpdesk.NewHandler(svc.Desk).Routes(rt)
	if cfg.KannelSendSMSURL != "" { // Kannel's sms-service and delivery reports call here
		kannel.NewHandler(d, inbound.NewTexts(d, svc.Desk), cfg.SMSSecret).Routes(rt)
	}
	notify.NewHandler(notify.NewInbox(d)).Routes(rt)
	// The preferences' page template is the inbox handler's.
	notify.NewPrefsHandler(notify.NewPrefs(d)).Routes(rt)
	svc.KB.SetFileLimits(upload.Limits(svc.Desk.FileLimits())) // articles' files as the help desk's
	knowledge.NewHandler(svc.KB, articleOrigin).Routes(rt)
	discuss.NewHandler(svc.Discuss).Routes(rt)
	meetings.NewHandler(svc.Meetings, cfg.BaseURL).Routes(rt)
	search.NewHandler(svc.Search).Routes(rt)
	svc.Competency.SetFileLimits(upload.Limits(svc.Desk.FileLimits())) // evidence documents as the help desk's files
	competency.NewHandler(svc.Competency).Routes(rt)
	certificate.NewHandler(svc.Certs, cfg.BaseURL).Routes(rt)
	training.NewHandler(svc.Training, cfg.BaseURL).Routes(rt)
	competency.NewGapHandler(svc.Gaps).Routes(rt)
	ledger.NewHandler(svc.Ledger).Routes(rt)
	paths.NewHandler(svc.Paths).Routes(rt)
	mentoring.NewHandler(svc.Mentoring).Routes(rt)
	svc.Leadership.SetFileLimits(upload.Limits(svc.Desk.FileLimits())) // regulations' documents as the help desk's files
	leadership.NewHandler(svc.Leadership).Routes(rt)
	ideas.NewHandler(svc.Ideas).Routes(rt)
	thanks.NewHandler(svc.Thanks).Routes(rt)
	lessons.NewHandler(svc.Lessons).Routes(rt)
	impact.NewHandler(svc.Impact).Routes(rt)
	spbe.NewHandler(svc.SPBE).Routes(rt)
	survey.NewHandler(svc.Survey).Routes(rt)
	// What waits for a person on their home page.
	rt.Attention(svc.Leadership.Waiting)
	rt.Attention(svc.Survey.Waiting)
	rt.Attention(svc.Ideas.Waiting)
	outbox.NewHandler(outbox.NewAdmin(d)).Routes(rt) // the delivery admin; its Waiting too
	loindex.NewHandler(svc.LOIndex).Routes(rt)
	targets.NewHandler(svc.Targets).Routes(rt)
	dash := dashboard.NewHandler(svc.LOIndex, d)
	dash.ReviewTables = leadership.ReviewTables // the M&E report's findings and follow-ups
	dash.TargetTables = svc.Targets.Tables
	dash.Routes(rt)
	if whatsAppConfigured(cfg) { // Meta's webhook: messages people send by WhatsApp, statuses of ours
		whatsapp.NewHandler(d, inbound.NewTexts(d, svc.Desk), whatsapp.HookConfig{VerifyToken: cfg.WhatsAppVerifyToken,
			AppSecret: cfg.WhatsAppAppSecret, PhoneID: cfg.WhatsAppPhoneID}).Routes(rt)
	}
	return srv, svc, nil
}

// articleOrigin links an article to what it was made from: a ticket (the
// help desk names it), a discussion thread or a meeting (the knowledge
// base names those).
func articleOrigin(kind string, id int64) (label, href string) {
	switch kind {
	case knowledge.OriginThread:
		return "", discuss.ThreadLink(id, 0)
	case knowledge.OriginMeeting:
		return "", meetings.Link(id)
	}
	return helpdesk.Origin(kind, id)
}

// articleVotes is the knowledge base's part of the informal coaches: a
// helpful vote on an article counts as a helpful reaction on a post does,
// for the applications the article is about.
func articleVotes(ctx context.Context, q db.Querier, agencyID int64) (map[int64]discuss.Credit, error) {
	votes, err := knowledge.HelpfulVotes(ctx, q, agencyID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]discuss.Credit, len(votes))
	for account, v := range votes {
		c := discuss.Credit{Points: v.Helpful * discuss.CoachHelpful}
		for _, app := range v.Apps {
			c.Apps = append(c.Apps, discuss.Topic{ID: app.ID, Name: app.Name})
		}
		out[account] = c
	}
	return out, nil
}

// Senders returns the outbox's sender of each channel cfg configures: the
// worker delivers those channels, and notify writes a person's messages
// for them only.
func Senders(cfg config.Config) (map[string]outbox.Sender, error) {
	senders := map[string]outbox.Sender{}
	base := publicURL(cfg)
	if cfg.KannelSendSMSURL != "" {
		if cfg.SMSSecret == "" {
			return nil, errors.New("--kannel-sendsms-url needs --sms-secret: Kannel presents it when it calls back")
		}
		senders[outbox.SMS] = kannel.NewSender(kannel.Config{SendSMSURL: cfg.KannelSendSMSURL, User: cfg.KannelUser,
			Password: cfg.KannelPassword, Sender: cfg.SMSSender, Secret: cfg.SMSSecret, BaseURL: base})
	}
	if cfg.SMTPRelay != "" {
		if cfg.MailFrom == "" {
			return nil, errors.New("--smtp-relay needs --mail-from: the address mail goes out from")
		}
		senders[outbox.Email] = mail.NewSender(mail.Config{Relay: cfg.SMTPRelay, User: cfg.SMTPUser,
			Password: cfg.SMTPPassword, From: cfg.MailFrom, BaseURL: base})
	}
	wa := []string{cfg.WhatsAppPhoneID, cfg.WhatsAppToken, cfg.WhatsAppAppSecret, cfg.WhatsAppVerifyToken}
	if slices.Contains(wa, "") && slices.ContainsFunc(wa, func(v string) bool { return v != "" }) {
		// Half a configuration would take messages in and never answer
		// them (or send and never hear back): refuse it.
		return nil, errors.New("WhatsApp needs all of --whatsapp-phone-id, --whatsapp-token, --whatsapp-app-secret " +
			"and --whatsapp-verify-token: Meta's webhook brings the messages and the statuses, the token sends the answers")
	}
	if whatsAppConfigured(cfg) {
		senders[outbox.WhatsApp] = whatsapp.NewSender(whatsapp.Config{APIURL: cfg.WhatsAppAPIURL,
			PhoneID: cfg.WhatsAppPhoneID, Token: cfg.WhatsAppToken, BaseURL: base})
	}
	return senders, nil
}

// publicURL is the address people and gateways reach this server at: the
// configured base URL, else the listening address.
func publicURL(cfg config.Config) string {
	if cfg.BaseURL != "" {
		return strings.TrimRight(cfg.BaseURL, "/")
	}
	return "http://" + cfg.Addr
}

// whatsAppConfigured reports whether WhatsApp is set up whole (Senders
// refuses half of it): its webhook is mounted and its sender runs.
func whatsAppConfigured(cfg config.Config) bool {
	return cfg.WhatsAppPhoneID != "" && cfg.WhatsAppToken != "" && cfg.WhatsAppAppSecret != "" &&
		cfg.WhatsAppVerifyToken != ""
}
