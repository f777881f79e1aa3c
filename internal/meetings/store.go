package meetings

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

const meetingColumns = `m.id, m.space_id, s.name, m.title, m.starts_at, m.ends_at, m.link, m.agenda, m.notes,
	m.organizer_account_id, COALESCE(e.name, ''), m.cancelled_at, m.sequence, m.created_at, m.updated_at`

const meetingFrom = ` FROM meetings m JOIN spaces s ON s.id = m.space_id
	JOIN accounts a ON a.id = m.organizer_account_id LEFT JOIN employees e ON e.id = a.employee_id`

func scanMeeting(row interface{ Scan(...any) error }) (Meeting, error) {
	var m Meeting
	var cancelled sql.NullTime
	err := row.Scan(&m.ID, &m.SpaceID, &m.SpaceName, &m.Title, &m.StartsAt, &m.EndsAt, &m.Link, &m.Agenda, &m.Notes,
		&m.OrganizerID, &m.Organizer, &cancelled, &m.Sequence, &m.CreatedAt, &m.UpdatedAt)
	if cancelled.Valid {
		at := cancelled.Time.UTC()
		m.CancelledAt = &at
	}
	m.StartsAt, m.EndsAt, m.CreatedAt, m.UpdatedAt = m.StartsAt.UTC(), m.EndsAt.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m, err
}

// findMeeting loads meeting id without its invitees; NotFound if missing.
func findMeeting(ctx context.Context, q db.Querier, id int64) (Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingColumns+meetingFrom+` WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, errs.New(errs.NotFound, "meeting.not_found")
	}
	if err != nil {
		return Meeting{}, fmt.Errorf("meetings: meeting %d: %w", id, err)
	}
	return m, nil
}

// invitees lists a meeting's invitees by name.
func invitees(ctx context.Context, q db.Querier, id int64) ([]Invitee, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.account_id, COALESCE(e.name, ''), COALESCE(e.email, ''), i.response
		FROM meeting_invitees i JOIN accounts a ON a.id = i.account_id LEFT JOIN employees e ON e.id = a.employee_id
		WHERE i.meeting_id = $1 ORDER BY e.name, i.account_id`, id)
	if err != nil {
		return nil, fmt.Errorf("meetings: invitees of %d: %w", id, err)
	}
	defer rows.Close()
	var list []Invitee
	for rows.Next() {
		var i Invitee
		if err := rows.Scan(&i.AccountID, &i.Name, &i.Email, &i.Response); err != nil {
			return nil, fmt.Errorf("meetings: invitees of %d: %w", id, err)
		}
		list = append(list, i)
	}
	return list, rows.Err()
}

// listFilter selects meetings for a list: those of one space, or those an
// account organizes or is invited to; upcoming ones (not ended by Now,
// soonest first) or past ones (latest first).
type listFilter struct {
	SpaceID   *int64
	AccountID *int64
	Now       time.Time
	Past      bool
}

// listMeetings returns a page of meetings; the cursor is the last row's
// start and id.
func listMeetings(ctx context.Context, q db.Querier, f listFilter, p db.Page) ([]Meeting, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.SpaceID != nil {
		where = append(where, "m.space_id = "+arg(*f.SpaceID))
	}
	if f.AccountID != nil {
		who := arg(*f.AccountID)
		where = append(where, `(m.organizer_account_id = `+who+` OR EXISTS (SELECT 1 FROM meeting_invitees i
			WHERE i.meeting_id = m.id AND i.account_id = `+who+`))`)
	}
	order := "m.starts_at, m.id"
	cmp := ">"
	if f.Past {
		where = append(where, "m.ends_at <= "+arg(f.Now))
		order, cmp = "m.starts_at DESC, m.id DESC", "<"
	} else {
		where = append(where, "m.ends_at > "+arg(f.Now))
	}
	if p.After != "" {
		var at time.Time
		var id int64
		if err := db.ParseCursor(p.After, &at, &id); err != nil {
			return nil, "", err
		}
		where = append(where, fmt.Sprintf("(m.starts_at %s %s OR (m.starts_at = %s AND m.id %s %s))",
			cmp, arg(at), arg(at), cmp, arg(id)))
	}
	query := `SELECT ` + meetingColumns + meetingFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` LIMIT ` + arg(p.Size()+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("meetings: list: %w", err)
	}
	defer rows.Close()
	var list []Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, "", fmt.Errorf("meetings: list: %w", err)
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("meetings: list: %w", err)
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.StartsAt, last.ID)
	}
	return list, next, nil
}

// accountsByEmail finds the active accounts of emails (case-insensitive);
// an email no active account has is not in the map.
func accountsByEmail(ctx context.Context, q db.Querier, emails []string) (map[string]int64, error) {
	found := map[string]int64{}
	for _, email := range emails {
		var id int64
		err := q.QueryRowContext(ctx, `SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id
			WHERE LOWER(e.email) = $1 AND a.active = TRUE AND e.active = TRUE`, strings.ToLower(email)).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("meetings: invitee %s: %w", email, err)
		default:
			found[email] = id
		}
	}
	return found, nil
}
