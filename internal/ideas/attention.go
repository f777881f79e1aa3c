package ideas

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Waiting is, for an agency's head, the agency's ideas still without an
// answer, for their home page: the answer is theirs to give.
func (s *Service) Waiting(ctx context.Context, actor *policy.Actor) ([]web.Attention, error) {
	if actor == nil {
		return nil, nil
	}
	heads := actor.AgenciesWith(policy.AgencyHead)
	if len(heads) == 0 {
		return nil, nil
	}
	at := now()
	stats, err := AnswerStats(ctx, s.db.R, heads, time.Time{}, at.Add(time.Second), at)
	if err != nil {
		return nil, err
	}
	var out []web.Attention
	for _, agency := range heads {
		out = append(out, web.Attention{Key: "ideas.waiting", Count: stats[agency].Waiting,
			Href: fmt.Sprintf("/ide?agency_id=%d&sort=waiting", agency)})
	}
	return out, nil
}
