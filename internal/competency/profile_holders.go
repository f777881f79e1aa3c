package competency

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/policy"
)

// Holders counts the people in service whose verified level of a
// competency (the highest not lapsed) is 1, 2, 3 and 4: Holders[0] is
// level 1. It is the city's picture, for those who plan its development.
func (s *Service) Holders(ctx context.Context, actor *policy.Actor, competencyID int64) ([Levels]int, error) {
	var out [Levels]int
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{}); err != nil {
		return out, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT lvl, count(*) FROM (SELECT a.employee_id, max(a.level) AS lvl
		FROM competency_assessments a JOIN employees e ON e.id = a.employee_id
		WHERE a.competency_id = $1 AND a.source <> 'self' AND (a.expires_at IS NULL OR a.expires_at > $2) AND e.active
		GROUP BY a.employee_id) x GROUP BY lvl`, competencyID, time.Now().UTC())
	if err != nil {
		return out, fmt.Errorf("holders of %d: %w", competencyID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, n int
		if err := rows.Scan(&level, &n); err != nil {
			return out, fmt.Errorf("holders of %d: %w", competencyID, err)
		}
		if level >= 1 && level <= Levels {
			out[level-1] = n
		}
	}
	return out, rows.Err()
}
