package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/jobs"
)

// RemindBefore is how long before a meeting its people are reminded.
const RemindBefore = time.Hour

// RemindJob reminds the organizer and the invitees who have not declined,
// once, when a meeting is less than RemindBefore away.
func (s *Service) RemindJob() jobs.Job {
	return jobs.Job{Name: "meetings.remind", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.Remind(ctx, now)
		return err
	}}
}

// Remind sends the reminders due at now and returns how many meetings it
// reminded of. Each meeting is claimed by a conditional UPDATE of
// reminded_at in the transaction that sends its reminders, so two nodes
// running the job remind once. A meeting that already began is not
// reminded of (the server was down): a late "starts soon" misleads.
func (s *Service) Remind(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	due, err := db.IDs(ctx, s.db.R, `SELECT id FROM meetings WHERE reminded_at IS NULL AND cancelled_at IS NULL
		AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at LIMIT 200`, now, now.Add(RemindBefore))
	if err != nil {
		return 0, fmt.Errorf("meetings: due reminders: %w", err)
	}
	sent := 0
	for _, id := range due {
		claimed := false
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE meetings SET reminded_at = $1 WHERE id = $2
				AND reminded_at IS NULL AND cancelled_at IS NULL AND starts_at > $1`, now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node took it, or it moved or was cancelled
			}
			m, err := findMeeting(ctx, tx, id)
			if err != nil {
				return err
			}
			people := []int64{m.OrganizerID}
			list, err := invitees(ctx, tx, id)
			if err != nil {
				return err
			}
			for _, i := range list {
				if i.Response != No {
					people = append(people, i.AccountID)
				}
			}
			claimed = true
			space, err := discuss.SpaceByID(ctx, tx, m.SpaceID)
			if err != nil {
				return err
			}
			return s.tell(ctx, tx, people, "meeting.soon", id, m.Title, m.StartsAt, space)
		})
		if err != nil {
			return sent, fmt.Errorf("meetings: remind of %d: %w", id, err)
		}
		if claimed {
			sent++
		}
	}
	return sent, nil
}
