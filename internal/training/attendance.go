package training

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Attendance is whether a participant was present at a session.
type Attendance struct {
	SessionID   int64      `json:"session_id"`
	EventID     int64      `json:"event_id"`
	EnrolmentID int64      `json:"enrolment_id"`
	EmployeeID  int64      `json:"employee_id"`
	Present     bool       `json:"present"`
	Method      string     `json:"method,omitempty"` // trainer, code
	MarkedAt    *time.Time `json:"marked_at"`
}

// AttendanceInput marks a person present (or, with present false, takes
// the mark back).
type AttendanceInput struct {
	EmployeeID int64 `json:"employee_id"`
	Present    *bool `json:"present,omitempty"` // default true
}

// Code is a check-in code shown in the room.
type Code struct {
	SessionID int64     `json:"session_id"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Attendance may be taken from this long before a session starts (people
// arrive early), and a check-in code made until this long after it ends.
const (
	markEarly = time.Hour
	codeLate  = time.Hour
)

// Check-in codes: their letters leave out those read wrongly from a
// screen across a room (0/O, 1/I/L); six of them are ~887 million codes.
const (
	codeAlphabet   = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	codeLength     = 6
	DefaultCodeTTL = 15 * time.Minute
	maxCodeTTL     = 4 * time.Hour
)

// Mark records by the trainer that a participant was (or was not) at a
// session. Only a person holding a seat, approved, can be marked; marks
// close when the event is finished.
func (s *Service) Mark(ctx context.Context, actor *policy.Actor, sessionID int64, in AttendanceInput) (Attendance, error) {
	present := in.Present == nil || *in.Present
	var out Attendance
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		e, err := s.managed(ctx, tx, actor, ss.EventID, true)
		if err != nil {
			return err
		}
		if now().Before(ss.StartsAt.Add(-markEarly)) {
			return errs.New(errs.Conflict, "training.session_not_started")
		}
		n, err := participant(ctx, tx, e.ID, in.EmployeeID, "employee_id")
		if err != nil {
			return err
		}
		at := now()
		if present {
			_, err = tx.ExecContext(ctx, `INSERT INTO session_attendance (session_id, enrolment_id, method, marked_by, marked_at)
				VALUES ($1, $2, 'trainer', $3, $4) ON CONFLICT (session_id, enrolment_id) DO NOTHING`,
				sessionID, n.ID, db.NullID(actor.AccountID), at)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM session_attendance WHERE session_id = $1 AND enrolment_id = $2`,
				sessionID, n.ID)
		}
		if err != nil {
			return fmt.Errorf("training: mark %d at %d: %w", n.ID, sessionID, err)
		}
		if out, err = attendanceOf(ctx, tx, ss, n); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "attendance", Entity: "enrolment", EntityID: n.ID,
			AgencyID: n.AgencyID, After: map[string]any{"session_id": sessionID, "present": present}})
	})
	return out, err
}

// participant finds the place of a person who may be marked present:
// holding a seat with nothing awaited. Anyone else is a field error on
// field (not enrolled) or a Conflict (their nomination awaits its answer).
func participant(ctx context.Context, q db.Querier, eventID, employeeID int64, field string) (Enrolment, error) {
	n, err := enrolmentOf(ctx, q, eventID, employeeID)
	if errs.Is(err, errs.NotFound) || (err == nil && !n.HoldsSeat()) {
		return Enrolment{}, errs.FieldErr(field, "training.not_enrolled")
	}
	if err != nil {
		return Enrolment{}, err
	}
	if !n.Cleared() {
		return Enrolment{}, errs.New(errs.Conflict, "training.awaiting_approval")
	}
	return n, nil
}

