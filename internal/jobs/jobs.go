// Package jobs runs the server's background work on a schedule: the help
// desk's breach detection, closing LAPOR! complaints nobody answered, and
// whatever later capabilities need done without a request.
//
// Every node of a deployment runs every job, so a job must be safe to run
// twice at once: it records what it has done in the database (a unique row,
// a conditional UPDATE) in the same transaction as the work itself.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Job is one piece of scheduled work.
type Job struct {
	Name  string        // for the log
	Every time.Duration // the pause between runs
	// Run does the work due at now. An error is logged and the job runs
	// again at its next tick: a passing database hiccup must not stop it.
	Run func(ctx context.Context, now time.Time) error
}

// Run runs each job at once and then every job.Every until ctx ends, and
// returns when every job has stopped.
func Run(ctx context.Context, list []Job) {
	var wg sync.WaitGroup
	for _, j := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loop(ctx, j)
		}()
	}
	wg.Wait()
}

func loop(ctx context.Context, j Job) {
	tick := time.NewTicker(j.Every)
	defer tick.Stop()
	for {
		runOnce(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// runOnce runs the job and logs its failure; a panic in one job is logged
// too and does not bring the server down.
func runOnce(ctx context.Context, j Job) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("job panicked", "job", j.Name, "panic", p)
		}
	}()
	if err := j.Run(ctx, time.Now().UTC()); err != nil && ctx.Err() == nil {
		slog.Error("job failed", "job", j.Name, "err", err)
	}
}
