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
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service keeps mentoring assignments and their sessions.
type Service struct{ db *db.DB }

// NewService returns the mentoring service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Assignment is a trainer mentoring a person of an agency.
type Assignment struct {
	ID              int64      `json:"id"`
	AgencyID        int64      `json:"agency_id"`
	AgencyName      string     `json:"agency_name"`
	MentorAccountID int64      `json:"mentor_account_id"`
	MentorName      string     `json:"mentor_name"`
	MenteeID        int64      `json:"employee_id"`
	MenteeName      string     `json:"employee_name"`
	Goal            string     `json:"goal"`
	EndedAt         *time.Time `json:"ended_at"`
	CreatedAt       time.Time  `json:"created_at"`
	SessionCount    int        `json:"session_count"`
	JP              int        `json:"jp"`
	Sessions        []Session  `json:"sessions,omitempty"`
	CanLog          bool       `json:"-"`
	CanManage       bool       `json:"-"`
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
		if trainer == 0 {
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
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM mentoring_assignments WHERE mentor_account_id = $1
			AND mentee_id = $2 AND ended_at IS NULL`, in.MentorAccountID, in.EmployeeID).Scan(&open); err != nil {
			return fmt.Errorf("mentoring: assign: %w", err)
		}
		if open > 0 {
			return errs.New(errs.Conflict, "mentoring.already")
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO mentoring_assignments (agency_id, mentor_account_id, mentee_id, goal,
			assigned_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			in.AgencyID, in.MentorAccountID, in.EmployeeID, in.Goal, db.NullID(actor.AccountID), now())
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
		if err := policy.Check(actor, policy.MentoringManage, policy.Target{AgencyID: a.AgencyID}); err != nil {
			return err
		}
		if a.EndedAt != nil {
			return errs.New(errs.Conflict, "mentoring.ended")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mentoring_assignments SET ended_at = $1 WHERE id = $2`, now(), id); err != nil {
			return fmt.Errorf("mentoring: end %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "mentoring_assignment", EntityID: id,
			AgencyID: a.AgencyID, Before: a, After: map[string]any{"ended": true}})
	})
}

// logTarget is the policy's view of logging a session in a: the actor
// mentors the mentee when they are the assignment's trainer.
func logTarget(actor *policy.Actor, a Assignment) policy.Target {
	return policy.Target{EmployeeID: a.MenteeID, AgencyID: a.AgencyID,
		Trainer: actor != nil && actor.AccountID != 0 && actor.AccountID == a.MentorAccountID}
}

func (in *SessionInput) validate(at time.Time) error {
	in.Topic, in.Notes, in.CompetencyCode = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Notes), strings.TrimSpace(in.CompetencyCode)
	var v errs.Validation
	switch {
	case in.HeldAt.IsZero():
		v.Add("held_at", "required")
	case in.HeldAt.After(at.Add(time.Hour)):
		v.Add("held_at", "mentoring.held_future")
	case in.HeldAt.Before(at.AddDate(-1, 0, 0)):
		v.Add("held_at", "mentoring.held_old")
	}
	if in.JP < 1 || in.JP > maxJP {
		v.Add("jp", "mentoring.jp_range", maxJP)
	}
	switch {
	case in.Topic == "":
		v.Add("topic", "required")
	case utf8.RuneCountInString(in.Topic) > maxTopic:
		v.Add("topic", "too_long", maxTopic)
	}
	if utf8.RuneCountInString(in.Notes) > maxNotes {
		v.Add("notes", "too_long", maxNotes)
	}
	if (in.CompetencyCode == "") != (in.Level == 0) {
		v.Add("level", "mentoring.level_with_competency")
	} else if in.Level != 0 && (in.Level < 1 || in.Level > 4) {
		v.Add("level", "mentoring.level_range")
	}
	return v.Err()
}

// Log records a session of assignment id: its JP go to the mentee's ledger
// (source mentoring, once), and a competency level the trainer saw to
// their profile (source mentoring), all in one transaction.
func (s *Service) Log(ctx context.Context, actor *policy.Actor, id int64, in SessionInput) (Session, error) {
	var sess Session
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.MentoringLog, logTarget(actor, a)); err != nil {
			return err
		}
		if a.EndedAt != nil {
			return errs.New(errs.Conflict, "mentoring.ended")
		}
		at := now()
		if err := in.validate(at); err != nil {
			return err
		}
		var compID int64
		var compName string
		if in.CompetencyCode != "" {
			err := tx.QueryRowContext(ctx, `SELECT id, name FROM competencies WHERE code = $1 AND retired_at IS NULL`,
				in.CompetencyCode).Scan(&compID, &compName)
			if errors.Is(err, sql.ErrNoRows) {
				return errs.FieldErr("competency_code", "mentoring.competency_unknown")
			}
			if err != nil {
				return fmt.Errorf("mentoring: competency: %w", err)
			}
		}
		var level any
		if in.Level != 0 {
			level = in.Level
		}
		held := in.HeldAt.UTC().Truncate(time.Microsecond)
		sid, err := db.InsertID(ctx, tx, `INSERT INTO mentoring_sessions (assignment_id, held_at, jp, topic, notes,
			competency_id, level, logged_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			id, held, in.JP, in.Topic, in.Notes, db.NullID(compID), level, db.NullID(actor.AccountID), at)
		if err != nil {
			return fmt.Errorf("mentoring: log: %w", err)
		}
		if err := ledger.Record(ctx, tx, ledger.Entry{EmployeeID: a.MenteeID, Kind: "mentoring",
			Title: "Pendampingan: " + in.Topic, JP: in.JP, SourceKind: ledger.SourceMentoring, SourceID: sid,
			CompletedAt: held}); err != nil {
			return err
		}
		if compID != 0 {
			if err := competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: a.MenteeID, CompetencyID: compID,
				Level: in.Level, Source: competency.SourceMentoring, AssessorID: actor.AccountID, EvidenceKind: "mentoring",
				EvidenceRef: fmt.Sprintf("mentoring:%d", sid), Note: in.Topic, At: held}); err != nil {
				return err
			}
		}
		sess = Session{ID: sid, HeldAt: held, JP: in.JP, Topic: in.Topic, Notes: in.Notes, CompetencyCode: in.CompetencyCode,
			CompetencyName: compName, CreatedAt: at}
		if in.Level != 0 {
			sess.Level = &in.Level
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "mentoring_session", EntityID: sid,
			AgencyID: a.AgencyID, After: sess})
	})
	return sess, err
}

// DeleteSession takes back a session logged by mistake, and its JP with
// it; the competency evidence it recorded stays, as every assessment does.
func (s *Service) DeleteSession(ctx context.Context, actor *policy.Actor, id, sessionID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.MentoringLog, logTarget(actor, a)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM mentoring_sessions WHERE id = $1 AND assignment_id = $2`, sessionID, id)
		if err != nil {
			return fmt.Errorf("mentoring: delete session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "mentoring.session_not_found")
		}
		if err := ledger.Forget(ctx, tx, ledger.SourceMentoring, sessionID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "mentoring_session",
			EntityID: sessionID, AgencyID: a.AgencyID})
	})
}
