package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// AnyVersion passed as the expected version to UpdateTicket skips the check
// (an If-Match of *).
const AnyVersion = 0

// UpdateTicket changes a ticket as the help desk works it. version is the
// version the change was made against: when someone changed the ticket
// since, the change is refused as a Conflict naming who did, and nothing is
// lost. Every change of a field is a history entry.
func (s *Service) UpdateTicket(ctx context.Context, actor *policy.Actor, number string, version int, p TicketPatch) (Ticket, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, err
	}
	if err := p.validate(); err != nil {
		return Ticket{}, err
	}
	var out Ticket
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TicketWork, target(before)); err != nil {
			return err
		}
		if version != AnyVersion && version != before.Version {
			return s.stale(ctx, tx, before.ID)
		}
		t, events, err := s.apply(ctx, tx, actor, before, p)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			out = before
			return nil
		}
		t.Version = before.Version + 1
		if err := s.save(ctx, tx, actor, before, t, events); err != nil {
			return err
		}
		out = t
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID), Before: before, After: t})
	})
	return out, err
}

// save writes t over before, if no one changed it meanwhile, with its
// history entries.
func (s *Service) save(ctx context.Context, tx *sql.Tx, actor *policy.Actor, before, t Ticket, events []Event) error {
	t.Version = before.Version + 1
	ok, err := updateTicket(ctx, tx, t, before.Version)
	if err != nil {
		return err
	}
	if !ok {
		return s.stale(ctx, tx, t.ID)
	}
	if err := insertEvents(ctx, tx, t.ID, accountOf(actor), events); err != nil {
		return fmt.Errorf("helpdesk: history: %w", err)
	}
	if err := indexTicket(ctx, tx, t.ID); err != nil {
		return err
	}
	if err := notify.Send(ctx, tx, notices(actor, t, events)...); err != nil {
		return err
	}
	return s.laporRecord(ctx, tx, t, events)
}

// stale is the Conflict for a change made against an old version, naming
// who changed the ticket last.
func (s *Service) stale(ctx context.Context, tx *sql.Tx, id int64) error {
	var who string
	err := tx.QueryRowContext(ctx, `SELECT actor FROM ticket_events WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1`,
		id).Scan(&who)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("helpdesk: last change: %w", err)
	}
	return errs.New(errs.Conflict, "ticket.stale", who)
}

func (p TicketPatch) validate() error {
	var v errs.Validation
	if p.Status != nil {
		oneOf(&v, "status", *p.Status, Statuses)
	}
	if p.Priority != nil {
		oneOf(&v, "priority", *p.Priority, Priorities)
	}
	if p.Category != nil {
		oneOf(&v, "category", *p.Category, Categories)
	}
	if p.Tags != nil {
		if _, err := normalizeTags(*p.Tags); err != nil {
			v.Add("tags", "ticket.tags", maxTags, maxTag)
		}
	}
	return v.Err()
}

