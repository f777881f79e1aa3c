package training

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/ics"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/policy"
)

// RemindBefore is how long before an event starts its people are
// reminded: a day, to arrange the office and the trip.
const RemindBefore = 24 * time.Hour

// RemindJob reminds the participants and trainers of events starting
// within RemindBefore, once across nodes.
func (s *Service) RemindJob() jobs.Job {
	return jobs.Job{Name: "training.remind", Every: 5 * time.Minute, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.Remind(ctx, now)
		return err
	}}
}

// Remind sends the reminders due at now and returns how many events it
// reminded of. Each event is claimed by a conditional UPDATE of
// reminded_at in the transaction that sends its reminders, so two nodes
// running the job remind once; an event already begun is not reminded of.
func (s *Service) Remind(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	due, err := db.IDs(ctx, s.db.R, `SELECT id FROM events WHERE reminded_at IS NULL AND cancelled_at IS NULL
		AND finished_at IS NULL AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at LIMIT 200`, now, now.Add(RemindBefore))
	if err != nil {
		return 0, fmt.Errorf("training: due reminders: %w", err)
	}
	sent := 0
	for _, id := range due {
		claimed := false
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE events SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL
				AND cancelled_at IS NULL AND finished_at IS NULL AND starts_at > $1`, now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node took it, or it moved or was called off
			}
			claimed = true
			e, err := findEvent(ctx, tx, id)
			if err != nil {
				return err
			}
			people, err := participantAccounts(ctx, tx, id, false)
			if err != nil {
				return err
			}
			return s.tell(ctx, tx, people, "training.soon", e)
		})
		if err != nil {
			return sent, fmt.Errorf("training: remind of %d: %w", id, err)
		}
		if claimed {
			sent++
		}
	}
	return sent, nil
}

// Calendar returns an event's sessions as an iCalendar file; base is the
// site's public URL ("" for none).
func (s *Service) Calendar(ctx context.Context, actor *policy.Actor, id int64, base string) ([]byte, error) {
	e, err := s.Event(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return ics.Calendar(calendarEvents(e, base)...), nil
}

// MyCalendar returns the sessions of the events the actor holds a place
// at or trains, the latest 200, as one iCalendar file.
func (s *Service) MyCalendar(ctx context.Context, actor *policy.Actor, base string) ([]byte, error) {
	if actor == nil || actor.AccountID == 0 {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+eventColumns+eventFrom+` WHERE EXISTS (SELECT 1 FROM enrolments n
		WHERE n.event_id = e.id AND n.employee_id = $1 AND n.status IN ('enrolled','completed')
		AND n.approval IN ('approved','not_needed'))
		OR EXISTS (SELECT 1 FROM event_trainers t WHERE t.event_id = e.id AND t.account_id = $2)
		ORDER BY e.starts_at DESC, e.id LIMIT 200`, actor.EmployeeID, actor.AccountID)
	if err != nil {
		return nil, fmt.Errorf("training: my calendar: %w", err)
	}
	defer rows.Close()
	var events []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("training: my calendar: %w", err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sessions, err := sessionsOfEvents(ctx, s.db.R, events)
	if err != nil {
		return nil, err
	}
	var all []ics.Event
	for _, e := range events {
		e.Sessions = sessions[e.ID]
		all = append(all, calendarEvents(e, base)...)
	}
	return ics.Calendar(all...), nil
}

// sessionsOfEvents loads the sessions of several events in one query, in
// time order, by event.
func sessionsOfEvents(ctx context.Context, q db.Querier, events []Event) (map[int64][]Session, error) {
	out := map[int64][]Session{}
	if len(events) == 0 {
		return out, nil
	}
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	marks, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT id, event_id, starts_at, ends_at, place, link FROM event_sessions
		WHERE event_id IN (`+marks+`) ORDER BY starts_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("training: sessions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ss Session
		if err := rows.Scan(&ss.ID, &ss.EventID, &ss.StartsAt, &ss.EndsAt, &ss.Place, &ss.Link); err != nil {
			return nil, fmt.Errorf("training: sessions: %w", err)
		}
		ss.StartsAt, ss.EndsAt = ss.StartsAt.UTC(), ss.EndsAt.UTC()
		out[ss.EventID] = append(out[ss.EventID], ss)
	}
	return out, rows.Err()
}

// calendarEvents are an event's sessions as calendar entries, each with
// its own UID so a calendar keeps every day of a bimtek.
func calendarEvents(e Event, base string) []ics.Event {
	// The page's address only from the configured public URL: a request's
	// Host header is the client's to say.
	desc := e.Description
	if base != "" {
		desc = strings.TrimSpace(desc + "\n\n" + strings.TrimSuffix(base, "/") + EventLink(e.ID))
	}
	out := make([]ics.Event, 0, len(e.Sessions))
	for _, ss := range e.Sessions {
		where := ss.Place
		if where == "" {
			where = ss.Link
		}
		out = append(out, ics.Event{UID: fmt.Sprintf("training-session-%d@lontara", ss.ID), Sequence: e.Sequence,
			Start: ss.StartsAt, End: ss.EndsAt, Summary: e.Title, Description: desc, Location: where, URL: ss.Link,
			Cancelled: e.CancelledAt != nil, Stamp: e.UpdatedAt})
	}
	return out
}
