// Package meetings is the online meetings held in discussion spaces: a
// meeting has its time, the address of its call (any video service: Zoom,
// Google Meet, Jitsi, the city's own), an agenda and invitees who answer,
// a reminder before it starts, a calendar file, and notes afterwards that
// can become a knowledge article. Who may see one follows its space's
// rules (discuss); who may change it is policy.MeetingManage.
package meetings

import (
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/errs"
)

// Meeting is a meeting as its page and the API show it.
type Meeting struct {
	ID          int64      `json:"id"`
	SpaceID     int64      `json:"space_id"`
	SpaceName   string     `json:"space_name"`
	Title       string     `json:"title"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	Link        string     `json:"link"`
	Agenda      string     `json:"agenda"` // Markdown
	Notes       string     `json:"notes"`  // Markdown
	OrganizerID int64      `json:"organizer_account_id"`
	Organizer   string     `json:"organizer"`
	CancelledAt *time.Time `json:"cancelled_at"`
	Sequence    int        `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Invitees    []Invitee  `json:"invitees,omitempty"` // on a single meeting, not in lists
	// ArticleID is the article made from the notes, if any.
	ArticleID *int64 `json:"article_id"`

	AgendaHTML template.HTML `json:"agenda_html"`
	NotesHTML  template.HTML `json:"notes_html"`
}

// Invitee is a person invited and what they answered.
type Invitee struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Email     string `json:"-"`
	Response  string `json:"response"` // pending, yes, maybe, no
}

// An invitee's answers.
const (
	Pending = "pending"
	Yes     = "yes"
	Maybe   = "maybe"
	No      = "no"
)

// Responses are the answers an invitee can give.
var Responses = []string{Yes, Maybe, No}

// Input is a meeting as its organizer describes it. Invite lists people by
// email; AllMembers invites the space's members besides.
type Input struct {
	Title      string    `json:"title"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Link       string    `json:"link"`
	Agenda     string    `json:"agenda"`
	Invite     []string  `json:"invite"`
	AllMembers bool      `json:"all_members"`
}

// Limits on what a meeting holds.
const (
	maxTitle    = 200
	maxLink     = 1000
	maxAgenda   = 20000
	maxNotes    = 100000
	maxInvitees = 500
	minLength   = 5 * time.Minute
	maxLength   = 12 * time.Hour
	// A meeting is planned at most this far ahead.
	maxAhead = 2 * 366 * 24 * time.Hour
)

// validate checks in and trims it. A new meeting (or one moved) must not
// start in the past; a little slack lets a form sent at 09:00 for 09:00
// through.
func (in *Input) validate(now time.Time, moved bool) error {
	in.Title, in.Link, in.Agenda = strings.TrimSpace(in.Title), strings.TrimSpace(in.Link), strings.TrimSpace(in.Agenda)
	var v errs.Validation
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "meeting.title_required")
	case n > maxTitle:
		v.Add("title", "meeting.title_long", maxTitle)
	case !printable(in.Title):
		v.Add("title", "meeting.title_control")
	}
	if err := checkLink(in.Link); err != "" {
		v.Add("link", err)
	}
	if utf8.RuneCountInString(in.Agenda) > maxAgenda {
		v.Add("agenda", "meeting.agenda_long", maxAgenda)
	}
	switch {
	case in.StartsAt.IsZero():
		v.Add("starts_at", "meeting.start_required")
	case moved && in.StartsAt.Before(now.Add(-5*time.Minute)):
		v.Add("starts_at", "meeting.start_past")
	case in.StartsAt.After(now.Add(maxAhead)):
		v.Add("starts_at", "meeting.start_far")
	case in.EndsAt.Sub(in.StartsAt) < minLength:
		v.Add("ends_at", "meeting.too_short", int(minLength.Minutes()))
	case in.EndsAt.Sub(in.StartsAt) > maxLength:
		v.Add("ends_at", "meeting.too_long", int(maxLength.Hours()))
	}
	if len(in.Invite) > maxInvitees {
		v.Add("invite", "meeting.invite_many", maxInvitees)
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Second), in.EndsAt.UTC().Truncate(time.Second)
	return v.Err()
}

// checkLink returns the error key for a call's address, "" when it is one:
// an absolute http or https URL with a host. Nothing else is a link people
// can be sent to safely (javascript:, data:, a bare word).
func checkLink(link string) string {
	if link == "" {
		return "meeting.link_required"
	}
	if len(link) > maxLink {
		return "meeting.link_long"
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !printable(link) ||
		strings.ContainsAny(link, " \"<>") {
		return "meeting.link_invalid"
	}
	return ""
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// Past reports whether the meeting has started by now: its notes can be
// written from then on.
func (m Meeting) Past(now time.Time) bool { return !m.StartsAt.After(now) }
