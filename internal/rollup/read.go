package rollup

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/period"
)

// Counts are a figure's counters summed (see the figures for what n, m
// and k hold).
type Counts struct{ N, M, K int64 }

// Sums are the figures of a period per figure and agency (0: rows of no
// agency, which count for the whole only).
type Sums map[string]map[int64]Counts

// Read sums every figure over the days of p, and the states as they are,
// through q. Call Refresh first for figures as of now.
func (s *Service) Read(ctx context.Context, q db.Querier, p period.Period) (Sums, error) {
	rows, err := q.QueryContext(ctx, `SELECT figure, agency_id, CAST(SUM(n) AS BIGINT), CAST(SUM(m) AS BIGINT), CAST(SUM(k) AS BIGINT) FROM rollup_days
		WHERE (day >= $1 AND day < $2) OR day = '' GROUP BY figure, agency_id`, s.Day(p.Start), s.Day(p.End))
	if err != nil {
		return nil, fmt.Errorf("rollup: read %s: %w", p.Label, err)
	}
	defer rows.Close()
	out := Sums{}
	for rows.Next() {
		var figure string
		var agency int64
		var c Counts
		if err := rows.Scan(&figure, &agency, &c.N, &c.M, &c.K); err != nil {
			return nil, fmt.Errorf("rollup: read %s: %w", p.Label, err)
		}
		if out[figure] == nil {
			out[figure] = map[int64]Counts{}
		}
		out[figure][agency] = c
	}
	return out, rows.Err()
}
