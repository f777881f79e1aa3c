package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
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
	targets, err := helpdesk.SLATargets(ctx, tx)
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

// write inserts the help desk's rows. Tickets, messages and events go as
// one JSON parameter per table, expanded by the database (json_each,
// jsonb_array_elements): binding their 40,000 values one by one took 80 ms
// of the demo's load on SQLite, this 50 ms, most of it the indexes.
func (d *desk) write(ctx context.Context, tx *sql.Tx, engine db.Engine) error {
	err := bulkJSON(ctx, tx, engine, "tickets", []jsonCol{{"id", "int"}, {"subject", "text"}, {"body", "text"},
		{"reporter_account_id", "int"}, {"contact_name", "text"}, {"contact_phone", "text"}, {"channel", "text"},
		{"category", "text"}, {"app_id", "int"}, {"agency_id", "int"}, {"priority", "text"}, {"status", "text"},
		{"team_id", "int"}, {"assignee_account_id", "int"}, {"tags", "text"}, {"first_response_due", "time"},
		{"resolution_due", "time"}, {"first_responded_at", "time"}, {"resolved_at", "time"}, {"closed_at", "time"},
		{"pending_since", "time"}, {"created_at", "time"}, {"updated_at", "time"}}, len(d.tickets), func(i int) []any {
		t := d.tickets[i]
		return []any{t.ID, t.Subject, t.Body, db.NullID(t.Reporter), t.Contact, t.Phone, t.Channel, t.Category,
			db.NullID(t.App), db.NullID(t.Agency), t.Priority, t.Status, db.NullID(t.Team), db.NullID(t.Assignee), t.Tags, t.FRDue,
			t.ResDue, t.FR, t.Res, t.Closed, t.Pending, t.Created, t.Updated}
	})
	if err != nil {
		return err
	}
	err = bulkJSON(ctx, tx, engine, "ticket_messages", []jsonCol{{"id", "int"}, {"ticket_id", "int"},
		{"author_account_id", "int"}, {"author", "text"}, {"body", "text"}, {"internal", "bool"},
		{"time_spent_minutes", "int"}, {"created_at", "time"}}, len(d.messages), func(i int) []any {
		m := d.messages[i]
		return []any{m.ID, m.Ticket, db.NullID(m.Author), m.Name, m.Body, m.Internal, m.Minutes, m.At}
	})
	if err != nil {
		return err
	}
	err = bulkJSON(ctx, tx, engine, "ticket_events", []jsonCol{{"id", "int"}, {"ticket_id", "int"},
		{"actor_account_id", "int"}, {"actor", "text"}, {"kind", "text"}, {"old_value", "text"}, {"new_value", "text"},
		{"at", "time"}}, len(d.events), func(i int) []any {
		e := d.events[i]
		return []any{int64(i + 1), e.Ticket, db.NullID(e.Actor), e.Name, e.Kind, e.Old, e.New, e.At}
	})
	if err != nil {
		return err
	}
	return bulk(ctx, tx, engine, "ticket_ratings", []string{"id", "ticket_id", "score", "comment", "account_id",
		"created_at"}, len(d.ratings), func(i int, a []any) []any {
		r := d.ratings[i]
		return append(a, int64(i+1), r.Ticket, r.Score, r.Comment, db.NullID(r.Account), r.At)
	})
}

// jsonCol is a column bulkJSON fills: its name and type (int, text, bool
// or time).
type jsonCol struct{ Name, Type string }

// bulkJSON inserts n rows into table in one statement: the rows travel as
// one JSON array of arrays, times as microseconds since 1970 (SQLite
// stores them so) or null when zero, and the database takes them apart.
func bulkJSON(ctx context.Context, tx *sql.Tx, engine db.Engine, table string, cols []jsonCol, n int,
	row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = row(i)
		for k, v := range rows[i] {
			if t, ok := v.(time.Time); ok {
				rows[i][k] = nil
				if !t.IsZero() {
					rows[i][k] = t.UnixMicro()
				}
			}
		}
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	names := make([]string, len(cols))
	values := make([]string, len(cols))
	for k, c := range cols {
		names[k] = c.Name
		if engine == db.Postgres {
			v := "(x.value->>" + strconv.Itoa(k) + ")"
			values[k] = map[string]string{"int": v + "::bigint", "text": v, "bool": v + "::boolean",
				"time": "to_timestamp(" + v + "::bigint / 1000000.0)"}[c.Type]
		} else {
			values[k] = "json_extract(x.value, '$[" + strconv.Itoa(k) + "]')"
		}
	}
	from := "json_each($1) AS x ORDER BY x.key"
	if engine == db.Postgres {
		from = "jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(value, n) ORDER BY x.n"
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO "+table+" ("+strings.Join(names, ", ")+") SELECT "+
		strings.Join(values, ", ")+" FROM "+from, string(data))
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}
