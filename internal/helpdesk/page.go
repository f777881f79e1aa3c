package helpdesk

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// pageUrgent pages the support team on duty by SMS (notify.Message.Page:
// whatever their choices and quiet hours) when an urgent ticket is filed
// outside working hours, in the ticket's transaction: in working hours the
// desk is staffed and sees it in its queue; at night or on a holiday only
// a ringing phone reaches the people on call. Working hours are the
// working calendar's (the city's week and holidays, see calendar.go).
func (s *Service) pageUrgent(ctx context.Context, q db.Querier, actor *policy.Actor, t Ticket) error {
	if t.Priority != "urgent" {
		return nil
	}
	cal, err := s.calendarOf(ctx, q, calendar.Working, t.CreatedAt)
	if err != nil {
		return err
	}
	if cal.Between(t.CreatedAt, t.CreatedAt.Add(time.Minute)) > 0 {
		return nil // in working hours
	}
	to, err := onCall(ctx, q, t.TeamID, t.CreatedAt)
	if err != nil {
		return err
	}
	var msgs []notify.Message
	for _, id := range to {
		if id == actor.AccountID {
			continue // who filed it knows
		}
		msgs = append(msgs, notify.Message{AccountID: id, Kind: "ticket.page_urgent", Args: []string{t.Number, t.Subject},
			Link: "/layanan/" + t.Number, Ref: t.Number, Page: true})
	}
	return notify.Send(ctx, q, msgs...)
}

// onCall are the agents on shift at the time at: of team when it has
// any on shift, else of every team; when the roster has nobody on shift,
// the leads of the desk (onDesk), so that someone is paged.
func onCall(ctx context.Context, q db.Querier, team *int64, at time.Time) ([]int64, error) {
	shifted := func(team *int64) ([]int64, error) {
		args := []any{at, at.Add(-maxShift)}
		scope := ""
		if team != nil {
			scope, args = " AND s.team_id = $3", append(args, *team)
		}
		return db.IDs(ctx, q, `SELECT DISTINCT s.account_id FROM team_shifts s
			JOIN accounts a ON a.id = s.account_id AND a.active = TRUE
			WHERE s.starts_at <= $1 AND s.ends_at > $1 AND s.starts_at > $2`+scope+` ORDER BY s.account_id`, args...)
	}
	if team != nil {
		if to, err := shifted(team); err != nil || len(to) > 0 {
			return to, err
		}
	}
	if to, err := shifted(nil); err != nil || len(to) > 0 {
		return to, err
	}
	return onDesk(ctx, q, nil, at)
}
