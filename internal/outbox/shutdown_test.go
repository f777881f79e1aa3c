package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
)

// slowGateway takes delay to accept a message (giving up when its context
// ends) and counts what it accepted, by address, and the sends it saw
// overlap for one address.
type slowGateway struct {
	delay   time.Duration
	started chan struct{} // closed at the first send
	once    sync.Once
	mu      sync.Mutex
	sent    map[string]int
	active  map[string]bool
	overlap int
}

func newSlowGateway(delay time.Duration) *slowGateway {
	return &slowGateway{delay: delay, started: make(chan struct{}), sent: map[string]int{}, active: map[string]bool{}}
}

func (g *slowGateway) Send(ctx context.Context, m outbox.Message) (string, error) {
	g.once.Do(func() { close(g.started) })
	g.mu.Lock()
	if g.active[m.Address] {
		g.overlap++
	}
	g.active[m.Address] = true
	g.mu.Unlock()
	defer func() { g.mu.Lock(); delete(g.active, m.Address); g.mu.Unlock() }()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(g.delay):
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sent[m.Address]++
	return "gw-" + m.Address, nil
}

func enqueueN(t *testing.T, d *db.DB, n int) {
	t.Helper()
	msgs := make([]outbox.Message, n)
	for i := range msgs {
		msgs[i] = outbox.Message{Channel: outbox.SMS, Address: fmt.Sprintf("+6281100%05d", i), Kind: "reply", Body: "halo"}
	}
	if err := outbox.Enqueue(context.Background(), d.W, msgs...); err != nil {
		t.Fatal(err)
	}
}

// byStatus counts the outbox's rows by status, and those pending with
// their attempt given back (attempts 0).
func byStatus(t *testing.T, d *db.DB) (map[string]int, int) {
	t.Helper()
	rows, err := d.R.Query(`SELECT status, attempts FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out, fresh := map[string]int{}, 0
	for rows.Next() {
		var s string
		var a int
		if err := rows.Scan(&s, &a); err != nil {
			t.Fatal(err)
		}
		out[s]++
		if s == outbox.Pending && a == 0 {
			fresh++
		}
	}
	return out, fresh
}

func TestWorkerStoppedFinishesAndRecordsItsBatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		enqueueN(t, d, 30)
		g := newSlowGateway(20 * time.Millisecond)
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
		w.Batch, w.Concurrency, w.Lanes = 10, 2, 1 // one batch in hand
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		<-g.started
		cancel() // SIGTERM while the first batch is being sent
		<-done
		st, fresh := byStatus(t, d)
		if st[outbox.Sent] != 10 || st[outbox.Sending] != 0 || st[outbox.Pending] != 20 || fresh != 20 {
			t.Errorf("after stopping: %v (%d pending untried), want the batch of 10 sent and 20 untried", st, fresh)
		}
		// The restart sends the rest, and nothing twice.
		for n, err := w.RunOnce(context.Background()); n > 0; n, err = w.RunOnce(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
		}
		if st, _ := byStatus(t, d); st[outbox.Sent] != 30 {
			t.Errorf("after the restart: %v, want all 30 sent", st)
		}
		for a, n := range g.sent {
			if n != 1 {
				t.Errorf("%s got %d messages, want 1", a, n)
			}
		}
		if len(g.sent) != 30 {
			t.Errorf("the gateway got %d addresses, want 30", len(g.sent))
		}
	})
}

func TestWorkerStoppingGivesBackWhatItHadNoTimeFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		enqueueN(t, d, 5)
		g := newSlowGateway(time.Hour) // a gateway that hangs
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
		w.Concurrency, w.Drain = 1, 50*time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		<-g.started
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the worker did not stop after its drain time")
		}
		// The send cut off counts as a failed try; the four not begun are
		// given back as they were.
		st, fresh := byStatus(t, d)
		if st[outbox.Pending] != 5 || fresh != 4 || st[outbox.Sending] != 0 {
			t.Errorf("after stopping: %v (%d untried), want 5 pending, 4 of them untried", st, fresh)
		}
	})
}

func TestWorkerLeaseShorterThanASendSendsNothingTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		enqueueN(t, d, 4)
		// Sends take 300 ms; the lease is 200 ms: each batch's sends are
		// cut off at 150 ms and recorded while the claim holds, so a
		// second worker never takes over a message still being sent.
		g := newSlowGateway(300 * time.Millisecond)
		newWorker := func() *outbox.Worker {
			w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
			w.Lease, w.Idle = 200*time.Millisecond, 5*time.Millisecond
			return w
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { newWorker().Run(ctx) })
		}
		wg.Wait()
		if g.overlap != 0 {
			t.Errorf("%d messages were being sent by two workers at once", g.overlap)
		}
		if len(g.sent) != 0 {
			t.Errorf("sends longer than the lease were taken as accepted: %v", g.sent)
		}
		st, fresh := byStatus(t, d)
		if st[outbox.Pending] != 4 || fresh != 0 {
			t.Errorf("after the cut-off sends: %v, want 4 pending with a failed try each (backing off)", st)
		}
	})
}

func TestWorkerRecordsABigBatchAndAReportThatCameFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		enqueueN(t, d, 650) // more than one recording statement holds
		var first, last int64
		if err := d.R.QueryRow(`SELECT MIN(id), MAX(id) FROM outbox`).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		// The gateway's delivery report of the first message comes back
		// before the worker records it. The last one's first part is
		// reported delivered, then its second part fails: it must be sent
		// again, not stay "delivered" with a part missing.
		g := senderFunc(func(ctx context.Context, m outbox.Message) (string, error) {
			if m.ID == first || m.ID == last {
				if err := outbox.Report(ctx, d.W, outbox.SMS, m.ID, true, ""); err != nil {
					return "", err
				}
			}
			if m.ID == last {
				return "", errors.New("part 2: 503 Service Unavailable")
			}
			return fmt.Sprintf("gw-%d", m.ID), nil
		})
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
		w.Batch = 700
		if n, err := w.RunOnce(ctx); n != 650 || err != nil {
			t.Fatalf("claimed %d, %v; want 650", n, err)
		}
		var sent, right int
		var status string
		if err := d.R.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN provider_id = 'gw-' || CAST(id AS TEXT)
			AND sent_at IS NOT NULL THEN 1 END) FROM outbox WHERE status = 'sent'`).Scan(&sent, &right); err != nil {
			t.Fatal(err)
		}
		if sent != 648 || right != 648 {
			t.Errorf("%d sent, %d with their gateway id and time; want 648 of each", sent, right)
		}
		if err := d.R.QueryRow(`SELECT status FROM outbox WHERE id = $1`, last).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != outbox.Pending {
			t.Errorf("the message whose later part failed is %s, want pending (to be sent again)", status)
		}
		if err := d.R.QueryRow(`SELECT status FROM outbox WHERE id = $1`, first).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != outbox.Delivered {
			t.Errorf("the message reported first is %s, want delivered", status)
		}
	})
}

// senderFunc is a Sender of a function.
type senderFunc func(ctx context.Context, m outbox.Message) (string, error)

func (f senderFunc) Send(ctx context.Context, m outbox.Message) (string, error) { return f(ctx, m) }
