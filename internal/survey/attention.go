package survey

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Waiting is the surveys a person was invited to and has not answered yet
// while they are open, for their home page.
func (s *Service) Waiting(ctx context.Context, actor *policy.Actor) ([]web.Attention, error) {
	list, err := s.MyInvitations(ctx, actor)
	if err != nil {
		return nil, err
	}
	open, now := 0, time.Now()
	for _, v := range list {
		if v.Status == Open && v.ClosesAt.After(now) && !v.Answered {
			open++
		}
	}
	return []web.Attention{{Key: "survey.waiting", Count: open, Href: "/survei"}}, nil
}
