package leadership

import (
	"context"
	"fmt"

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
	// The home page asks on every visit: a count, not the follow-ups.
	var open int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM follow_ups WHERE assignee_id = $1 AND status = 'open'`,
		actor.EmployeeID).Scan(&open); err != nil {
		return nil, fmt.Errorf("leadership: open follow-ups: %w", err)
	}
	return []web.Attention{
		{Key: "leadership.waiting.announcements", Count: unread, Href: "/pimpinan/pengumuman"},
		{Key: "leadership.waiting.followups", Count: open, Href: "/pimpinan/tindak-lanjut"},
	}, nil
}
