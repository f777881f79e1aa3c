package org

import (
	"context"
	"fmt"
)

// ListUnits returns the units of an agency by name, for forms.
func (s *Service) ListUnits(ctx context.Context, agencyID int64) ([]Unit, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, agency_id, name, created_at FROM units
		WHERE agency_id = $1 ORDER BY name, id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("org: list units: %w", err)
	}
	defer rows.Close()
	list := []Unit{}
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.ID, &u.AgencyID, &u.Name, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("org: list units: %w", err)
		}
		u.CreatedAt = u.CreatedAt.UTC()
		list = append(list, u)
	}
	return list, rows.Err()
}

// ListPositions returns the positions held in an agency by name (every
// position of the city when agencyID is 0), for forms.
func (s *Service) ListPositions(ctx context.Context, agencyID int64) ([]Position, error) {
	query := `SELECT id, name, created_at FROM positions ORDER BY name, id`
	var args []any
	if agencyID != 0 {
		query = `SELECT id, name, created_at FROM positions p WHERE EXISTS
			(SELECT 1 FROM employees e WHERE e.position_id = p.id AND e.agency_id = $1) ORDER BY name, id`
		args = append(args, agencyID)
	}
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("org: list positions: %w", err)
	}
	defer rows.Close()
	list := []Position{}
	for rows.Next() {
		var p Position
		if err := rows.Scan(&p.ID, &p.Name, &p.CreatedAt); err != nil {
			return nil, fmt.Errorf("org: list positions: %w", err)
		}
		p.CreatedAt = p.CreatedAt.UTC()
		list = append(list, p)
	}
	return list, rows.Err()
}
