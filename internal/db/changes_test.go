package db_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// heard records the events and flushes one node's subscriber got.
type heard struct {
	mu      sync.Mutex
	events  []string
	flushes int
}

func listenTo(d *db.DB, topics ...string) *heard {
	h := &heard{}
	d.Changes.Subscribe(topics, func(topic, key string) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.events = append(h.events, topic+" "+key)
	}, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.flushes++
	})
	return h
}

func (h *heard) got() ([]string, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.events), h.flushes
}

func (h *heard) has(event string) bool {
	ev, _ := h.got()
	return slices.Contains(ev, event)
}

// waitUntil polls cond until it holds, failing the test after a bounded wait.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// twoNodes opens the database twice, as two lontara nodes would, and has
// the second listen.
func twoNodes(t *testing.T, engine db.Engine) (a, b *db.DB) {
	t.Helper()
	nodes := dbtest.Nodes(t, engine, 2)
	a, b = nodes[0], nodes[1]
	b.Changes.Listen()
	if engine == db.Postgres {
		select {
		case <-b.Changes.Listening():
		case <-time.After(10 * time.Second):
			t.Fatal("node B is not listening after 10s")
		}
	}
	return a, b
}

func publish(t *testing.T, d *db.DB, key string, fail bool) {
	t.Helper()
	errFail := errors.New("rolled back")
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		if err := d.Changes.Publish(context.Background(), tx, "test.thing", key); err != nil {
			return err
		}
		if fail {
			return errFail
		}
		return nil
	})
	if fail != errors.Is(err, errFail) || !fail && err != nil {
		t.Fatalf("publish %s: %v", key, err)
	}
}

func TestChangesReachThisNodeAtCommitAndNeverOnRollback(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := listenTo(d, "test.thing")
		other := listenTo(d, "test.other")
		publish(t, d, "1", false)
		if ev, _ := h.got(); !slices.Equal(ev, []string{"test.thing 1"}) {
			t.Fatalf("after the commit returned, heard %v, want the event", ev)
		}
		publish(t, d, "2", true)
		if ev, _ := h.got(); len(ev) != 1 {
			t.Fatalf("a rolled-back event was delivered: %v", ev)
		}
		if ev, _ := other.got(); len(ev) != 0 {
			t.Fatalf("another topic's subscriber heard %v", ev)
		}
		// Group: each action's events go with its own fate.
		var wg sync.WaitGroup
		for i, fail := range []bool{false, true, false} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = d.Group(context.Background(), func(ctx context.Context, tx db.Querier) error {
					if err := d.Changes.Publish(ctx, tx, "test.thing", "g"+string(rune('0'+i))); err != nil {
						return err
					}
					if fail {
						return errors.New("rolled back")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if !h.has("test.thing g0") || !h.has("test.thing g2") || h.has("test.thing g1") {
			ev, _ := h.got()
			t.Fatalf("group events: %v, want g0 and g2 only", ev)
		}
	})
}

func TestChangesReachTheOtherNodesOnCommitOnly(t *testing.T) {
	a, b := twoNodes(t, db.Postgres)
	onA, onB := listenTo(a, "test.thing"), listenTo(b, "test.thing")
	publish(t, a, "gone", true)
	publish(t, a, "1", false)
	waitUntil(t, "node B to hear the committed event", func() bool { return onB.has("test.thing 1") })
	// Notifications arrive in commit order: B has heard all there is.
	if onB.has("test.thing gone") {
		t.Fatal("node B heard the event of a rolled-back transaction")
	}
	// B delivers its own event at commit and skips it when it comes back;
	// A does not listen here, so it hears only its own.
	publish(t, b, "2", false)
	waitUntil(t, "node B's own event", func() bool { return onB.has("test.thing 2") })
	if ev, _ := onA.got(); !slices.Equal(ev, []string{"test.thing 1"}) {
		t.Fatalf("node A heard %v", ev)
	}
	if ev, _ := onB.got(); !slices.Equal(ev, []string{"test.thing 1", "test.thing 2"}) {
		t.Fatalf("node B heard %v (its own event twice?)", ev)
	}
}

// TestChangesListenerReconnectsAndFlushes: a listener whose connection is
// cut says so (Connected, which /healthz and /metrics show) while it waits
// to reconnect, then reconnects, flushes and hears events again.
func TestChangesListenerReconnectsAndFlushes(t *testing.T) {
	a, b := twoNodes(t, db.Postgres)
	onB := listenTo(b, "test.thing")
	_, before := onB.got()
	waitUntil(t, "the listener to say it is connected", b.Changes.Connected)
	var n int
	if err := a.W.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`,
		"lontara changes "+b.Changes.Node()).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminated %d listeners: %v", n, err)
	}
	// It waits 100 ms before it connects again.
	waitUntil(t, "the cut listener to say it is not connected", func() bool { return !b.Changes.Connected() })
	waitUntil(t, "the listener to reconnect and flush", func() bool { _, f := onB.got(); return f > before })
	if !b.Changes.Connected() {
		t.Error("the listener flushed but says it is not connected")
	}
	publish(t, a, "after", false)
	waitUntil(t, "node B to hear events again", func() bool { return onB.has("test.thing after") })
}
