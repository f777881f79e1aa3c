package leadership

import (
	"context"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Waiting is what leadership has waiting for a person, for their home
// page: announcements not read yet and follow-ups assigned to them still
// open.
func (s *Service) Waiting(ctx context.Context, actor *policy.Actor) ([]web.Attention, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return nil, nil
	}
	unread, err := s.UnreadAnnouncements(ctx, actor)
	if err != nil {
		return nil, err
	}
	open, err := s.MyFollowUps(ctx, actor, false)
	if err != nil {
		return nil, err
	}
	return []web.Attention{
		{Key: "leadership.waiting.announcements", Count: unread, Href: "/pimpinan/pengumuman"},
		{Key: "leadership.waiting.followups", Count: len(open), Href: "/pimpinan/tindak-lanjut"},
	}, nil
}
