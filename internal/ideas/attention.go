package ideas

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Waiting is, for an agency's head, the agency's ideas still without an
// answer, for their home page: the answer is theirs to give. It runs on
// every visit to the home page, so it counts and reads nothing else.
func (s *Service) Waiting(ctx context.Context, actor *policy.Actor) ([]web.Attention, error) {
	if actor == nil {
		return nil, nil
	}
	heads := actor.AgenciesWith(policy.AgencyHead)
	if len(heads) == 0 {
		return nil, nil
	}
	in, args := db.InList(heads)
	rows, err := s.db.R.QueryContext(ctx, `SELECT agency_id, count(*) FROM ideas
		WHERE agency_id IN (`+in+`) AND answered_at IS NULL GROUP BY agency_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ideas: waiting: %w", err)
	}
	defer rows.Close()
	var out []web.Attention
	for rows.Next() {
		var agency int64
		var n int
		if err := rows.Scan(&agency, &n); err != nil {
			return nil, fmt.Errorf("ideas: waiting: %w", err)
		}
		out = append(out, web.Attention{Key: "ideas.waiting", Count: n,
			Href: fmt.Sprintf("/ide?agency_id=%d&sort=waiting", agency)})
	}
	return out, rows.Err()
}
