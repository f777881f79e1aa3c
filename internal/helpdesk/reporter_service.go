package helpdesk

import (
	"context"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// AppChoices lists the applications in service (not retired), by name, for
// the reporter to say which one the problem is with. The catalog is read
// here rather than through the apps service to keep the packages apart.
func (s *Service) AppChoices(ctx context.Context) ([]web.Option, error) {
	return web.ReadOptions(ctx, s.db.R, `SELECT id, name FROM apps WHERE status <> 'retired' ORDER BY name, id`)
}

// ReporterTicket returns a ticket as its reporter's side sees it: the
// public conversation and history only, even when the person reading also
// works the help desk, and its rating if it has one.
func (s *Service) ReporterTicket(ctx context.Context, actor *policy.Actor, number string) (Ticket, *Rating, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, nil, err
	}
	t, err := s.visible(ctx, s.db.R, actor, id)
	if err != nil {
		return Ticket{}, nil, err
	}
	hideContact(actor, &t)
	if t.Messages, err = messages(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, nil, err
	}
	if t.History, err = history(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, nil, err
	}
	if t.Attachments, err = attachments(ctx, s.db.R, t.ID, false); err != nil {
		return Ticket{}, nil, err
	}
	r, ok, err := ratingOf(ctx, s.db.R, t.ID)
	if err != nil || !ok {
		return t, nil, err
	}
	return t, &r, nil
}
