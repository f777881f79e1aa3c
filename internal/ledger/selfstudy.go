package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

// Module is a self-study activity as a person sees it: what it is, its JP,
// and whether (and when) they finished it.
type Module struct {
	ActivityID  int64      `json:"activity_id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Link        string     `json:"link"`
	JP          int        `json:"jp"`
	CompletedAt *time.Time `json:"completed_at"`
	Reflection  string     `json:"reflection,omitempty"`
	// HTML is the description rendered from Markdown, for the page.
	HTML template.HTML `json:"-"`
}

// DoneAt is when the module was finished (the zero time if it was not).
func (m Module) DoneAt() time.Time {
	if m.CompletedAt == nil {
		return time.Time{}
	}
	return *m.CompletedAt
}

// Completion is what a person says when they finish a self-study module.
type Completion struct {
	Reflection string `json:"reflection"`
}

// Reflection bounds: a few words of what was learnt, not an essay.
const (
	minReflection = 20
	maxReflection = 2000
)

// MaxSelfStudyJP is the most JP a self-study completion adds to a ledger:
// the module's JP, but no more than a working day's 8 JP, since it rests
// on the person's own word. Longer learning is recorded through an event,
// or by the agency's admin as learning done elsewhere.
const MaxSelfStudyJP = 8

func selfStudyJP(jp int) int { return min(jp, MaxSelfStudyJP) }

// Modules lists the self-study modules in service, each with whether the
// actor finished it.
func (s *Service) Modules(ctx context.Context, actor *policy.Actor) ([]Module, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return nil, errs.New(errs.Forbidden, "ledger.no_person")
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT a.id, a.title, a.description, a.link, a.jp, c.completed_at,
		COALESCE(c.reflection, '') FROM activities a
		LEFT JOIN self_study_completions c ON c.activity_id = a.id AND c.employee_id = $1
		WHERE a.kind = 'self_study' AND a.retired_at IS NULL ORDER BY a.title, a.id`, actor.EmployeeID)
	if err != nil {
		return nil, fmt.Errorf("ledger: modules: %w", err)
	}
	defer rows.Close()
	list := []Module{}
	for rows.Next() {
		var m Module
		if err := rows.Scan(&m.ActivityID, &m.Title, &m.Description, &m.Link, &m.JP, &m.CompletedAt, &m.Reflection); err != nil {
			return nil, fmt.Errorf("ledger: modules: %w", err)
		}
		if m.CompletedAt != nil {
			t := m.CompletedAt.UTC()
			m.CompletedAt = &t
		}
		m.JP = selfStudyJP(m.JP)
		m.HTML = markdown.Render(m.Description)
		list = append(list, m)
	}
	return list, rows.Err()
}

// Complete records that the actor finished self-study module activityID,
// with a short reflection, and puts its JP in their ledger: once.
func (s *Service) Complete(ctx context.Context, actor *policy.Actor, activityID int64, in Completion) (Module, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return Module{}, errs.New(errs.Forbidden, "ledger.no_person")
	}
	in.Reflection = strings.TrimSpace(in.Reflection)
	switch n := utf8.RuneCountInString(in.Reflection); {
	case n == 0:
		return Module{}, errs.FieldErr("reflection", "required")
	case n < minReflection:
		return Module{}, errs.FieldErr("reflection", "ledger.reflection_short", minReflection)
	case n > maxReflection:
		return Module{}, errs.FieldErr("reflection", "too_long", maxReflection)
	}
	var m Module
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var kind string
		var retired *time.Time
		var provider *int64
		err := tx.QueryRowContext(ctx, `SELECT id, kind, title, description, link, jp, retired_at, agency_id FROM activities
			WHERE id = $1`, activityID).Scan(&m.ActivityID, &kind, &m.Title, &m.Description, &m.Link, &m.JP, &retired, &provider)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && retired != nil) {
			return errs.New(errs.NotFound, "ledger.module_not_found")
		}
		if err != nil {
			return fmt.Errorf("ledger: module %d: %w", activityID, err)
		}
		// Open to the city's people when the city provides it, else to the
		// providing agency's.
		open := policy.Target{EmployeeID: actor.EmployeeID}
		if provider == nil || *provider == actor.AgencyID {
			open.AgencyID = actor.AgencyID
		}
		if err := policy.Check(actor, policy.SelfStudyComplete, open); err != nil {
			return err
		}
		if kind != "self_study" {
			return errs.New(errs.Conflict, "ledger.not_self_study")
		}
		m.JP = selfStudyJP(m.JP)
		at := time.Now().UTC().Truncate(time.Microsecond)
		// Learnt this year already, through an event of the activity or
		// otherwise: not counted twice.
		local := at.In(s.zone)
		from := time.Date(local.Year(), 1, 1, 0, 0, 0, 0, s.zone).UTC()
		var counted int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM learning_records r WHERE r.employee_id = $1
			AND (r.activity_id = $2 OR r.event_id IN (SELECT e.id FROM events e WHERE e.activity_id = $2))
			AND r.completed_at >= $3`, actor.EmployeeID, activityID, from).Scan(&counted); err != nil {
			return fmt.Errorf("ledger: module %d: %w", activityID, err)
		}
		if counted > 0 {
			return errs.New(errs.Conflict, "ledger.already_counted")
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO self_study_completions (employee_id, activity_id, reflection,
			completed_at) VALUES ($1, $2, $3, $4) RETURNING id`, actor.EmployeeID, activityID, in.Reflection, at)
		if err != nil {
			if _, dup := s.db.Dialect.UniqueViolation(err); dup { // finished before (UNIQUE employee, activity)
				return errs.New(errs.Conflict, "ledger.already_done")
			}
			return fmt.Errorf("ledger: complete %d: %w", activityID, err)
		}
		if err := Record(ctx, tx, Entry{EmployeeID: actor.EmployeeID, Kind: "self_study", Title: m.Title, JP: m.JP,
			ActivityID: activityID, SourceKind: SourceSelfStudy, SourceID: id, CompletedAt: at}); err != nil {
			return err
		}
		m.CompletedAt, m.Reflection = &at, in.Reflection
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "self_study_completion",
			EntityID: id, AgencyID: actor.AgencyID, After: m})
	})
	if err != nil {
		return Module{}, err
	}
	return m, nil
}

// Undo takes back the actor's completion of module activityID (marked by
// mistake), and its JP with it.
func (s *Service) Undo(ctx context.Context, actor *policy.Actor, activityID int64) error {
	if actor == nil || actor.EmployeeID == 0 {
		return errs.New(errs.Forbidden, "ledger.no_person")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM self_study_completions WHERE employee_id = $1 AND activity_id = $2`,
			actor.EmployeeID, activityID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "ledger.completion_not_found")
		}
		if err != nil {
			return fmt.Errorf("ledger: undo %d: %w", activityID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM self_study_completions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("ledger: undo %d: %w", activityID, err)
		}
		if err := Forget(ctx, tx, SourceSelfStudy, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "self_study_completion",
			EntityID: id, AgencyID: actor.AgencyID})
	})
}
