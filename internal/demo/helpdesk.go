package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// The demo's help desk: three teams of the city's agents and a few hundred
// tickets of the last 90 days, answered, noted, resolved and rated the way
// Kominfo's help desk works, so `lontara serve --demo` shows a queue, a
// history and reports that mean something. The same data set gives the
// same tickets; their times count back from the moment of loading.

const (
	demoTickets = 360
	demoDays    = 90
)

// deskTeam is a demo team: its code and name, and which of the agents (by
// their order) are in it, the first as its lead.
type deskTeam struct {
	Code, Name string
	Agents     []int
}

var deskTeams = []deskTeam{
	{"jaringan", "Jaringan", []int{0, 1, 2}},
	{"aplikasi", "Aplikasi", []int{3, 4, 5}},
	{"akun-akses", "Akun & Akses", []int{6, 7}},
}

// Rows of the demo's help desk, with ids assigned here as the rest of the
// data set's are. A zero time or id is NULL.
type (
	deskTicket struct {
		ID, Reporter, App, Agency, Team, Assignee int64
		Subject, Body, Contact, Phone             string
		Channel, Category, Priority, Status, Tags string
		FRDue, ResDue, FR, Res, Closed, Pending   time.Time
		Created, Updated                          time.Time
	}
	deskMessage struct {
		ID, Ticket, Author int64
		Name, Body         string
		Internal           bool
		Minutes            int
		At                 time.Time
	}
	deskEvent struct {
		Ticket, Actor        int64
		Name, Kind, Old, New string
		At                   time.Time
	}
	deskRating struct {
		Ticket, Account int64
		Score           int
		Comment         string
		At              time.Time
	}
)

// desk is the demo's help desk, ready to insert.
type desk struct {
	tickets  []deskTicket
	messages []deskMessage
	events   []deskEvent
	ratings  []deskRating
}

// writeHelpdesk writes the demo's teams and tickets in the load's
// transaction: nothing when the world has no agents.
func writeHelpdesk(ctx context.Context, tx *sql.Tx, engine db.Engine, ds *dataset, now time.Time) error {
	var agents []int64
	for _, g := range ds.Grants {
		if g.Role == "agent" {
			agents = append(agents, g.AccountID)
		}
	}
	if len(agents) == 0 {
		return nil
	}
	targets, err := slaTargets(ctx, tx)
	if err != nil {
		return err
	}
	if err := bulk(ctx, tx, engine, "teams", []string{"id", "code", "name", "created_at", "updated_at"}, len(deskTeams),
		func(i int, a []any) []any {
			return append(a, int64(i+1), deskTeams[i].Code, deskTeams[i].Name, now, now)
		}); err != nil {
		return err
	}
	type member struct {
		team, account int64
		lead          bool
	}
	var members []member
	for i, t := range deskTeams {
		for k, n := range t.Agents {
			if n < len(agents) {
				members = append(members, member{int64(i + 1), agents[n], k == 0})
			}
		}
	}
	if err := bulk(ctx, tx, engine, "team_members", []string{"team_id", "account_id", "lead", "created_at"}, len(members),
		func(i int, a []any) []any {
			return append(a, members[i].team, members[i].account, members[i].lead, now)
		}); err != nil {
		return err
	}
	d := buildDesk(ds, agents, targets, now.UTC().Truncate(time.Second))
	if err := d.write(ctx, tx, engine); err != nil {
		return err
	}
	if engine == db.Postgres {
		for _, t := range []string{"teams", "tickets", "ticket_messages", "ticket_events", "ticket_ratings"} {
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
				(SELECT COALESCE(max(id), 0) + 1 FROM `+t+`), false)`); err != nil {
				return fmt.Errorf("demo: reset sequence of %s: %w", t, err)
			}
		}
	}
	return nil
}

// slaTargets reads the first-response and resolution minutes per priority.
func slaTargets(ctx context.Context, tx *sql.Tx) (map[string][2]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT priority, first_response_minutes, resolution_minutes FROM sla_policies`)
	if err != nil {
		return nil, fmt.Errorf("demo: SLA policies: %w", err)
	}
	defer rows.Close()
	targets := map[string][2]int{}
	for rows.Next() {
		var p string
		var first, resolution int
		if err := rows.Scan(&p, &first, &resolution); err != nil {
			return nil, err
		}
		targets[p] = [2]int{first, resolution}
	}
	return targets, rows.Err()
}

func (d *desk) write(ctx context.Context, tx *sql.Tx, engine db.Engine) error {
	err := bulk(ctx, tx, engine, "tickets", []string{"id", "subject", "body", "reporter_account_id", "contact_name",
		"contact_phone", "channel", "category", "app_id", "agency_id", "priority", "status", "team_id", "assignee_account_id",
		"tags", "first_response_due", "resolution_due", "first_responded_at", "resolved_at", "closed_at", "pending_since",
		"created_at", "updated_at"}, len(d.tickets), func(i int, a []any) []any {
		t := d.tickets[i]
		return append(a, t.ID, t.Subject, t.Body, nullID(t.Reporter), t.Contact, t.Phone, t.Channel, t.Category,
			nullID(t.App), nullID(t.Agency), t.Priority, t.Status, nullID(t.Team), nullID(t.Assignee), t.Tags, t.FRDue,
			t.ResDue, nullTime(t.FR), nullTime(t.Res), nullTime(t.Closed), nullTime(t.Pending), t.Created, t.Updated)
	})
	if err != nil {
		return err
	}
	err = bulk(ctx, tx, engine, "ticket_messages", []string{"id", "ticket_id", "author_account_id", "author", "body",
		"internal", "time_spent_minutes", "created_at"}, len(d.messages), func(i int, a []any) []any {
		m := d.messages[i]
		return append(a, m.ID, m.Ticket, nullID(m.Author), m.Name, m.Body, m.Internal, m.Minutes, m.At)
	})
	if err != nil {
		return err
	}
	err = bulk(ctx, tx, engine, "ticket_events", []string{"id", "ticket_id", "actor_account_id", "actor", "kind",
		"old_value", "new_value", "at"}, len(d.events), func(i int, a []any) []any {
		e := d.events[i]
		return append(a, int64(i+1), e.Ticket, nullID(e.Actor), e.Name, e.Kind, e.Old, e.New, e.At)
	})
	if err != nil {
		return err
	}
	return bulk(ctx, tx, engine, "ticket_ratings", []string{"id", "ticket_id", "score", "comment", "account_id",
		"created_at"}, len(d.ratings), func(i int, a []any) []any {
		r := d.ratings[i]
		return append(a, int64(i+1), r.Ticket, r.Score, r.Comment, nullID(r.Account), r.At)
	})
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