// apply returns the ticket with the patch applied and the history entries
// of what changed.
func (s *Service) apply(ctx context.Context, tx *sql.Tx, actor *policy.Actor, t Ticket, p TicketPatch) (Ticket, []Event, error) {
	at := now()
	var events []Event
	change := func(kind, old, new string) {
		if old != new {
			events = append(events, Event{Actor: authorName(actor), Kind: kind, Old: old, New: new, At: at})
		}
	}
	if err := checkPatchRefs(ctx, tx, t, p); err != nil {
		return t, nil, err
	}
	if p.Status != nil && *p.Status != t.Status {
		old := t.Status
		cal, err := s.pauseCalendar(ctx, tx, t)
		if err != nil {
			return t, nil, err
		}
		if err := transition(&t, *p.Status, at, cal); err != nil {
			return t, nil, err
		}
		change("status", old, t.Status)
	}
	if p.Priority != nil && *p.Priority != t.Priority {
		change("priority", t.Priority, *p.Priority)
		t.Priority = *p.Priority
		if err := s.setDues(ctx, tx, &t); err != nil {
			return t, nil, err
		}
	}
	if p.Category != nil {
		change("category", t.Category, *p.Category)
		t.Category = *p.Category
	}
	auto := routedUnassigned(t, p)
	for _, ref := range []struct {
		kind string
		set  bool
		dst  **int64
		val  *int64
	}{{"team", p.SetTeam, &t.TeamID, p.TeamID}, {"assignee", p.SetAssignee, &t.AssigneeID, p.AssigneeID},
		{"app", p.SetApp, &t.AppID, p.AppID}} {
		if ref.set {
			change(ref.kind, idText(*ref.dst), idText(ref.val))
			*ref.dst = ref.val
		}
	}
	if auto {
		var err error
		if events, err = assignRouted(ctx, tx, &t, events, at); err != nil {
			return t, nil, err
		}
	}
	if p.Tags != nil {
		tags, _ := normalizeTags(*p.Tags)
		change("tags", strings.Join(t.Tags, ","), strings.Join(tags, ","))
		t.Tags = tags
	}
	t.UpdatedAt = at
	return t, events, nil
}

// checkPatchRefs checks that a newly named application or team exists and
// that a new assignee works the help desk.
func checkPatchRefs(ctx context.Context, tx *sql.Tx, t Ticket, p TicketPatch) error {
	var v errs.Validation
	for _, ref := range []struct {
		field    string
		set      bool
		old, new *int64
		ok       func(int64) (bool, error)
		key      string
	}{
		{"app_id", p.SetApp, t.AppID, p.AppID, func(id int64) (bool, error) { return exists(ctx, tx, "apps", id) }, "ticket.unknown"},
		{"team_id", p.SetTeam, t.TeamID, p.TeamID, func(id int64) (bool, error) { return exists(ctx, tx, "teams", id) }, "ticket.unknown"},
		{"assignee_id", p.SetAssignee, t.AssigneeID, p.AssigneeID, func(id int64) (bool, error) { return isAgent(ctx, tx, id) }, "ticket.assignee"},
	} {
		if !ref.set || ref.new == nil || equalID(ref.old, ref.new) {
			continue
		}
		ok, err := ref.ok(*ref.new)
		if err != nil {
			return fmt.Errorf("helpdesk: check %s: %w", ref.field, err)
		}
		if !ok {
			v.Add(ref.field, ref.key)
		}
	}
	return v.Err()
}

func equalID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func idText(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// transition moves t to status to at the time at. A closed ticket stays
// closed (a new problem is a new ticket), and no ticket goes back to new.
// Resolving and closing stamp their times; leaving pending moves the SLA
// dues on by the time spent pending, so the clocks pause while the help
// desk waits for the reporter. The pause is counted on cal, the calendar of
// the ticket's priority: on working hours only its working time moves the
// dues (a pause over a weekend moves them by Friday afternoon's hours).
func transition(t *Ticket, to string, at time.Time, cal *calendar.Calendar) error {
	if t.Status == StatusClosed {
		return errs.New(errs.Conflict, "ticket.closed")
	}
	if to == StatusNew {
		return errs.FieldErr("status", "ticket.status_new")
	}
	if t.PendingSince != nil {
		shift := cal.Between(*t.PendingSince, at).Truncate(time.Second)
		t.FirstResponseDue = cal.Add(t.FirstResponseDue, shift)
		t.ResolutionDue = cal.Add(t.ResolutionDue, shift)
		t.PausedSeconds += int64(shift / time.Second)
		t.PendingSince = nil
	}
	switch to {
	case StatusPending:
		t.PendingSince = &at
	case StatusResolved:
		t.ResolvedAt = &at
	case StatusClosed:
		t.ClosedAt = &at
		if t.ResolvedAt == nil {
			t.ResolvedAt = &at
		}
	default:
		t.ResolvedAt = nil
	}
	t.Status = to
	return nil
}
