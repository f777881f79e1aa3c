// Package helpdesk is the help desk: every problem with an e-gov application
// becomes a ticket, worked by the support team's agents within the SLA of
// its priority, with public replies, internal notes and a history of every
// state change. Who may see and change what is decided by internal/policy.
package helpdesk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// The values of a ticket's enumerated fields, in the order forms offer them.
var (
	Channels   = []string{"web", "api", "phone", "sms", "email", "whatsapp"}
	Categories = []string{"network", "application", "procedure", "account", "request", "other"}
	Priorities = []string{"low", "normal", "high", "urgent"}
	// ReporterPriorities are those a reporter may choose: urgency is the
	// help desk's call.
	ReporterPriorities = []string{"low", "normal", "high"}
	Statuses           = []string{"new", "open", "pending", "resolved", "closed"}
)

// Status values the rules refer to.
const (
	StatusNew      = "new"
	StatusOpen     = "open"
	StatusPending  = "pending"
	StatusResolved = "resolved"
	StatusClosed   = "closed"
)

// Limits on text fields.
const (
	maxSubject = 200
	maxBody    = 20000
	maxContact = 200
	maxTags    = 20
	maxTag     = 40
)

// Ticket is one request for help. Messages and History are filled only when
// one ticket is read whole.
type Ticket struct {
	ID                 int64      `json:"-"`
	Number             string     `json:"number"`
	Subject            string     `json:"subject"`
	Body               string     `json:"body"`
	Status             string     `json:"status"`
	Priority           string     `json:"priority"`
	Category           string     `json:"category"`
	Channel            string     `json:"channel"`
	AgencyID           *int64     `json:"agency_id"`
	AppID              *int64     `json:"app_id"`
	AssigneeID         *int64     `json:"assignee_id"`
	TeamID             *int64     `json:"team_id"`
	ReporterID         *int64     `json:"reporter_id"`
	ReporterName       string     `json:"reporter_name"`
	ReporterEmployeeID int64      `json:"-"`
	ContactName        string     `json:"contact_name,omitempty"`
	ContactPhone       string     `json:"contact_phone,omitempty"`
	ContactEmail       string     `json:"contact_email,omitempty"`
	Tags               []string   `json:"tags"`
	Version            int        `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	FirstResponseDue   time.Time  `json:"first_response_due"`
	ResolutionDue      time.Time  `json:"resolution_due"`
	FirstRespondedAt   *time.Time `json:"first_responded_at"`
	ResolvedAt         *time.Time `json:"resolved_at"`
	ClosedAt           *time.Time `json:"closed_at"`
	PendingSince       *time.Time `json:"-"`
	PausedSeconds      int64      `json:"-"`
	follower           bool       // the viewer follows it (set by visible)
	Messages           []Message  `json:"messages,omitempty"`
	History            []Event    `json:"history,omitempty"`
	// Attachments are the ticket's files and its messages' (message_id),
	// filled when one ticket is read whole.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Message is a public reply or, when Internal, a note only agents see.
type Message struct {
	ID               int64     `json:"id"`
	AuthorID         *int64    `json:"author_id"`
	Author           string    `json:"author"`
	Body             string    `json:"body"`
	Internal         bool      `json:"internal"`
	TimeSpentMinutes int       `json:"time_spent_minutes"`
	CreatedAt        time.Time `json:"created_at"`
	// Attachments are the files the message carries, in the answer to the
	// request that added it.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Event is one entry of a ticket's history: who changed what, when, from
// what to what.
type Event struct {
	Actor string    `json:"actor"`
	Kind  string    `json:"kind"`
	Old   string    `json:"old"`
	New   string    `json:"new"`
	At    time.Time `json:"at"`
}

// Number formats a ticket id as its human number, T-000123.
func Number(id int64) string { return fmt.Sprintf("T-%06d", id) }

// ParseNumber reads a human number back into the ticket id; anything else
// is a NotFound, as no ticket has that name.
func ParseNumber(s string) (int64, error) {
	digits, ok := strings.CutPrefix(strings.ToUpper(s), "T-")
	id, err := strconv.ParseInt(digits, 10, 64)
	if !ok || err != nil || id < 1 || digits[0] == '+' {
		return 0, errs.New(errs.NotFound, "ticket.not_found")
	}
	return id, nil
}

// TicketInput files a ticket. Reporters give subject, body, category and
// perhaps the application and priority; agents filing for someone else (a
// phone call) also give the reporter's account or the outside contact, and
// may route it to a team.
type TicketInput struct {
	Subject      string   `json:"subject"`
	Body         string   `json:"body,omitempty"`
	Category     string   `json:"category"`
	Channel      string   `json:"channel,omitempty"`
	Priority     string   `json:"priority,omitempty"`
	AppID        *int64   `json:"app_id,omitempty"`
	TeamID       *int64   `json:"team_id,omitempty"`
	ReporterID   *int64   `json:"reporter_id,omitempty"`
	ContactName  string   `json:"contact_name,omitempty"`
	ContactPhone string   `json:"contact_phone,omitempty"`
	ContactEmail string   `json:"contact_email,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Attachments  []Upload `json:"-"`

	// AgencyID is the agency of an outside contact's ticket (a caller who
	// works for the city but has no account); a reporter's own agency wins.
	AgencyID *int64 `json:"agency_id,omitempty"`

	// After runs in the ticket's transaction once it is stored: a channel
	// logs the message that opened it and writes its answer to the outbox
	// there, so the ticket, the log and the answer exist together or not
	// at all (a message delivered twice by its gateway opens one ticket).
	After func(ctx context.Context, tx db.Querier, t Ticket) error `json:"-"`
}

