// Package paths is learning paths: an ordered set of learning activities
// ("Operator SIPD baru": the SIPD bimtek, then the self-study module on
// budgeting, then on-the-job training), assigned to people or open to join,
// with each person's progress read from the JP ledger (learning_records)
// by activity.
package paths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service keeps learning paths and who follows them.
type Service struct{ db *db.DB }

// NewService returns the paths service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Path is a learning path with its steps; Mine is the reader's progress
// when they follow it.
type Path struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	AgencyID    *int64    `json:"agency_id"`
	AgencyName  string    `json:"agency_name,omitempty"`
	Open        bool      `json:"open"`
	Steps       []Step    `json:"steps"`
	Members     int       `json:"members"`
	Mine        *Progress `json:"mine"`
	CanManage   bool      `json:"-"`
	// HTML is the description rendered from Markdown, for the page.
	HTML      template.HTML `json:"-"`
	CreatedAt time.Time     `json:"created_at"`
}

// Step is an activity of a path, in order.
type Step struct {
	ActivityID int64  `json:"activity_id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	JP         int    `json:"jp"`
	Done       bool   `json:"done"` // for the reader, or the member whose progress this is
}

// Progress is a person's way along a path: the steps they finished.
type Progress struct {
	EmployeeID int64   `json:"employee_id"`
	Name       string  `json:"name"`
	AgencyID   int64   `json:"agency_id"`
	AgencyName string  `json:"agency_name"`
	Source     string  `json:"source"` // assigned or joined
	Done       int     `json:"done"`
	Total      int     `json:"total"`
	Percent    int     `json:"percent"`
	DoneIDs    []int64 `json:"done_activity_ids"`
	// CanUnassign says the reader may end this person's assignment.
	CanUnassign bool `json:"-"`
}

// Input is a path as it is created or changed. ActivityIDs are its steps
// in order; AgencyID is the agency that provides it (nil: the city).
type Input struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	AgencyID    *int64  `json:"agency_id"`
	Open        bool    `json:"open"`
	ActivityIDs []int64 `json:"activity_ids"`
}

// Limits of a path's text and length.
const (
	maxTitle       = 200
	maxDescription = 20000
	maxSteps       = 50
)

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// validate checks in before it is saved. Steps the path already has
// (kept) stay valid even once their activity is retired: only the steps
// being added must be activities in force.
func (in *Input) validate(ctx context.Context, q db.Querier, kept []int64) error {
	in.Title = strings.TrimSpace(in.Title)
	var v errs.Validation
	switch {
	case in.Title == "":
		v.Add("title", "required")
	case utf8.RuneCountInString(in.Title) > maxTitle:
		v.Add("title", "too_long", maxTitle)
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		v.Add("description", "too_long", maxDescription)
	}
	if len(in.ActivityIDs) > maxSteps {
		v.Add("activity_ids", "paths.too_many_steps", maxSteps)
	}
	seen := map[int64]bool{}
	for _, id := range in.ActivityIDs {
		if seen[id] {
			v.Add("activity_ids", "paths.step_twice")
			break
		}
		seen[id] = true
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, id := range in.ActivityIDs {
		if slices.Contains(kept, id) {
			continue
		}
		var retired *time.Time
		err := q.QueryRowContext(ctx, `SELECT retired_at FROM activities WHERE id = $1`, id).Scan(&retired)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && retired != nil) {
			return errs.FieldErr("activity_ids", "paths.activity_unknown", id)
		}
		if err != nil {
			return fmt.Errorf("paths: activity %d: %w", id, err)
		}
	}
	if in.AgencyID != nil {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id = $1`, *in.AgencyID).Scan(&n); err != nil {
			return fmt.Errorf("paths: agency: %w", err)
		}
		if n == 0 {
			return errs.FieldErr("agency_id", "paths.agency_unknown")
		}
	}
	return nil
}

// stepActivities are the activities of steps, in order.
func stepActivities(steps []Step) []int64 {
	ids := make([]int64, len(steps))
	for i, st := range steps {
		ids[i] = st.ActivityID
	}
	return ids
}

func agencyOf(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// Create adds a path; those who manage the providing agency's learning
// activities (for the city: its trainers and the expert team) make paths.
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Path, error) {
	if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: agencyOf(in.AgencyID)}); err != nil {
		return Path{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := in.validate(ctx, tx, nil); err != nil {
			return err
		}
		at := now()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO learning_paths (title, description, agency_id, open, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			in.Title, in.Description, in.AgencyID, in.Open, db.NullID(actor.AccountID), at)
		if err != nil {
			return fmt.Errorf("paths: create: %w", err)
		}
		if err := setSteps(ctx, tx, id, in.ActivityIDs); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "learning_path", EntityID: id,
			AgencyID: agencyOf(in.AgencyID), After: in})
	})
	if err != nil {
		return Path{}, err
	}
	return s.Get(ctx, actor, id)
}

// Update changes a path's text, openness and steps (in the order given).
// Progress follows: it is read from what people finished, never stored.
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, in Input) (Path, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		// The provider stays: moving a path to another agency would hand it
		// to other managers.
		in.AgencyID = before.AgencyID
		kept, err := loadSteps(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := in.validate(ctx, tx, stepActivities(kept)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE learning_paths SET title = $1, description = $2, open = $3,
			updated_at = $4 WHERE id = $5`, in.Title, in.Description, in.Open, now(), id); err != nil {
			return fmt.Errorf("paths: update %d: %w", id, err)
		}
		if err := setSteps(ctx, tx, id, in.ActivityIDs); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "learning_path", EntityID: id,
			AgencyID: agencyOf(in.AgencyID), Before: before, After: in})
	})
	if err != nil {
		return Path{}, err
	}
	return s.Get(ctx, actor, id)
}

// Retire takes a path out of the catalogue; its members keep what they
// finished in their ledger.
func (s *Service) Retire(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE learning_paths SET retired_at = $1, updated_at = $1 WHERE id = $2`,
			now(), id); err != nil {
			return fmt.Errorf("paths: retire %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "learning_path", EntityID: id,
			AgencyID: agencyOf(p.AgencyID), Before: p})
	})
}

// manageable loads path id for a change by actor.
func (s *Service) manageable(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Path, error) {
	p, err := load(ctx, q, id)
	if err != nil {
		return Path{}, err
	}
	if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: agencyOf(p.AgencyID)}); err != nil {
		return Path{}, err
	}
	return p, nil
}
