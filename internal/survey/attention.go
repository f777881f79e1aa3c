package survey

import (
	"context"

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
	open := 0
	for _, v := range list {
		if v.Status == "open" && !v.Answered {
			open++
		}
	}
	return []web.Attention{{Key: "survey.waiting", Count: open, Href: "/survei"}}, nil
}
