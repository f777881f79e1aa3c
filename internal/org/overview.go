package org

import (
	"context"
	"fmt"
	"strings"
)

// CountPeople returns how many active people each of the agencies has, in
// one GROUP BY query, for the agencies list. Agencies without anyone are
// missing from the map (zero).
func (s *Service) CountPeople(ctx context.Context, agencyIDs []int64) (map[int64]int, error) {
	counts := map[int64]int{}
	if len(agencyIDs) == 0 {
		return counts, nil
	}
	in, args := idList(agencyIDs)
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
	in, args := idList(ids)
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

// idList returns "$1, $2, …" and the ids as arguments, for an IN list. The
// callers pass at most a page of ids, well under either engine's limit.
func idList(ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = fmt.Sprintf("$%d", i+1)
		args[i] = id
	}
	return strings.Join(marks, ", "), args
}
