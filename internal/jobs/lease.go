package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// claim tries to take the tick of job name due at now for node: one
// conditional UPDATE moves the job's next_at from the past to now+every,
// and only one node's UPDATE can find it in the past — PostgreSQL makes a
// concurrent one wait for the first to commit and then re-checks the
// condition on the new row; SQLite runs writers one at a time, across
// processes too. The node that took the tick (won) runs the job. next is
// when the following tick falls due, which every node sleeps until. A node
// that dies mid-run leaves next_at already moved on, so the next tick is
// free for any node.
//
// The times are each node's own clock, so the nodes' clocks must agree
// (NTP), as sessions and the outbox's leases need too. A changed interval
// takes effect after the tick already scheduled.
func claim(ctx context.Context, d *db.DB, name, node string, now time.Time, every time.Duration) (next time.Time, won bool, err error) {
	next = now.Add(every)
	res, err := d.W.ExecContext(ctx, `UPDATE job_runs SET next_at = $1, holder = $2, runs = runs + 1, last_started_at = $3
		WHERE name = $4 AND next_at <= $3`, next, node, now, name)
	if err != nil {
		return next, false, fmt.Errorf("jobs: claim %s: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return next, n == 1, err
	}
	err = d.R.QueryRowContext(ctx, `SELECT next_at FROM job_runs WHERE name = $1`, name).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		// A job no node has run yet: its row is made, due now, and the
		// node asks again at once.
		_, err = d.W.ExecContext(ctx, `INSERT INTO job_runs (name, next_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			name, now)
		return now, false, err
	}
	if err != nil {
		return now.Add(every), false, fmt.Errorf("jobs: next tick of %s: %w", name, err)
	}
	return next.UTC(), false, nil
}

// maxError bounds the failure kept in job_runs.last_error.
const maxError = 1000

// finish records how node's run of the tick it took at started ended,
// unless another node has taken a later tick since.
func finish(ctx context.Context, d *db.DB, name, node string, started time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
		if len(msg) > maxError {
			msg = strings.ToValidUTF8(msg[:maxError], "")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := d.W.ExecContext(ctx, `UPDATE job_runs SET last_finished_at = $1, last_error = $2
		WHERE name = $3 AND holder = $4 AND last_started_at = $5`, time.Now().UTC(), msg, name, node, started)
	return err
}
