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
// two runs may fall within one interval. Then the node that takes the next
// tick hangs in the middle of its run and is stopped — a node dying
// mid-run — and the other must go on running the ticks.
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
		nodes := [2]*jobs.Runner{jobs.NewRunner(d), jobs.NewRunner(d2)}
		// After hang is set, the node that takes the next tick hangs in
		// it until it is stopped.
		var hang atomic.Bool
		stuck := make(chan int, 1)
		job := func(h *db.DB, i int) jobs.Job {
			return jobs.Job{Name: "tick", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
				if _, err := h.W.Exec(`INSERT INTO tick_log (node, at) VALUES ($1, $2)`, nodes[i].Node(), now.UnixMicro()); err != nil {
					return err
				}
				if hang.CompareAndSwap(true, false) {
					stuck <- i
					<-ctx.Done()
				}
				return nil
			}}
		}
		var stop [2]context.CancelFunc
		var wg sync.WaitGroup
		for i, h := range []*db.DB{d, d2} {
			nodes[i].Every = every // overriding the job's hour, as --jobs-every does
			ctx, cancel := context.WithCancel(context.Background())
			stop[i] = cancel
			wg.Go(func() { nodes[i].Run(ctx, []jobs.Job{job(h, i)}) })
		}
		time.Sleep(time.Second)
		hang.Store(true)
		var dead int
		select {
		case dead = <-stuck:
		case <-time.After(10 * time.Second):
			t.Fatal("no node took a tick in 10 s")
		}
		survivor := nodes[1-dead].Node()
		waitTicks(t, d, survivor, 5, time.Now()) // goes on while the other hangs
		stop[dead]()
		waitTicks(t, d, survivor, 5, time.Now()) // and after it stopped
		stop[1-dead]()
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
		// A node stopped in the very moment it took a tick may not have run it.
		if runs < len(ticks) || runs > len(ticks)+2 {
			t.Errorf("job_runs counts %d runs, the job logged %d", runs, len(ticks))
		}
		byNode := map[string]int{}
		for _, k := range ticks {
			byNode[k.node]++
		}
		t.Logf("%d ticks in %v: the node that hung ran %d, the other %d", len(ticks),
			ticks[len(ticks)-1].at.Sub(ticks[0].at).Round(time.Millisecond), byNode[nodes[dead].Node()], byNode[survivor])
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
