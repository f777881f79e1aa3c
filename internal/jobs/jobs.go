// Package jobs runs the server's background work on a schedule: the help
// desk's breach detection, closing LAPOR! complaints nobody answered, and
// whatever later capabilities need done without a request.
//
// Every node of a deployment runs a Runner over the shared database, and
// each tick of a job runs on one node only: the nodes take ticks through
// the job's row in job_runs (see claim). A job must still be safe to run
// twice at once — a tick that outlasts its interval overlaps the next one,
// possibly on another node — so it records what it has done in the
// database (a unique row, a conditional UPDATE) in the same transaction as
// the work itself.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Job is one piece of scheduled work.
type Job struct {
	Name  string        // for the log, and the job's row in job_runs
	Every time.Duration // the pause between runs
	// Run does the work due at now. An error is logged and the job runs
	// again at its next tick: a passing database hiccup must not stop it.
	Run func(ctx context.Context, now time.Time) error
}

// Runner runs jobs on one node. Runners on several nodes (or several
// processes) over one database run each tick of a job once between them.
type Runner struct {
	db   *db.DB
	node string
	// Every, when not zero, replaces every job's own interval: for tests
	// and demos that cannot wait an hour (--jobs-every).
	Every time.Duration
}

// NewRunner returns a runner over d with a node id of its own.
func NewRunner(d *db.DB) *Runner { return &Runner{db: d, node: NodeID()} }

// Node is the id the runner records in job_runs.holder.
func (r *Runner) Node() string { return r.node }

// NodeID names this process among the nodes: the host, the process id and
// a random part, so that two processes on one host, or a restarted one that
// got the same pid, are told apart.
func NodeID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Run runs each job at its first free tick and then once every job.Every
// across the nodes, until ctx ends, and returns when every job has stopped.
func (r *Runner) Run(ctx context.Context, list []Job) {
	slog.Info("jobs started", "node", r.node, "jobs", len(list), "every", r.Every)
	var wg sync.WaitGroup
	for _, j := range list {
		if r.Every > 0 {
			j.Every = r.Every
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.loop(ctx, j)
		}()
	}
	wg.Wait()
}

// minWait keeps a node that lost a tick from asking again at once.
const minWait = 5 * time.Millisecond

// loop tries to take each tick of j; the node that takes it runs it, and
// every node sleeps until the next one is due.
func (r *Runner) loop(ctx context.Context, j Job) {
	for {
		now := time.Now().UTC().Truncate(time.Microsecond) // as PostgreSQL stores it
		next, won, err := claim(ctx, r.db, j.Name, r.node, now, j.Every)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				slog.Error("job: taking its tick failed", "job", j.Name, "err", err)
			}
			// Try again soon: a database that was away a moment (a
			// failover, a long lock) must not cost an hourly job its hour.
			next = now.Add(min(j.Every, time.Minute))
		case won:
			runErr := runOnce(ctx, j, now)
			if ctx.Err() != nil {
				// Stopped in the middle: the row says so as it would for
				// a node that died (started, not finished).
				return
			}
			if err := finish(ctx, r.db, j.Name, r.node, now, runErr); err != nil {
				slog.Error("job: recording its run failed", "job", j.Name, "err", err)
			}
		}
		wait := min(max(time.Until(next), minWait), j.Every)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// runOnce runs the job and logs its failure; a panic in one job is logged
// too and does not bring the server down. It returns the failure for the
// job's row.
func runOnce(ctx context.Context, j Job, now time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("job panicked", "job", j.Name, "panic", p)
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	if err = j.Run(ctx, now); err != nil && ctx.Err() == nil {
		slog.Error("job failed", "job", j.Name, "err", err)
	}
	return err
}
