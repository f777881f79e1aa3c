package jobs_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/jobs"
)

func TestRunKeepsRunningAfterFailuresAndPanicsUntilCancelled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		var failing, panicking atomic.Int32
		done := make(chan struct{})
		go func() {
			jobs.NewRunner(d).Run(ctx, []jobs.Job{
				{Name: "fails", Every: time.Millisecond, Run: func(context.Context, time.Time) error {
					failing.Add(1)
					return errors.New("database hiccup")
				}},
				{Name: "panics", Every: time.Millisecond, Run: func(context.Context, time.Time) error {
					panicking.Add(1)
					panic("bug")
				}},
			})
			close(done)
		}()
		deadline := time.Now().Add(10 * time.Second)
		for failing.Load() < 3 || panicking.Load() < 3 {
			if time.Now().After(deadline) {
				t.Fatalf("jobs stopped: failing ran %d times, panicking %d", failing.Load(), panicking.Load())
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after the context ended")
		}
		for name, want := range map[string]string{"fails": "database hiccup", "panics": "panic: bug"} {
			var got string
			if err := d.R.QueryRow(`SELECT last_error FROM job_runs WHERE name = $1`, name).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: last_error %q, want %q", name, got, want)
			}
		}
	})
}

// TestEachTickRunsOnceAcrossNodes runs one job on two runners over two
// handles of one database, as two nodes (on SQLite, as two processes on
// one file would). Every run is logged in a table at its tick's time: no
// two runs may fall within one interval. Then one node hangs in the middle
// of a run and is stopped — a node dying mid-run — and the other must go
// on running the ticks.
func TestEachTickRunsOnceAcrossNodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		d2, err := db.Open(context.Background(), d.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer d2.Close()
		if _, err := d.W.Exec(`CREATE TABLE tick_log (node TEXT NOT NULL, at BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		const every = 50 * time.Millisecond
		var hung atomic.Bool // node a has hung in a run
		a, b := jobs.NewRunner(d), jobs.NewRunner(d2)
		a.Every, b.Every = every, every // overriding the job's hour, as --jobs-every does
		job := func(h *db.DB, node string) jobs.Job {
			return jobs.Job{Name: "tick", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
				if _, err := h.W.Exec(`INSERT INTO tick_log (node, at) VALUES ($1, $2)`, node, now.UnixMicro()); err != nil {
					return err
				}
				if node == a.Node() && hung.Load() {
					<-ctx.Done() // hangs until its node ends
				}
				return nil
			}}
		}
		ctxA, stopA := context.WithCancel(context.Background())
		ctxB, stopB := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { a.Run(ctxA, []jobs.Job{job(d, a.Node())}) })
		wg.Go(func() { b.Run(ctxB, []jobs.Job{job(d2, b.Node())}) })
		time.Sleep(time.Second)
		hung.Store(true)
		hangAt := time.Now()
		waitTicks(t, d, a.Node(), 1, hangAt) // a is stuck in a run
		hangAt = time.Now()
		waitTicks(t, d, b.Node(), 5, hangAt) // b goes on meanwhile
		stopA()
		stopAt := time.Now()
		waitTicks(t, d, b.Node(), 5, stopAt)
		stopB()
		wg.Wait()

		ticks := readTicks(t, d)
		for i := 1; i < len(ticks); i++ {
			if gap := ticks[i].at.Sub(ticks[i-1].at); gap < every {
				t.Errorf("runs %d (%s) and %d (%s) only %v apart: a tick ran twice", i-1, ticks[i-1].node, i, ticks[i].node, gap)
			}
		}
		var runs int
		if err := d.R.QueryRow(`SELECT runs FROM job_runs WHERE name = 'tick'`).Scan(&runs); err != nil {
			t.Fatal(err)
		}
		if runs != len(ticks) {
			t.Errorf("job_runs counts %d runs, the job logged %d", runs, len(ticks))
		}
		byNode := map[string]int{}
		for _, k := range ticks {
			byNode[k.node]++
		}
		t.Logf("%d ticks in %v: node a ran %d, node b %d", len(ticks), ticks[len(ticks)-1].at.Sub(ticks[0].at).Round(time.Millisecond),
			byNode[a.Node()], byNode[b.Node()])
	})
}

type tick struct {
	node string
	at   time.Time
}

func readTicks(t *testing.T, d *db.DB) []tick {
	t.Helper()
	rows, err := d.R.Query(`SELECT node, at FROM tick_log ORDER BY at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var list []tick
	for rows.Next() {
		var k tick
		var at int64
		if err := rows.Scan(&k.node, &at); err != nil {
			t.Fatal(err)
		}
		k.at = time.UnixMicro(at)
		list = append(list, k)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}

// waitTicks waits until node has run n ticks since since, for at most 10 s.
func waitTicks(t *testing.T, d *db.DB, node string, n int, since time.Time) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var got int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tick_log WHERE node = $1 AND at >= $2`, node, since.UnixMicro()).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
	}
	t.Fatalf("node %s did not run %d ticks in 10 s", node, n)
}
