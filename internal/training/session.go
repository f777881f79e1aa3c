package training

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// SessionInput is one sitting to add to an event.
type SessionInput struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Place    string    `json:"place,omitempty"`
	Link     string    `json:"link,omitempty"`
}

func (in *SessionInput) validate() error {
	var v errs.Validation
	in.Place, in.Link = strings.TrimSpace(in.Place), strings.TrimSpace(in.Link)
	switch {
	case in.StartsAt.IsZero():
		v.Add("starts_at", "training.starts_required")
	case in.EndsAt.IsZero():
		v.Add("ends_at", "training.ends_required")
	case !in.EndsAt.After(in.StartsAt):
		v.Add("ends_at", "training.ends_before_starts")
	}
	if utf8.RuneCountInString(in.Place) > maxPlace {
		v.Add("place", "training.place_long", maxPlace)
	}
	checkLink(&v, "link", in.Link)
	return v.Err()
}

// AddSession adds a sitting to an event; the event's span follows.
func (s *Service) AddSession(ctx context.Context, actor *policy.Actor, eventID int64, in SessionInput) (Session, error) {
	if err := in.validate(); err != nil {
		return Session{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.managed(ctx, tx, actor, eventID, true)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_sessions WHERE event_id = $1`, eventID).Scan(&n); err != nil {
			return fmt.Errorf("training: sessions of %d: %w", eventID, err)
		}
		if n >= maxSessions {
			return errs.New(errs.Conflict, "training.sessions_many", maxSessions)
		}
		if id, err = insertSession(ctx, tx, eventID, in, now()); err != nil {
			return err
		}
		if err := syncSpan(ctx, tx, e); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "add_session", Entity: "event", EntityID: eventID,
			AgencyID: deref(e.AgencyID), After: in})
	})
	if err != nil {
		return Session{}, err
	}
	return findSession(ctx, s.db.R, id)
}

// RemoveSession takes a sitting off an event: not its last one, nor one
// anyone has been marked present at.
func (s *Service) RemoveSession(ctx context.Context, actor *policy.Actor, sessionID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := findSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		e, err := s.managed(ctx, tx, actor, ss.EventID, true)
		if err != nil {
			return err
		}
		var sessions, present int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM event_sessions WHERE event_id = $1),
			(SELECT COUNT(*) FROM session_attendance WHERE session_id = $2)`, e.ID, sessionID).Scan(&sessions, &present); err != nil {
			return fmt.Errorf("training: session %d: %w", sessionID, err)
		}
		switch {
		case sessions <= 1:
			return errs.New(errs.Conflict, "training.session_last")
		case present > 0:
			return errs.New(errs.Conflict, "training.session_attended")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_sessions WHERE id = $1`, sessionID); err != nil {
			return fmt.Errorf("training: remove session %d: %w", sessionID, err)
		}
		if err := syncSpan(ctx, tx, e); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "remove_session", Entity: "event", EntityID: e.ID,
			AgencyID: deref(e.AgencyID), Before: ss})
	})
}

// syncSpan sets an event's start and end to its sessions' first start and
// last end, raises its calendar sequence, tells its people when the start
// moved, and has them reminded again when it moved later.
func syncSpan(ctx context.Context, q db.Querier, e Event) error {
	var start, end time.Time
	// Two plain reads, not MIN/MAX: SQLite hands back an aggregate (or a
	// subquery) of a TIMESTAMP as text.
	if err := q.QueryRowContext(ctx, `SELECT starts_at FROM event_sessions WHERE event_id = $1
		ORDER BY starts_at LIMIT 1`, e.ID).Scan(&start); err != nil {
		return fmt.Errorf("training: start of %d: %w", e.ID, err)
	}
	if err := q.QueryRowContext(ctx, `SELECT ends_at FROM event_sessions WHERE event_id = $1
		ORDER BY ends_at DESC LIMIT 1`, e.ID).Scan(&end); err != nil {
		return fmt.Errorf("training: end of %d: %w", e.ID, err)
	}
	later := start.After(e.StartsAt)
	if _, err := q.ExecContext(ctx, `UPDATE events SET starts_at = $1, ends_at = $2, sequence = sequence + 1,
		updated_at = $3, reminded_at = CASE WHEN $4 THEN NULL ELSE reminded_at END WHERE id = $5`,
		start.UTC(), end.UTC(), now(), later, e.ID); err != nil {
		return fmt.Errorf("training: span of %d: %w", e.ID, err)
	}
	return nil
}

// Events lists events for anyone signed in: the catalogue is open, and
// who may take part is decided on enrolment.
func (s *Service) Events(ctx context.Context, actor *policy.Actor, f EventFilter, p db.Page) ([]Event, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	return listEvents(ctx, s.db.R, s.db.Dialect, f, now(), p)
}
