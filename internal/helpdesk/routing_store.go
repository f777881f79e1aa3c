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

const ruleColumns = `id, position, category, app_id, agency_id, team_id`

func scanRule(row interface{ Scan(...any) error }) (RoutingRule, error) {
	var r RoutingRule
	var category sql.NullString
	var app, agency sql.NullInt64
	if err := row.Scan(&r.ID, &r.Position, &category, &app, &agency, &r.TeamID); err != nil {
		return r, err
	}
	if category.Valid {
		r.Category = &category.String
	}
	r.AppID, r.AgencyID = idPtr(app), idPtr(agency)
	return r, nil
}

// listRules reads the rules in the order they are tried.
func listRules(ctx context.Context, q db.Querier) ([]RoutingRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+` FROM routing_rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: rules: %w", err)
	}
	defer rows.Close()
	list := []RoutingRule{}
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("helpdesk: rules: %w", err)
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

func findRule(ctx context.Context, q db.Querier, id int64) (RoutingRule, error) {
	r, err := scanRule(q.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM routing_rules WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.New(errs.NotFound, "routing.not_found")
	}
	if err != nil {
		return r, fmt.Errorf("helpdesk: rule: %w", err)
	}
	return r, nil
}

func lastPosition(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM routing_rules`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("helpdesk: rule position: %w", err)
	}
	return n, nil
}

func insertRule(ctx context.Context, q db.Querier, r *RoutingRule, at time.Time) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO routing_rules (position, category, app_id, agency_id, team_id,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		r.Position, r.Category, r.AppID, r.AgencyID, r.TeamID, at)
	r.ID = id
	return err
}

func updateRule(ctx context.Context, q db.Querier, r RoutingRule, at time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE routing_rules SET position = $1, category = $2, app_id = $3, agency_id = $4,
		team_id = $5, updated_at = $6 WHERE id = $7`, r.Position, r.Category, r.AppID, r.AgencyID, r.TeamID, at, r.ID)
	return err
}

func defaultTeam(ctx context.Context, q db.Querier) (DefaultTeam, error) {
	var team int64
	err := q.QueryRowContext(ctx, `SELECT team_id FROM routing_default_team WHERE singleton = 1`).Scan(&team)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultTeam{}, nil
	}
	if err != nil {
		return DefaultTeam{}, fmt.Errorf("helpdesk: default team: %w", err)
	}
	return DefaultTeam{TeamID: &team}, nil
}

func setDefaultTeam(ctx context.Context, q db.Querier, team *int64) error {
	if team == nil {
		_, err := q.ExecContext(ctx, `DELETE FROM routing_default_team`)
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO routing_default_team (singleton, team_id) VALUES (1, $1)
		ON CONFLICT (singleton) DO UPDATE SET team_id = excluded.team_id`, *team)
	return err
}

// matchRule finds, in one query, the team a new ticket goes to: the first
// rule it matches (rule is its id), else the default team (rule 0);
// ok=false when neither exists.
func matchRule(ctx context.Context, q db.Querier, category string, app, agency *int64) (rule, team int64, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, team_id FROM (
		SELECT 0 AS k, position, id, team_id FROM routing_rules
		WHERE (category IS NULL OR category = $1) AND (app_id IS NULL OR app_id = $2)
		AND (agency_id IS NULL OR agency_id = $3)
		UNION ALL SELECT 1, 0, 0, team_id FROM routing_default_team) m
		ORDER BY k, position, id LIMIT 1`, category, app, agency).Scan(&rule, &team)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("helpdesk: routing: %w", err)
	}
	return rule, team, true, nil
}