func attendanceOf(ctx context.Context, q db.Querier, ss Session, n Enrolment) (Attendance, error) {
	a := Attendance{SessionID: ss.ID, EventID: ss.EventID, EnrolmentID: n.ID, EmployeeID: n.EmployeeID}
	var method string
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT method, marked_at FROM session_attendance WHERE session_id = $1
		AND enrolment_id = $2`, ss.ID, n.ID).Scan(&method, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err != nil {
		return Attendance{}, fmt.Errorf("training: attendance of %d: %w", n.ID, err)
	}
	at = at.UTC()
	a.Present, a.Method, a.MarkedAt = true, method, &at
	return a, nil
}

// NewCode makes a check-in code for a session, valid for ttl (0: 15
// minutes; at most 4 hours), to show in the room.
func (s *Service) NewCode(ctx context.Context, actor *policy.Actor, sessionID int64, ttl time.Duration) (Code, error) {
	if ttl == 0 {
		ttl = DefaultCodeTTL
	}
	if ttl < time.Minute || ttl > maxCodeTTL {
		return Code{}, errs.FieldErr("minutes", "training.code_ttl", int(maxCodeTTL.Minutes()))
	}
	var c Code
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		e, err := s.managed(ctx, tx, actor, ss.EventID, true)
		if err != nil {
			return err
		}
		at := now()
		if at.Before(ss.StartsAt.Add(-markEarly)) {
			return errs.New(errs.Conflict, "training.session_not_started")
		}
		if at.After(ss.EndsAt.Add(codeLate)) {
			return errs.New(errs.Conflict, "training.session_over")
		}
		code, err := freshCode(ctx, tx)
		if err != nil {
			return err
		}
		c = Code{SessionID: sessionID, Code: code, ExpiresAt: at.Add(ttl)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO session_codes (session_id, code, expires_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, sessionID, code, c.ExpiresAt, db.NullID(actor.AccountID), at); err != nil {
			return fmt.Errorf("training: code for %d: %w", sessionID, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "checkin_code", Entity: "event", EntityID: e.ID,
			AgencyID: deref(e.AgencyID), After: map[string]any{"session_id": sessionID, "expires_at": c.ExpiresAt}})
	})
	return c, err
}

// freshCode draws a code no session has used.
func freshCode(ctx context.Context, q db.Querier) (string, error) {
	for range 8 {
		b := make([]byte, codeLength)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("training: code: %w", err)
		}
		for i := range b {
			b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM session_codes WHERE code = $1`, string(b)).Scan(&n); err != nil {
			return "", fmt.Errorf("training: code: %w", err)
		}
		if n == 0 {
			return string(b), nil
		}
	}
	return "", errors.New("training: no free check-in code")
}

// ActiveCode returns the latest unexpired code of a session, if any.
func (s *Service) ActiveCode(ctx context.Context, sessionID int64) (*Code, error) {
	c := Code{SessionID: sessionID}
	err := s.db.R.QueryRowContext(ctx, `SELECT code, expires_at FROM session_codes WHERE session_id = $1 AND expires_at > $2
		ORDER BY expires_at DESC LIMIT 1`, sessionID, now()).Scan(&c.Code, &c.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("training: code of %d: %w", sessionID, err)
	}
	c.ExpiresAt = c.ExpiresAt.UTC()
	return &c, nil
}

// normalCode reads a code as typed: any case, spaces and dashes ignored.
func normalCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// CheckIn marks the actor present at the session whose code they typed.
// An unknown or expired code is a field error; a code used again (or a
// session they are already marked at) is a Conflict.
func (s *Service) CheckIn(ctx context.Context, actor *policy.Actor, code string) (Attendance, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return Attendance{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	code = normalCode(code)
	if code == "" {
		return Attendance{}, errs.FieldErr("code", "training.code_required")
	}
	var out Attendance
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var codeID, sessionID int64
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT id, session_id, expires_at FROM session_codes WHERE code = $1`, code).
			Scan(&codeID, &sessionID, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.FieldErr("code", "training.code_unknown")
		}
		if err != nil {
			return fmt.Errorf("training: code: %w", err)
		}
		ss, err := findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		e, err := findEvent(ctx, tx, ss.EventID)
		if err != nil {
			return err
		}
		n, err := participant(ctx, tx, e.ID, actor.EmployeeID, "code")
		if err != nil {
			return err
		}
		var usedCode sql.NullInt64
		err = tx.QueryRowContext(ctx, `SELECT code_id FROM session_attendance WHERE session_id = $1 AND enrolment_id = $2`,
			sessionID, n.ID).Scan(&usedCode)
		switch {
		case err == nil && usedCode.Valid && usedCode.Int64 == codeID:
			return errs.New(errs.Conflict, "training.code_used")
		case err == nil:
			return errs.New(errs.Conflict, "training.already_present")
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("training: attendance of %d: %w", n.ID, err)
		}
		if !now().Before(expires) {
			return errs.FieldErr("code", "training.code_expired")
		}
		if err := openCheck(e); err != nil {
			return err
		}
		// The check above answers the usual case; two check-ins racing past
		// it (a double tap) meet here, and the second inserts nothing.
		res, err := tx.ExecContext(ctx, `INSERT INTO session_attendance (session_id, enrolment_id, method, code_id,
			marked_by, marked_at) VALUES ($1, $2, 'code', $3, $4, $5) ON CONFLICT (session_id, enrolment_id) DO NOTHING`,
			sessionID, n.ID, codeID, db.NullID(actor.AccountID), now())
		if err != nil {
			return fmt.Errorf("training: check in %d: %w", n.ID, err)
		}
		if added, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("training: check in %d: %w", n.ID, err)
		} else if added == 0 {
			return errs.New(errs.Conflict, "training.code_used")
		}
		if out, err = attendanceOf(ctx, tx, ss, n); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "checkin", Entity: "enrolment", EntityID: n.ID,
			AgencyID: n.AgencyID, After: map[string]any{"session_id": sessionID}})
	})
	return out, err
}
