package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

const shiftColumns = `s.id, s.team_id, s.account_id, COALESCE(e.name, ''), s.starts_at, s.ends_at`

const shiftFrom = ` FROM team_shifts s JOIN accounts a ON a.id = s.account_id LEFT JOIN employees e ON e.id = a.employee_id`

func scanShift(row interface{ Scan(...any) error }) (Shift, error) {
	var sh Shift
	err := row.Scan(&sh.ID, &sh.TeamID, &sh.AccountID, &sh.Name, &sh.StartsAt, &sh.EndsAt)
	sh.StartsAt, sh.EndsAt = sh.StartsAt.UTC(), sh.EndsAt.UTC()
	return sh, err
}

func findShift(ctx context.Context, q db.Querier, id int64) (Shift, error) {
	sh, err := scanShift(q.QueryRowContext(ctx, `SELECT `+shiftColumns+shiftFrom+` WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, errs.New(errs.NotFound, "roster.not_found")
	}
	if err != nil {
		return sh, fmt.Errorf("helpdesk: shift: %w", err)
	}
	return sh, nil
}

// shifts reads the shifts overlapping [from, to), of one team or (team
// nil) of all, by start. No shift is longer than maxShift, so only those
// starting after from - maxShift are looked at: an index range.
func shifts(ctx context.Context, q db.Querier, team *int64, from, to time.Time) ([]Shift, error) {
	c := &conds{}
	c.where = append(c.where, "s.starts_at < "+c.arg(to), "s.starts_at > "+c.arg(from.Add(-maxShift)),
		"s.ends_at > "+c.arg(from))
	if team != nil {
		c.where = append(c.where, "s.team_id = "+c.arg(*team))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+shiftColumns+shiftFrom+c.sql()+` ORDER BY s.starts_at, e.name, s.id`,
		c.args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: shifts: %w", err)
	}
	defer rows.Close()
	list := []Shift{}
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, fmt.Errorf("helpdesk: shifts: %w", err)
		}
		list = append(list, sh)
	}
	return list, rows.Err()
}

// lockMember touches the member's row of the team, which both tells
// whether they are a member and, on PostgreSQL, locks the row until the
// transaction ends; it returns their name.
func lockMember(ctx context.Context, tx *sql.Tx, team, account int64) (string, bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE team_members SET lead = lead WHERE team_id = $1 AND account_id = $2`,
		team, account)
	if err != nil {
		return "", false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", false, err
	}
	var name string
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(e.name, '') FROM accounts a LEFT JOIN employees e
		ON e.id = a.employee_id WHERE a.id = $1`, account).Scan(&name)
	return name, err == nil, err
}

// overlapping reports whether the member already has a shift in the team
// that overlaps sh.
func overlapping(ctx context.Context, tx *sql.Tx, sh Shift) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM team_shifts WHERE team_id = $1 AND account_id = $2
		AND starts_at < $3 AND ends_at > $4`, sh.TeamID, sh.AccountID, sh.EndsAt, sh.StartsAt).Scan(&n)
	return n > 0, err
}

func insertShift(ctx context.Context, q db.Querier, sh *Shift, at time.Time) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO team_shifts (team_id, account_id, starts_at, ends_at, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, sh.TeamID, sh.AccountID, sh.StartsAt, sh.EndsAt, at)
	sh.ID = id
	return err
}

// leastRecent finds the agent of team on duty at the time at who was given
// a ticket least recently (or never). Only active accounts that still work
// the help desk are picked.
func leastRecent(ctx context.Context, q db.Querier, team int64, at time.Time) (int64, bool, error) {
	var agent int64
	err := q.QueryRowContext(ctx, `SELECT s.account_id FROM team_shifts s
		JOIN accounts a ON a.id = s.account_id AND a.active = TRUE
		LEFT JOIN team_rotation r ON r.team_id = s.team_id AND r.account_id = s.account_id
		WHERE s.team_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2 AND s.starts_at > $3
		AND EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = s.account_id
			AND g.role IN (`+deskRolesIn(4)+`))
		ORDER BY CASE WHEN r.last_assigned_at IS NULL THEN 0 ELSE 1 END, r.last_assigned_at, s.account_id
		LIMIT 1`, deskRoleArgs(team, at, at.Add(-maxShift))...).Scan(&agent)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("helpdesk: on duty: %w", err)
	}
	return agent, true, nil
}

// newestTurn reads the time of the latest turn taken in team (nil: none).
func newestTurn(ctx context.Context, q db.Querier, team int64) (*time.Time, error) {
	var last time.Time
	err := q.QueryRowContext(ctx, `SELECT last_assigned_at FROM team_rotation WHERE team_id = $1
		ORDER BY last_assigned_at DESC LIMIT 1`, team).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("helpdesk: round-robin: %w", err)
	}
	last = last.UTC()
	return &last, nil
}

// recordTurn records that agent of team was given a ticket at the time at.
func recordTurn(ctx context.Context, tx db.Querier, team, agent int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO team_rotation (team_id, account_id, last_assigned_at)
		VALUES ($1, $2, $3) ON CONFLICT (team_id, account_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at`,
		team, agent, at)
	if err != nil {
		return fmt.Errorf("helpdesk: round-robin: %w", err)
	}
	return nil
}
