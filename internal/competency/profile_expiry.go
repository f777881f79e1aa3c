package competency

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/notify"
)

// ExpiryNotice is how long before a verified level lapses its holder is
// told, so there is time to renew it (a refresher, a new verification).
const ExpiryNotice = 30 * 24 * time.Hour

// ExpiryJob tells people, once, that a level they hold lapses soon.
func (s *Service) ExpiryJob() jobs.Job {
	return jobs.Job{Name: "competency.expiry", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.RemindExpiring(ctx, now)
		return err
	}}
}

// RemindExpiring tells the people in service whose verified level lapses
// within ExpiryNotice of now, and returns how many it told. Only the entry
// a level rests on counts: when another entry keeps the same or a higher
// level for longer, nothing lapses. Each entry is claimed by a conditional
// UPDATE in the transaction that notifies, so two nodes tell once.
func (s *Service) RemindExpiring(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	due, err := db.IDs(ctx, s.db.R, `SELECT a.id FROM competency_assessments a JOIN employees e ON e.id = a.employee_id
		JOIN competencies c ON c.id = a.competency_id
		WHERE a.source <> 'self' AND a.reminded_at IS NULL AND a.expires_at > $1 AND a.expires_at <= $2
		AND e.active AND c.retired_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM competency_assessments b WHERE b.employee_id = a.employee_id
			AND b.competency_id = a.competency_id AND b.source <> 'self' AND b.id <> a.id AND b.level >= a.level
			AND (b.expires_at IS NULL OR b.expires_at > a.expires_at))
		ORDER BY a.expires_at LIMIT 500`, now, now.Add(ExpiryNotice))
	if err != nil {
		return 0, fmt.Errorf("expiring levels: %w", err)
	}
	told := 0
	for _, id := range due {
		claimed := false
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE competency_assessments SET reminded_at = $1 WHERE id = $2
				AND reminded_at IS NULL`, now, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another node told them
			}
			var employee, account int64
			var name string
			var level int
			var expires time.Time
			if err := tx.QueryRowContext(ctx, `SELECT a.employee_id, COALESCE(ac.id, 0), c.name, a.level, a.expires_at
				FROM competency_assessments a JOIN competencies c ON c.id = a.competency_id
				LEFT JOIN accounts ac ON ac.employee_id = a.employee_id AND ac.active WHERE a.id = $1`, id).
				Scan(&employee, &account, &name, &level, &expires); err != nil {
				return err
			}
			if account == 0 {
				return nil
			}
			claimed = true
			return notify.Send(ctx, tx, notify.Message{AccountID: account, Kind: "competency.expiring",
				Args: []string{name, strconv.Itoa(level), expires.UTC().Format(time.DateOnly)}, Link: ProfileLink(employee)})
		})
		if err != nil {
			return told, fmt.Errorf("expiring level %d: %w", id, err)
		}
		if claimed {
			told++
		}
	}
	return told, nil
}
