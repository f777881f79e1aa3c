// Package mentoring is the mentoring done by trainers placed in agencies
// (outsourced trainers too: what counts is the trainer role granted in the
// agency, not whose payroll they are on). The agency admin assigns a
// trainer their mentees; the trainer logs each session with notes and JP,
// which go to the mentee's JP ledger, and may record the level of a
// competency they saw, which goes to the mentee's competency profile.
package mentoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service keeps mentoring assignments and their sessions.
type Service struct{ db *db.DB }

// NewService returns the mentoring service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Assignment is a trainer mentoring a person of an agency.
type Assignment struct {
	ID              int64  `json:"id"`
	AgencyID        int64  `json:"agency_id"`
	AgencyName      string `json:"agency_name"`
	MentorAccountID int64  `json:"mentor_account_id"`
	MentorName      string `json:"mentor_name"`
	MenteeID        int64  `json:"employee_id"`
	MenteeName      string `json:"employee_name"`
	// MenteeAgencyID is the mentee's agency now (employees.agency_id):
	// after a transfer it, not AgencyID, decides who reads and logs.
	MenteeAgencyID int64      `json:"employee_agency_id"`
	Goal           string     `json:"goal"`
	EndedAt        *time.Time `json:"ended_at"`
	CreatedAt      time.Time  `json:"created_at"`
	SessionCount   int        `json:"session_count"`
	JP             int        `json:"jp"`
	Sessions       []Session  `json:"sessions,omitempty"`
	CanLog         bool       `json:"-"`
	CanManage      bool       `json:"-"`
}

// Session is a logged mentoring session.
type Session struct {
	ID             int64     `json:"id"`
	HeldAt         time.Time `json:"held_at"`
	JP             int       `json:"jp"`
	Topic          string    `json:"topic"`
	Notes          string    `json:"notes"`
	CompetencyCode string    `json:"competency_code,omitempty"`
	CompetencyName string    `json:"competency_name,omitempty"`
	Level          *int      `json:"level"`
	CreatedAt      time.Time `json:"created_at"`
}

// LevelSeen is the level of the competency the trainer saw, 0 if none.
func (s Session) LevelSeen() int {
	if s.Level == nil {
		return 0
	}
	return *s.Level
}

// AssignInput names a trainer and a mentee in an agency.
type AssignInput struct {
	AgencyID        int64  `json:"agency_id"`
	MentorAccountID int64  `json:"mentor_account_id"`
	EmployeeID      int64  `json:"employee_id"`
	Goal            string `json:"goal"`
}

// SessionInput is a session as the trainer logs it. CompetencyCode and
// Level, together, record the level the trainer saw.
type SessionInput struct {
	HeldAt         time.Time `json:"held_at"`
	JP             int       `json:"jp"`
	Topic          string    `json:"topic"`
	Notes          string    `json:"notes"`
	CompetencyCode string    `json:"competency_code,omitempty"`
	Level          int       `json:"level,omitempty"`
}

// Limits of what is logged. A session is at most a working day (8 JP of
// 45 minutes).
const (
	maxGoal  = 1000
	maxTopic = 200
	maxNotes = 10000
	maxJP    = 8
)

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Link is an assignment's page.
func Link(id int64) string { return fmt.Sprintf("/pendampingan/%d", id) }

// Assign gives a trainer placed in the agency a mentee of that agency: the
// agency admin's decision (MentoringManage).
func (s *Service) Assign(ctx context.Context, actor *policy.Actor, in AssignInput) (Assignment, error) {
	if err := policy.Check(actor, policy.MentoringManage, policy.Target{AgencyID: in.AgencyID}); err != nil {
		return Assignment{}, err
	}
	in.Goal = strings.TrimSpace(in.Goal)
	if utf8.RuneCountInString(in.Goal) > maxGoal {
		return Assignment{}, errs.FieldErr("goal", "too_long", maxGoal)
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var v errs.Validation
		var trainer int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_grants g JOIN accounts c ON c.id = g.account_id
			JOIN employees e ON e.id = c.employee_id WHERE g.account_id = $1 AND g.role = 'trainer' AND g.agency_id = $2
			AND e.active`, in.MentorAccountID, in.AgencyID).Scan(&trainer); err != nil {
			return fmt.Errorf("mentoring: mentor: %w", err)
		}
		switch {
		case in.MentorAccountID == 0:
			v.Add("mentor_account_id", "required")
		case trainer == 0:
			v.Add("mentor_account_id", "mentoring.not_trainer_here")
		}
		var agency int64
		var active bool
		var mentorEmployee *int64
		err := tx.QueryRowContext(ctx, `SELECT e.agency_id, e.active, (SELECT c.employee_id FROM accounts c WHERE c.id = $2)
			FROM employees e WHERE e.id = $1`, in.EmployeeID, in.MentorAccountID).Scan(&agency, &active, &mentorEmployee)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add("employee_id", "mentoring.mentee_unknown")
		case err != nil:
			return fmt.Errorf("mentoring: mentee: %w", err)
		case agency != in.AgencyID || !active:
			v.Add("employee_id", "mentoring.mentee_elsewhere")
		case mentorEmployee != nil && *mentorEmployee == in.EmployeeID:
			v.Add("employee_id", "mentoring.self")
		}
		if err := v.Err(); err != nil {
			return err
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO mentoring_assignments (agency_id, mentor_account_id, mentee_id, goal,
			assigned_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			in.AgencyID, in.MentorAccountID, in.EmployeeID, in.Goal, db.NullID(actor.AccountID), now())
		if _, dup := s.db.Dialect.UniqueViolation(err); dup { // an open assignment exists (mentoring_assignments_open)
			return errs.New(errs.Conflict, "mentoring.already")
		}
		if err != nil {
			return fmt.Errorf("mentoring: assign: %w", err)
		}
		msgs := []notify.Message{{AccountID: in.MentorAccountID, Kind: "mentoring.assigned_mentor", Link: Link(id)}}
		var menteeAccount *int64
		if err := tx.QueryRowContext(ctx, `SELECT MIN(id) FROM accounts WHERE employee_id = $1`, in.EmployeeID).
			Scan(&menteeAccount); err != nil {
			return fmt.Errorf("mentoring: assign: %w", err)
		}
		if menteeAccount != nil {
			msgs = append(msgs, notify.Message{AccountID: *menteeAccount, Kind: "mentoring.assigned_mentee", Link: Link(id)})
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "mentoring_assignment", EntityID: id,
			AgencyID: in.AgencyID, After: in})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Get(ctx, actor, id)
}

// End closes an assignment; its sessions stay in the mentee's ledger.
func (s *Service) End(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.MentoringManage, policy.Target{AgencyID: a.MenteeAgencyID}); err != nil {
			return err
		}
		if a.EndedAt != nil {
			return errs.New(errs.Conflict, "mentoring.ended")
		}
		// Ended meanwhile by another request: only one ends it.
		res, err := tx.ExecContext(ctx, `UPDATE mentoring_assignments SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL`, now(), id)
		if err != nil {
			return fmt.Errorf("mentoring: end %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("mentoring: end %d: %w", id, err)
		} else if n == 0 {
			return errs.New(errs.Conflict, "mentoring.ended")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "mentoring_assignment", EntityID: id,
			AgencyID: a.MenteeAgencyID, Before: a, After: map[string]any{"ended": true}})
	})
}
