package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// ticketColumns are the columns scanTicket reads, with the reporter's
// person joined in.
const ticketColumns = `t.id, t.subject, t.body, t.status, t.priority, t.category, t.channel, t.agency_id,
	t.app_id, t.assignee_account_id, t.team_id, t.reporter_account_id, COALESCE(re.name, ''), COALESCE(re.id, 0),
	t.contact_name, t.contact_phone, t.contact_email, t.tags, t.version, t.created_at, t.updated_at,
	t.first_response_due, t.resolution_due, t.first_responded_at, t.resolved_at, t.closed_at,
	t.pending_since, t.paused_seconds`

const ticketFrom = ` FROM tickets t LEFT JOIN accounts ra ON ra.id = t.reporter_account_id
	LEFT JOIN employees re ON re.id = ra.employee_id`

func scanTicket(row interface{ Scan(...any) error }) (Ticket, error) {
	var t Ticket
	var agency, app, assignee, team, reporter sql.NullInt64
	var tags string
	var responded, resolved, closed, pending sql.NullTime
	err := row.Scan(&t.ID, &t.Subject, &t.Body, &t.Status, &t.Priority, &t.Category, &t.Channel, &agency,
		&app, &assignee, &team, &reporter, &t.ReporterName, &t.ReporterEmployeeID,
		&t.ContactName, &t.ContactPhone, &t.ContactEmail, &tags, &t.Version, &t.CreatedAt, &t.UpdatedAt,
		&t.FirstResponseDue, &t.ResolutionDue, &responded, &resolved, &closed, &pending, &t.PausedSeconds)
	if err != nil {
		return t, err
	}
	t.Number = Number(t.ID)
	t.AgencyID, t.AppID, t.AssigneeID = idPtr(agency), idPtr(app), idPtr(assignee)
	t.TeamID, t.ReporterID = idPtr(team), idPtr(reporter)
	t.Tags = splitTags(tags)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.FirstResponseDue, t.ResolutionDue = t.FirstResponseDue.UTC(), t.ResolutionDue.UTC()
	t.FirstRespondedAt, t.ResolvedAt = timePtr(responded), timePtr(resolved)
	t.ClosedAt, t.PendingSince = timePtr(closed), timePtr(pending)
	return t, nil
}

func idPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// findTicket reads one ticket by id.
func findTicket(ctx context.Context, q db.Querier, id int64) (Ticket, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, errs.New(errs.NotFound, "ticket.not_found")
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("helpdesk: find ticket: %w", err)
	}
	return t, nil
}

func insertTicket(ctx context.Context, q db.Querier, t *Ticket) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO tickets
		(subject, body, reporter_account_id, contact_name, contact_phone, contact_email, channel, category,
		 app_id, agency_id, priority, status, team_id, assignee_account_id, tags, version,
		 first_response_due, resolution_due, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
		RETURNING id`,
		t.Subject, t.Body, t.ReporterID, t.ContactName, t.ContactPhone, t.ContactEmail, t.Channel, t.Category,
		t.AppID, t.AgencyID, t.Priority, t.Status, t.TeamID, t.AssigneeID, strings.Join(t.Tags, ","), t.Version,
		t.FirstResponseDue, t.ResolutionDue, t.CreatedAt)
	t.ID, t.Number = id, Number(id)
	return err
}

// updateTicket writes t if its stored version is still expected, and
// reports whether it was.
func updateTicket(ctx context.Context, q db.Querier, t Ticket, expected int) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE tickets SET status = $1, priority = $2, category = $3, team_id = $4,
		assignee_account_id = $5, app_id = $6, tags = $7, version = $8, first_response_due = $9,
		resolution_due = $10, first_responded_at = $11, resolved_at = $12, closed_at = $13, pending_since = $14,
		paused_seconds = $15, updated_at = $16 WHERE id = $17 AND version = $18`,
		t.Status, t.Priority, t.Category, t.TeamID, t.AssigneeID, t.AppID, strings.Join(t.Tags, ","), t.Version,
		t.FirstResponseDue, t.ResolutionDue, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, t.PendingSince,
		t.PausedSeconds, t.UpdatedAt, t.ID, expected)
	if err != nil {
		return false, fmt.Errorf("helpdesk: update ticket: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func insertMessage(ctx context.Context, q db.Querier, ticketID int64, m *Message) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO ticket_messages
		(ticket_id, author_account_id, author, body, internal, time_spent_minutes, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		ticketID, m.AuthorID, m.Author, m.Body, m.Internal, m.TimeSpentMinutes, m.CreatedAt)
	m.ID = id
	return err
}

// insertEvents records history entries of one ticket in one statement.
func insertEvents(ctx context.Context, q db.Querier, ticketID int64, accountID *int64, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO ticket_events (ticket_id, actor_account_id, actor, kind, old_value, new_value, at) VALUES `)
	args := make([]any, 0, 7*len(events))
	for i, e := range events {
		if i > 0 {
			sb.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, ticketID, accountID, e.Actor, e.Kind, e.Old, e.New, e.At)
	}
	_, err := q.ExecContext(ctx, sb.String(), args...)
	return err
}

// messages lists a ticket's messages in order, internal notes only when
// withInternal.
func messages(ctx context.Context, q db.Querier, ticketID int64, withInternal bool) ([]Message, error) {
	query := `SELECT id, author_account_id, author, body, internal, time_spent_minutes, created_at
		FROM ticket_messages WHERE ticket_id = $1`
	if !withInternal {
		query += ` AND internal = FALSE`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: messages: %w", err)
	}
	defer rows.Close()
	list := []Message{}
	for rows.Next() {
		var m Message
		var author sql.NullInt64
		if err := rows.Scan(&m.ID, &author, &m.Author, &m.Body, &m.Internal, &m.TimeSpentMinutes, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.AuthorID, m.CreatedAt = idPtr(author), m.CreatedAt.UTC()
		list = append(list, m)
	}
	return list, rows.Err()
}

// history lists a ticket's events in order; internal notes and SLA escalations
// only when withInternal.
func history(ctx context.Context, q db.Querier, ticketID int64, withInternal bool) ([]Event, error) {
	notes := ""
	if !withInternal {
		notes = ` AND kind NOT IN (` + internalEvents + `)`
	}
	rows, err := q.QueryContext(ctx, `SELECT actor, kind, old_value, new_value, at FROM ticket_events
		WHERE ticket_id = $1`+notes+` ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: history: %w", err)
	}
	defer rows.Close()
	list := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Actor, &e.Kind, &e.Old, &e.New, &e.At); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		list = append(list, e)
	}
	return list, rows.Err()
}

