package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
)

// RemindAhead is how long before its due day a follow-up's assignee is
// reminded.
const RemindAhead = 3 * 24 * time.Hour

// RemindJob reminds assignees of open follow-ups due soon, and again once
// they are overdue.
func (s *Service) RemindJob() jobs.Job {
	return jobs.Job{Name: "leadership.followups", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.Remind(ctx, now)
		return err
	}}
}

// Remind sends the reminders due at now and returns how many it sent. Each
// follow-up is claimed by a conditional UPDATE in the transaction that
// sends its reminder, so nodes running the job side by side remind once.
func (s *Service) Remind(ctx context.Context, at time.Time) (int, error) {
	at = at.UTC()
	// A follow-up is overdue once its due day has passed in the city.
	local := at.In(s.zone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.zone).UTC()
	sent := 0
	for _, k := range []struct {
		column, kind, cond string
		args               []any
	}{
		{"overdue_reminded_at", "followup.overdue", "due_on < $1", []any{today}},
		{"reminded_at", "followup.due", "due_on >= $1 AND due_on <= $2", []any{today, at.Add(RemindAhead)}},
	} {
		ids, err := db.IDs(ctx, s.db.R, `SELECT id FROM follow_ups WHERE status = 'open' AND `+k.column+` IS NULL
			AND `+k.cond+` ORDER BY due_on LIMIT 500`, k.args...)
		if err != nil {
			return sent, fmt.Errorf("leadership: due follow-ups: %w", err)
		}
		for _, id := range ids {
			claimed := false
			err := s.db.Tx(ctx, func(tx *sql.Tx) error {
				res, err := tx.ExecContext(ctx, `UPDATE follow_ups SET `+k.column+` = $1 WHERE id = $2
					AND status = 'open' AND `+k.column+` IS NULL`, at, id)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return nil // another node took it, or it was done meanwhile
				}
				claimed = true
				var assignee, review int64
				var action string
				var due time.Time
				if err := tx.QueryRowContext(ctx, `SELECT assignee_id, review_id, action, due_on FROM follow_ups
					WHERE id = $1`, id).Scan(&assignee, &review, &action, &due); err != nil {
					return err
				}
				return tellAssignee(ctx, tx, assignee, k.kind, []string{action, s.Day(due)}, FollowUpLink(review, id))
			})
			if err != nil {
				return sent, fmt.Errorf("leadership: remind of %d: %w", id, err)
			}
			if claimed {
				sent++
			}
		}
	}
	return sent, nil
}
