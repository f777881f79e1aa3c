package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// DefaultTarget is the yearly JP of competency development Indonesian
// regulation gives every civil servant; a year without a target of its own
// has it.
const DefaultTarget = 20

// Statuses of a person against the year's target. "behind" is judged by the
// pace of the year: someone with 6 JP in March is on track, in November
// behind; in a finished year, short of the target is behind.
const (
	StatusMet     = "met"
	StatusOnTrack = "on_track"
	StatusBehind  = "behind"
)

// Service reads the ledger: each person's JP of a year against the target,
// per agency and city, and records self-study completions.
type Service struct {
	db   *db.DB
	zone *time.Location
	now  func() time.Time
}

// NewService returns the ledger over d; years begin and end in zone, the
// city's.
func NewService(d *db.DB, zone *time.Location) *Service {
	return &Service{db: d, zone: zone, now: time.Now}
}

// Year is a ledger year: its bounds in the city's zone, its target and the
// JP a person should have by now to keep pace (the whole target once the
// year is over).
type Year struct {
	Year   int       `json:"year"`
	Target int       `json:"target"`
	Pace   int       `json:"pace"`
	From   time.Time `json:"-"`
	To     time.Time `json:"-"`
}

// year reads year y (0: this year) with its target.
func (s *Service) year(ctx context.Context, q db.Querier, y int) (Year, error) {
	now := s.now().In(s.zone)
	if y == 0 {
		y = now.Year()
	}
	if y < 2000 || y > 2100 {
		return Year{}, errs.FieldErr("year", "ledger.year")
	}
	from := time.Date(y, 1, 1, 0, 0, 0, 0, s.zone)
	to := from.AddDate(1, 0, 0)
	target, err := TargetOf(ctx, q, y)
	if err != nil {
		return Year{}, err
	}
	elapsed := 1.0
	switch {
	case now.Before(from):
		elapsed = 0
	case now.Before(to):
		elapsed = float64(now.Sub(from)) / float64(to.Sub(from))
	}
	return Year{Year: y, Target: target, Pace: int(math.Floor(float64(target) * elapsed)),
		From: from.UTC(), To: to.UTC()}, nil
}

// Status says where jp stands in the year.
func (y Year) Status(jp int) string {
	switch {
	case jp >= y.Target:
		return StatusMet
	case jp >= y.Pace:
		return StatusOnTrack
	}
	return StatusBehind
}

// TargetOf returns the JP target of year y.
func TargetOf(ctx context.Context, q db.Querier, y int) (int, error) {
	var jp int
	err := q.QueryRowContext(ctx, `SELECT jp FROM jp_targets WHERE year = $1`, y).Scan(&jp)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultTarget, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: target of %d: %w", y, err)
	}
	return jp, nil
}

// TopicTarget is the change event of a year's JP target set anew (key: the
// year), for what other services keep computed from it (the LO index).
const TopicTarget = "ledger.target"

// SetTarget sets the JP target of year y for the whole city: the expert
// team's, as the city's requirements are.
func (s *Service) SetTarget(ctx context.Context, actor *policy.Actor, y, jp int) error {
	if err := policy.Check(actor, policy.RequirementManage, policy.Target{}); err != nil {
		return err
	}
	var v errs.Validation
	if y < 2000 || y > 2100 {
		v.Add("year", "ledger.year")
	}
	if jp < 1 || jp > 500 {
		v.Add("jp", "ledger.target_range")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := TargetOf(ctx, tx, y)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO jp_targets (year, jp, updated_by, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year) DO UPDATE SET jp = excluded.jp, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, y, jp, db.NullID(actor.AccountID), time.Now().UTC()); err != nil {
			return fmt.Errorf("ledger: set target: %w", err)
		}
		type target struct {
			Year int `json:"year"`
			JP   int `json:"jp"`
		}
		if err := s.db.Changes.Publish(ctx, tx, TopicTarget, strconv.Itoa(y)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "jp_target", EntityID: int64(y),
			Before: target{y, before}, After: target{y, jp}})
	})
}
