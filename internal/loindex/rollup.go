package loindex

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/period"
)

// RollupQuarters, RollupHalves and RollupYears are how many closed
// quarters, halves and years back the roll-up keeps: two years of trend
// of each kind.
const (
	RollupQuarters = 8
	RollupHalves   = 4
	RollupYears    = 2
)

// RollupJob keeps the index of closed periods (Rollup) every hour.
func (s *Service) RollupJob() jobs.Job {
	return jobs.Job{Name: "loindex.rollup", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.Rollup(ctx, now)
		return err
	}}
}

// Rollup computes and keeps the index of every closed quarter, half and
// year within reach (RollupQuarters, RollupHalves, RollupYears) not kept
// yet, and answers how many periods it kept. A period with no data at all
// is not kept, so a new installation's history fills in as data is
// imported. The rows are written with ON CONFLICT DO NOTHING in one
// transaction per period, so two nodes running it at once keep one
// set, whichever came first; a kept period is never recomputed, so
// history does not shift when people move between agencies later.
func (s *Service) Rollup(ctx context.Context, now time.Time) (int, error) {
	local := now.In(s.zone)
	var due []period.Period
	due = append(due, period.Of(local, period.Quarter).Previous().Last(RollupQuarters)...)
	due = append(due, period.Of(local, period.Half).Previous().Last(RollupHalves)...)
	due = append(due, period.Of(local, period.Year).Previous().Last(RollupYears)...)
	done := 0
	for _, p := range due {
		var n int
		if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM lo_index_rollups WHERE period = $1 AND agency_id = 0`,
			p.Label).Scan(&n); err != nil {
			return done, fmt.Errorf("lo index roll-up: %w", err)
		}
		if n > 0 {
			continue
		}
		c, err := s.compute(ctx, s.from(p, now), p, now)
		if err != nil {
			return done, err
		}
		if c.indexes[0].Index == nil {
			continue // nothing recorded yet: keep it open for data imported later
		}
		if err := s.keep(ctx, p, c); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// keep writes every index of c.
func (s *Service) keep(ctx context.Context, p period.Period, c cached) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, id := range append(append([]int64{}, c.order...), 0) {
			x := c.indexes[id]
			data, err := json.Marshal(x)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO lo_index_rollups (period, agency_id, value, data, computed_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (period, agency_id) DO NOTHING`,
				p.Label, id, x.Index, string(data), c.at.UTC()); err != nil {
				return fmt.Errorf("lo index roll-up %s: %w", p.Label, err)
			}
		}
		return s.db.Changes.Publish(ctx, tx, TopicKept, p.Label)
	})
}

// kept reads the kept indexes of period label from q; indexes is nil when
// the roll-up has not reached it.
func (s *Service) kept(ctx context.Context, q db.Querier, label string) (cached, error) {
	rows, err := q.QueryContext(ctx, `SELECT agency_id, data, computed_at FROM lo_index_rollups
		WHERE period = $1 ORDER BY agency_id`, label)
	if err != nil {
		return cached{}, fmt.Errorf("lo index: kept %s: %w", label, err)
	}
	defer rows.Close()
	var c cached
	for rows.Next() {
		var id int64
		var data string
		var at time.Time
		if err := rows.Scan(&id, &data, &at); err != nil {
			return cached{}, fmt.Errorf("lo index: kept %s: %w", label, err)
		}
		var x Index
		if err := json.Unmarshal([]byte(data), &x); err != nil {
			return cached{}, fmt.Errorf("lo index: kept %s of %d: %w", label, id, err)
		}
		if c.indexes == nil {
			c.indexes = map[int64]Index{}
		}
		c.indexes[id], c.at = x, at
		if id != 0 {
			c.order = append(c.order, id)
		}
	}
	if err := rows.Err(); err != nil {
		return cached{}, err
	}
	if _, city := c.indexes[0]; !city {
		return cached{}, nil // a roll-up cut short: compute instead
	}
	c.kept = true
	return c, nil
}

// keptOf reads the kept indexes of one agency (0: the city) for periods.
func (s *Service) keptOf(ctx context.Context, agencyID int64, periods []period.Period) (map[string]Index, error) {
	labels := make([]string, len(periods))
	for i, p := range periods {
		labels[i] = p.Label
	}
	in, args := db.InListFrom(2, labels)
	rows, err := s.db.Replica.QueryContext(ctx, `SELECT period, data FROM lo_index_rollups
		WHERE agency_id = $1 AND period IN (`+in+`)`, append([]any{agencyID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("lo index: trend: %w", err)
	}
	defer rows.Close()
	out := map[string]Index{}
	for rows.Next() {
		var label, data string
		if err := rows.Scan(&label, &data); err != nil {
			return nil, fmt.Errorf("lo index: trend: %w", err)
		}
		var x Index
		if err := json.Unmarshal([]byte(data), &x); err != nil {
			return nil, fmt.Errorf("lo index: trend %s: %w", label, err)
		}
		out[label] = x
	}
	return out, rows.Err()
}