func (in *TicketInput) normalize() {
	in.Subject = strings.TrimSpace(in.Subject)
	in.Body = strings.TrimSpace(in.Body)
	in.ContactName = strings.TrimSpace(in.ContactName)
	in.ContactPhone = strings.TrimSpace(in.ContactPhone)
	in.ContactEmail = strings.TrimSpace(in.ContactEmail)
	if in.Channel == "" {
		in.Channel = "web"
	}
	if in.Priority == "" {
		in.Priority = "normal"
	}
}

// onBehalf reports whether the input files the ticket for someone else.
func (in TicketInput) onBehalf() bool {
	return in.ReporterID != nil || in.ContactName != "" || in.ContactPhone != "" || in.ContactEmail != "" ||
		in.TeamID != nil || in.AgencyID != nil
}

func (in TicketInput) validate() *errs.Validation {
	var v errs.Validation
	text(&v, "subject", in.Subject, maxSubject, true)
	text(&v, "body", in.Body, maxBody, false)
	text(&v, "contact_name", in.ContactName, maxContact, false)
	text(&v, "contact_phone", in.ContactPhone, maxContact, false)
	text(&v, "contact_email", in.ContactEmail, maxContact, false)
	oneOf(&v, "category", in.Category, Categories)
	oneOf(&v, "channel", in.Channel, Channels)
	oneOf(&v, "priority", in.Priority, Priorities)
	if _, err := normalizeTags(in.Tags); err != nil {
		v.Add("tags", "ticket.tags", maxTags, maxTag)
	}
	return &v
}

func text(v *errs.Validation, field, s string, limit int, required bool) {
	switch {
	case required && s == "":
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > limit:
		v.Add(field, "too_long", limit)
	}
}

func oneOf(v *errs.Validation, field, s string, allowed []string) {
	if s == "" {
		v.Add(field, "required")
	} else if !slices.Contains(allowed, s) {
		v.Add(field, "one_of", choices{field, allowed})
	}
}

// normalizeTags lowercases and de-duplicates tags, keeping their order. A
// tag is a word without commas or spaces (they are stored comma-separated).
func normalizeTags(tags []string) ([]string, error) {
	out := []string{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || utf8.RuneCountInString(t) > maxTag || strings.ContainsAny(t, ", \t\n") {
			return nil, errs.FieldErr("tags", "ticket.tags", maxTags, maxTag)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, errs.FieldErr("tags", "ticket.tags", maxTags, maxTag)
	}
	return out, nil
}

// TicketPatch changes a ticket: nil leaves a field as it is. For the
// nullable references, a Set flag with a nil value clears them.
type TicketPatch struct {
	Status      *string   `json:"status,omitempty"`
	Priority    *string   `json:"priority,omitempty"`
	Category    *string   `json:"category,omitempty"`
	TeamID      *int64    `json:"team_id,omitempty"`
	AssigneeID  *int64    `json:"assignee_id,omitempty"`
	AppID       *int64    `json:"app_id,omitempty"`
	Tags        *[]string `json:"tags,omitempty"`
	SetTeam     bool      `json:"-"`
	SetAssignee bool      `json:"-"`
	SetApp      bool      `json:"-"`
}

// ReplyInput is a reply to a ticket; Internal makes it a note only agents
// see.
type ReplyInput struct {
	Body             string `json:"body"`
	Internal         bool   `json:"internal,omitempty"`
	TimeSpentMinutes int    `json:"time_spent_minutes,omitempty"`
	// Attachments are files sent with the reply; with them the body may
	// be empty.
	Attachments []Upload `json:"-"`
	// After runs in the reply's transaction once it is stored, as
	// TicketInput.After does.
	After func(ctx context.Context, tx db.Querier, t Ticket, m Message) error `json:"-"`
}

// TicketFilter narrows a ticket list; nil fields do not filter.
type TicketFilter struct {
	Status     *string
	Category   *string
	TeamID     *int64
	AssigneeID *int64
	Unassigned bool // only tickets no one has taken
	AgencyID   *int64
	AppID      *int64
	ReporterID *int64
	// Followed widens ReporterID to the tickets that account follows (its
	// duplicates were merged into them): "my tickets" as a reporter sees them.
	Followed bool
	Query    *string
}
