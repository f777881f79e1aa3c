// Package lessons keeps the lessons learned after an incident or a
// project: what happened, what was expected, what was learned and what
// changes, about an agency's work or the city's (the help desk, a city
// project), linked to the help desk's tickets and problems. A lesson can be
// published as a draft knowledge article, which the knowledge base's
// review then takes from there; the lesson keeps the article's id.
package lessons

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service keeps the lessons.
type Service struct{ db *db.DB }

// NewService returns the lessons service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Kinds of lesson.
const (
	KindIncident = "incident"
	KindProject  = "project"
)

// Kinds are every kind.
var Kinds = []string{KindIncident, KindProject}

const (
	maxTitle = 200
	maxText  = 10000
	maxLinks = 50
)

// Lesson is a lesson learned.
type Lesson struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	AgencyID   *int64 `json:"agency_id"` // nil: the city's
	AgencyName string `json:"agency_name,omitempty"`
	Title      string `json:"title"`
	Happened   string `json:"happened"`
	Expected   string `json:"expected"`
	Learned    string `json:"learned"`
	Changes    string `json:"changes"`
	AuthorName string `json:"author_name"`
	ArticleID  *int64 `json:"article_id"`
	// ArticleOpen says the reader may open the article: once published
	// (articleStatus), or as a draft to those who read drafts.
	ArticleOpen   bool `json:"-"`
	articleStatus string
	Tickets       []Ref     `json:"tickets"`
	Problems      []Ref     `json:"problems"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// The four parts as HTML, for the page.
	HappenedHTML, ExpectedHTML, LearnedHTML, ChangesHTML template.HTML `json:"-"`
	CanWrite                                             bool          `json:"-"`
}

// Ref is a linked ticket or problem: its id, its number and its page.
type Ref struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Link   string `json:"-"`
}

// Input is a lesson as its writer gives it. TicketIDs and ProblemIDs are
// the help desk's ids.
type Input struct {
	Kind       string  `json:"kind"`
	AgencyID   *int64  `json:"agency_id"`
	Title      string  `json:"title"`
	Happened   string  `json:"happened"`
	Expected   string  `json:"expected"`
	Learned    string  `json:"learned"`
	Changes    string  `json:"changes"`
	TicketIDs  []int64 `json:"ticket_ids"`
	ProblemIDs []int64 `json:"problem_ids"`
}

// Link is a lesson's page.
func Link(id int64) string { return fmt.Sprintf("/pelajaran/%d", id) }

func ticketRef(id int64) Ref {
	return Ref{ID: id, Number: helpdesk.Number(id), Link: "/layanan/" + helpdesk.Number(id)}
}

func problemRef(id int64) Ref {
	return Ref{ID: id, Number: helpdesk.ProblemNumber(id), Link: fmt.Sprintf("/layanan/masalah/%d", id)}
}

var errNotFound = errs.New(errs.NotFound, "lessons.not_found")

func agencyOf(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// check trims the input and validates it against the database.
func (in *Input) check(ctx context.Context, q db.Querier) error {
	for _, s := range []*string{&in.Title, &in.Happened, &in.Expected, &in.Learned, &in.Changes} {
		*s = strings.TrimSpace(*s)
	}
	if in.AgencyID != nil && *in.AgencyID == 0 {
		in.AgencyID = nil
	}
	var v errs.Validation
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "one_of", strings.Join(Kinds, ", "))
	}
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{{"title", in.Title, maxTitle, true}, {"happened", in.Happened, maxText, true}, {"expected", in.Expected, maxText, false},
		{"learned", in.Learned, maxText, true}, {"changes", in.Changes, maxText, false}} {
		switch {
		case f.required && f.value == "":
			v.Add(f.name, "required")
		case utf8.RuneCountInString(f.value) > f.max:
			v.Add(f.name, "too_long", f.max)
		}
	}
	in.TicketIDs, in.ProblemIDs = unique(in.TicketIDs), unique(in.ProblemIDs)
	for _, l := range []struct {
		field, table string
		ids          []int64
	}{{"ticket_ids", "tickets", in.TicketIDs}, {"problem_ids", "problems", in.ProblemIDs}} {
		if len(l.ids) > maxLinks {
			v.Add(l.field, "lessons.too_many_links", maxLinks)
			continue
		}
		if len(l.ids) == 0 {
			continue
		}
		marks, args := db.InList(l.ids)
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+l.table+` WHERE id IN (`+marks+`)`, args...).Scan(&n); err != nil {
			return fmt.Errorf("lessons: check %s: %w", l.table, err)
		}
		if n != len(l.ids) {
			v.Add(l.field, "lessons.unknown_"+l.table)
		}
	}
	if in.AgencyID != nil {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id = $1`, *in.AgencyID).Scan(&n); err != nil {
			return fmt.Errorf("lessons: check agency: %w", err)
		}
		if n == 0 {
			v.Add("agency_id", "lessons.unknown_agency")
		}
	}
	return v.Err()
}

func unique(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Create writes a lesson about in.AgencyID's work (nil: the city's).
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Lesson, error) {
	if err := policy.Check(actor, policy.LessonWrite, policy.Target{AgencyID: agencyOf(in.AgencyID)}); err != nil {
		return Lesson{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := in.check(ctx, tx); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		var err error
		if id, err = db.InsertID(ctx, tx, `INSERT INTO lessons (kind, agency_id, title, happened, expected, learned, changes,
			author_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			in.Kind, in.AgencyID, in.Title, in.Happened, in.Expected, in.Learned, in.Changes, db.NullID(actor.AccountID), at); err != nil {
			return fmt.Errorf("lessons: create: %w", err)
		}
		if err := setLinks(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "lesson", EntityID: id,
			AgencyID: agencyOf(in.AgencyID), After: in})
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.Get(ctx, actor, id)
}

// Update replaces a lesson whole (its links too). The writer must be
// allowed to write for the lesson's agency and, when it moves, the new one.
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, in Input) (Lesson, error) {
	if err := policy.Check(actor, policy.LessonWrite, policy.Target{AgencyID: agencyOf(in.AgencyID)}); err != nil {
		return Lesson{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.LessonWrite, policy.Target{AgencyID: agencyOf(before.AgencyID)}); err != nil {
			return err
		}
		if err := in.check(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE lessons SET kind = $1, agency_id = $2, title = $3, happened = $4,
			expected = $5, learned = $6, changes = $7, updated_at = $8 WHERE id = $9`, in.Kind, in.AgencyID, in.Title,
			in.Happened, in.Expected, in.Learned, in.Changes, time.Now().UTC().Truncate(time.Microsecond), id); err != nil {
			return fmt.Errorf("lessons: update %d: %w", id, err)
		}
		for _, table := range []string{"lesson_tickets", "lesson_problems"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE lesson_id = $1`, id); err != nil {
				return fmt.Errorf("lessons: update %d: %w", id, err)
			}
		}
		if err := setLinks(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "lesson", EntityID: id,
			AgencyID: agencyOf(in.AgencyID), Before: before, After: in})
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.Get(ctx, actor, id)
}

func setLinks(ctx context.Context, tx *sql.Tx, id int64, in Input) error {
	for _, t := range in.TicketIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_tickets (lesson_id, ticket_id) VALUES ($1, $2)`, id, t); err != nil {
			return fmt.Errorf("lessons: link ticket: %w", err)
		}
	}
	for _, p := range in.ProblemIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_problems (lesson_id, problem_id) VALUES ($1, $2)`, id, p); err != nil {
			return fmt.Errorf("lessons: link problem: %w", err)
		}
	}
	return nil
}