// exists reports whether table has a row with id (table is a constant).
func exists(ctx context.Context, q db.Querier, table string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1`, id).Scan(&n)
	return n > 0, err
}

// reporter reads the person behind an active account: their agency,
// employee id and name; ok=false when there is no such account.
func reporter(ctx context.Context, q db.Querier, accountID int64) (agency, employee int64, name string, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT e.agency_id, e.id, e.name FROM accounts a JOIN employees e ON e.id = a.employee_id
		WHERE a.id = $1 AND a.active = TRUE`, accountID).Scan(&agency, &employee, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, "", false, nil
	}
	return agency, employee, name, err == nil, err
}

// isAgent reports whether an active account works the help desk (holds the
// agent, expert or superadmin role), so tickets may be assigned to it.
func isAgent(ctx context.Context, q db.Querier, accountID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id
		WHERE g.account_id = $1 AND a.active = TRUE AND g.role IN (`+deskRolesIn(2)+`)`,
		deskRoleArgs(accountID)...).Scan(&n)
	return n > 0, err
}

func insertTeam(ctx context.Context, q db.Querier, t Team, at time.Time) (int64, error) {
	return db.InsertID(ctx, q, `INSERT INTO teams (code, name, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, t.Code, t.Name, t.Description, at)
}

func upsertMember(ctx context.Context, q db.Querier, teamID, accountID int64, lead bool) error {
	_, err := q.ExecContext(ctx, `INSERT INTO team_members (team_id, account_id, lead, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (team_id, account_id) DO UPDATE SET lead = excluded.lead`,
		teamID, accountID, lead, time.Now().UTC())
	return err
}

// listTeams reads every team and its members in two queries.
func listTeams(ctx context.Context, q db.Querier) ([]Team, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name, description FROM teams ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: teams: %w", err)
	}
	teams := []Team{}
	index := map[int64]int{}
	for rows.Next() {
		t := Team{Members: []Member{}}
		if err := rows.Scan(&t.ID, &t.Code, &t.Name, &t.Description); err != nil {
			rows.Close()
			return nil, err
		}
		index[t.ID] = len(teams)
		teams = append(teams, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.team_id, m.account_id, e.name, m.lead FROM team_members m
		JOIN accounts a ON a.id = m.account_id JOIN employees e ON e.id = a.employee_id
		ORDER BY m.lead DESC, e.name, m.account_id`)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: team members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var team int64
		var m Member
		if err := rows.Scan(&team, &m.AccountID, &m.Name, &m.Lead); err != nil {
			return nil, err
		}
		if i, ok := index[team]; ok {
			teams[i].Members = append(teams[i].Members, m)
		}
	}
	return teams, rows.Err()
}
