package helpdesk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// conds collects the conditions of a ticket query and their arguments.
type conds struct {
	where []string
	args  []any
}

// arg binds x and returns its placeholder.
func (c *conds) arg(x any) string {
	c.args = append(c.args, x)
	return "$" + strconv.Itoa(len(c.args))
}

// sql returns the WHERE clause ("" without conditions).
func (c *conds) sql() string {
	if len(c.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.where, " AND ")
}

// filter returns the conditions for the tickets the actor may see that
// match f: all tickets for the help desk, else those the actor reported
// and those of the agencies they administer or head (policy.TicketScope).
func (s *Service) filter(actor *policy.Actor, f TicketFilter) (*conds, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	var v errs.Validation
	if f.Status != nil && !slices.Contains(Statuses, *f.Status) {
		v.Add("status", "one_of", choices{"status", Statuses})
	}
	if f.Category != nil && !slices.Contains(Categories, *f.Category) {
		v.Add("category", "one_of", choices{"category", Categories})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &conds{}
	// One's own tickets (the reporter's list) are within anyone's scope:
	// the filter below says so alone, not twice.
	mine := f.ReporterID != nil && f.Followed && *f.ReporterID == actor.AccountID
	if all, agencies := policy.TicketScope(actor); !all && !mine {
		me := c.arg(actor.AccountID)
		scope := []string{reportedOrFollowedBy(me)}
		for _, a := range agencies {
			scope = append(scope, "t.agency_id = "+c.arg(a))
		}
		c.where = append(c.where, "("+strings.Join(scope, " OR ")+")")
	}
	for _, eq := range []struct {
		col string
		val any
		set bool
	}{
		{"t.status", deref0(f.Status), f.Status != nil}, {"t.category", deref0(f.Category), f.Category != nil},
		{"t.team_id", deref(f.TeamID), f.TeamID != nil}, {"t.assignee_account_id", deref(f.AssigneeID), f.AssigneeID != nil},
		{"t.agency_id", deref(f.AgencyID), f.AgencyID != nil}, {"t.app_id", deref(f.AppID), f.AppID != nil},
		{"t.reporter_account_id", deref(f.ReporterID), f.ReporterID != nil && !f.Followed},
	} {
		if eq.set {
			c.where = append(c.where, eq.col+" = "+c.arg(eq.val))
		}
	}
	if f.ReporterID != nil && f.Followed {
		who := c.arg(*f.ReporterID)
		c.where = append(c.where, reportedOrFollowedBy(who))
	}
	if f.Unassigned {
		c.where = append(c.where, "t.assignee_account_id IS NULL")
	}
	if f.Query != nil {
		cond := s.db.Dialect.ContainsFold("t.subject", c.arg(db.EscapeLike(*f.Query)))
		if id, err := ParseNumber(*f.Query); err == nil {
			cond += " OR t.id = " + c.arg(id)
		}
		c.where = append(c.where, "("+cond+")")
	}
	return c, nil
}

// ListTickets returns one page of the tickets the actor may see, most
// recently changed first, and the cursor of the next page ("" on the last).
func (s *Service) ListTickets(ctx context.Context, actor *policy.Actor, f TicketFilter, p db.Page) ([]Ticket, string, error) {
	c, err := s.filter(actor, f)
	if err != nil {
		return nil, "", err
	}
	if p.After != "" {
		var micros, id int64
		if err := db.ParseCursor(p.After, &micros, &id); err != nil {
			return nil, "", err
		}
		u, i := c.arg(time.UnixMicro(micros).UTC()), c.arg(id)
		c.where = append(c.where, "(t.updated_at < "+u+" OR (t.updated_at = "+u+" AND t.id < "+i+"))")
	}
	q := `SELECT ` + ticketColumns + ticketFrom + c.sql() + " ORDER BY t.updated_at DESC, t.id DESC LIMIT " + c.arg(p.Size()+1)
	list, err := s.queryTickets(ctx, q, c.args)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.UpdatedAt.UnixMicro(), last.ID)
	}
	for i := range list {
		hideContact(actor, &list[i])
	}
	return list, next, nil
}

// Counts are how many tickets a queue holds in each status.
type Counts struct {
	New      int `json:"new"`
	Open     int `json:"open"`
	Pending  int `json:"pending"`
	Resolved int `json:"resolved"`
	Closed   int `json:"closed"`
}

// CountTickets counts the tickets the actor may see that match f, by
// status (f.Status is ignored), for the counts beside a queue's filters.
// With a limit above 0, each status is counted up to limit+1 only, so a
// count above limit means "more than limit": the queue's tabs tell an
// agent how much work waits, and counting a ministry's hundreds of
// thousands of closed tickets on every view of the queue was most of the
// page's time. The API counts in full (limit 0).
func (s *Service) CountTickets(ctx context.Context, actor *policy.Actor, f TicketFilter, limit int) (Counts, error) {
	f.Status = nil
	c, err := s.filter(actor, f)
	if err != nil {
		return Counts{}, err
	}
	var n Counts
	fields := []struct {
		status string
		n      *int
	}{{StatusNew, &n.New}, {StatusOpen, &n.Open}, {StatusPending, &n.Pending}, {StatusResolved, &n.Resolved}, {StatusClosed, &n.Closed}}
	// One statement of a count per status: each reads its status's part of
	// the index tickets_status, and a capped one stops at the cap.
	capped := ""
	if limit > 0 {
		capped = " LIMIT " + c.arg(limit+1)
	}
	counts, dst := make([]string, len(fields)), make([]any, len(fields))
	for i, fd := range fields {
		where := append(slices.Clip(c.where), "t.status = '"+fd.status+"'")
		counts[i] = "(SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE " + strings.Join(where, " AND ") + capped + ") x)"
		dst[i] = fd.n
	}
	if err := s.db.R.QueryRowContext(ctx, "SELECT "+strings.Join(counts, ", "), c.args...).Scan(dst...); err != nil {
		return Counts{}, fmt.Errorf("helpdesk: count: %w", err)
	}
	return n, nil
}

func (s *Service) queryTickets(ctx context.Context, q string, args []any) ([]Ticket, error) {
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: list: %w", err)
	}
	defer rows.Close()
	list := []Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("helpdesk: list: %w", err)
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

func deref0(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// reportedOrFollowedBy is the condition that the account bound to arg
// reported the ticket t or follows it (its duplicate was merged into it:
// the policy's Follower). One IN of both lists, not two conditions joined
// by OR: PostgreSQL guessed such an OR true of half the tickets and walked
// the whole index of them by time for an employee's few (313 ms against
// 0.9 ms at ministry scale); the list is read first and sorted. An account
// that reported tens of thousands pays for the sort instead (107 ms for
// 32,893, where the walk found the newest at once). As IN rather than
// EXISTS: each term of an OR (an agency admin's own agency beside it) must
// be indexable for SQLite to read the terms' indexes instead of every
// ticket.
func reportedOrFollowedBy(arg string) string {
	return "t.id IN (SELECT r.id FROM tickets r WHERE r.reporter_account_id = " + arg +
		" UNION SELECT fo.ticket_id FROM ticket_followers fo WHERE fo.account_id = " + arg + ")"
}
