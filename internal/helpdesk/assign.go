package helpdesk

// Auto-assignment: what routing does to a ticket filed or moved into a
// team, and the round-robin among the team's agents on duty.

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/notify"
)

// autoRoute is what routing did to a new ticket, recorded in its history
// and the audit log once the ticket has its number.
type autoRoute struct {
	Rule     int64  `json:"rule_id,omitempty"` // the rule that matched, 0 for the default team
	Team     *int64 `json:"team_id,omitempty"` // set when routing chose the team
	Assignee *int64 `json:"assignee_id,omitempty"`
	at       time.Time
}

// routeNew routes a new ticket filed without a team by the first rule it
// matches (else to the default team, else nowhere) and gives a ticket in a
// team with no assignee to the team's next agent on duty. It runs in the
// transaction that files the ticket, before it is written.
func (s *Service) routeNew(ctx context.Context, tx db.Querier, t *Ticket) (autoRoute, error) {
	r := autoRoute{at: t.CreatedAt}
	if t.TeamID == nil {
		rule, team, ok, err := matchRule(ctx, tx, t.Category, t.AppID, t.AgencyID)
		if err != nil {
			return r, err
		}
		if ok {
			t.TeamID, r.Team, r.Rule = &team, &team, rule
		}
	}
	if t.TeamID != nil && t.AssigneeID == nil {
		agent, ok, err := nextOnDuty(ctx, tx, *t.TeamID, t.CreatedAt)
		if err != nil {
			return r, err
		}
		if ok {
			t.AssigneeID, r.Assignee = &agent, &agent
		}
	}
	return r, nil
}

// record writes what routing did into the new ticket's history, as done
// by Lontara itself, and the audit log.
func (r autoRoute) record(ctx context.Context, tx db.Querier, t Ticket) error {
	var events []Event
	if r.Team != nil {
		events = append(events, Event{Actor: authorName(systemDesk), Kind: "team", New: idText(r.Team), At: r.at})
	}
	if r.Assignee != nil {
		events = append(events, Event{Actor: authorName(systemDesk), Kind: "assignee", New: idText(r.Assignee), At: r.at})
	}
	if len(events) == 0 {
		return nil
	}
	if err := insertEvents(ctx, tx, t.ID, nil, events); err != nil {
		return fmt.Errorf("helpdesk: routing history: %w", err)
	}
	if err := notify.Send(ctx, tx, notices(systemDesk, t, events)...); err != nil { // the agent it went to
		return err
	}
	return audit.Write(ctx, tx, systemDesk, audit.Entry{Action: "route", Entity: "ticket", EntityID: t.ID,
		AgencyID: deref(t.AgencyID), After: r})
}

// routedUnassigned reports whether p moves t, which no one has taken, to
// another team without naming who takes it: the team's next agent on duty
// will (assignRouted).
func routedUnassigned(t Ticket, p TicketPatch) bool {
	return p.SetTeam && p.TeamID != nil && !equalID(t.TeamID, p.TeamID) && !p.SetAssignee && t.AssigneeID == nil
}

// assignRouted gives a ticket just moved to a team to the team's next
// agent on duty, if anyone is on duty, with a history entry made by
// Lontara itself; the change's audit record shows the assignee.
func assignRouted(ctx context.Context, tx db.Querier, t *Ticket, events []Event, at time.Time) ([]Event, error) {
	agent, ok, err := nextOnDuty(ctx, tx, *t.TeamID, at)
	if err != nil || !ok {
		return events, err
	}
	t.AssigneeID = &agent
	return append(events, Event{Actor: authorName(systemDesk), Kind: "assignee", New: idText(&agent), At: at}), nil
}

// nextOnDuty picks the agent of team on duty at the time at who was given
// a ticket least recently (never, first), and records that they are given
// one now. It runs in the transaction that assigns the ticket, and first
// locks the team's row, so on PostgreSQL tickets filed at once for one
// team take their turns one after the other and go to different agents
// (SQLite has one writer anyway). The turn is stamped after every turn
// already taken in the team, so the rotation follows the order the turns
// are taken even when tickets commit out of the order they were filed.
func nextOnDuty(ctx context.Context, tx db.Querier, team int64, at time.Time) (int64, bool, error) {
	if err := db.HoldRow(ctx, tx, "teams", team); err != nil {
		return 0, false, fmt.Errorf("helpdesk: round-robin: %w", err)
	}
	agent, ok, err := leastRecent(ctx, tx, team, at)
	if err != nil || !ok {
		return 0, false, err
	}
	stamp, err := turnStamp(ctx, tx, team, at)
	if err != nil {
		return 0, false, err
	}
	return agent, true, recordTurn(ctx, tx, team, agent, stamp)
}

// turnStamp is the time to record a turn taken at the time at: at, or
// just after the team's newest turn when that is not before at.
func turnStamp(ctx context.Context, tx db.Querier, team int64, at time.Time) (time.Time, error) {
	newest, err := newestTurn(ctx, tx, team)
	if err != nil || newest == nil || at.After(*newest) {
		return at, err
	}
	return newest.Add(time.Microsecond), nil
}
