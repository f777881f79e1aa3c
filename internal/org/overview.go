package org

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
)

// CountPeople returns how many active people each of the agencies has, in
// one GROUP BY query, for the agencies list. Agencies without anyone are
// missing from the map (zero).
func (s *Service) CountPeople(ctx context.Context, agencyIDs []int64) (map[int64]int, error) {
	counts := map[int64]int{}
	if len(agencyIDs) == 0 {
		return counts, nil
	}
	in, args := db.InList(agencyIDs)
	rows, err := s.db.R.QueryContext(ctx, `SELECT agency_id, COUNT(*) FROM employees
		WHERE active = TRUE AND agency_id IN (`+in+`) GROUP BY agency_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("org: count people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("org: count people: %w", err)
		}
		counts[id] = n
	}
	return counts, rows.Err()
}

// AgenciesByID returns the agencies with the ids that exist, by id, in one
// query: the parents named in a list page.
func (s *Service) AgenciesByID(ctx context.Context, ids []int64) (map[int64]Agency, error) {
	found := map[int64]Agency{}
	if len(ids) == 0 {
		return found, nil
	}
	in, args := db.InList(ids)
	rows, err := s.db.R.QueryContext(ctx, agencySelect+" WHERE id IN ("+in+")", args...)
	if err != nil {
		return nil, fmt.Errorf("org: read agencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("org: read agencies: %w", err)
		}
		found[a.ID] = a
	}
	return found, rows.Err()
}
