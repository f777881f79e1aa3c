package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Changes carries word of a change to every node that shares the database,
// for what each keeps in memory (cached API tokens, computed indexes). A
// change publishes an event — a topic and a key, "auth.account" and "17" —
// in the transaction that makes it; once that transaction commits, every
// node's subscribers to the topic drop what the key names: this node's
// before the call that committed returns, the other nodes' on PostgreSQL
// through NOTIFY, which the server delivers on commit and never for a
// transaction rolled back. Each node listens on one connection of its own
// (Listen); when it has to reconnect, its subscribers flush everything,
// since events may have come while nobody listened. SQLite serves one node,
// so there the events stay in the process.
type Changes struct {
	d    *DB
	node string // this process, so that it skips its own events

	mu        sync.Mutex
	subs      []subscription
	listening chan struct{} // closed once the first LISTEN is in place
	connected bool          // a LISTEN is in place now (see Connected)
	stopped   bool          // the database closed: Listen starts nothing
	cancel    context.CancelFunc
	done      chan struct{} // closed when the listener has ended
}

type subscription struct {
	topics []string
	drop   func(topic, key string)
	flush  func()
}

// maxChangeKey bounds a key: NOTIFY carries at most 8,000 bytes.
const maxChangeKey = 1000

func withChanges(d *DB) *DB {
	var b [8]byte
	_, _ = rand.Read(b[:])
	d.Changes = &Changes{d: d, node: hex.EncodeToString(b[:]), listening: make(chan struct{})}
	return d
}

// Subscribe has drop called with every event of topics, from this node or
// another, after its transaction commits, and flush when events may have
// been missed (the listener reconnected): drop what the key names, flush
// everything. Both must be quick and must not use the database. Subscribe
// before serving.
func (c *Changes) Subscribe(topics []string, drop func(topic, key string), flush func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subs = append(c.subs, subscription{topics: topics, drop: drop, flush: flush})
}

// Publish tells every node, once the transaction q commits, that what
// topic and key name has changed. q should be the transaction making the
// change (through Tx or Group): outside one the event goes at once.
func (c *Changes) Publish(ctx context.Context, q Querier, topic, key string) error {
	if topic == "" || strings.ContainsAny(topic, " \n") || len(key) > maxChangeKey {
		return fmt.Errorf("db: bad change event %q %q", topic, key)
	}
	if c.d.Engine() == Postgres {
		if _, err := q.ExecContext(ctx, `SELECT pg_notify(`+changesChannel+`, $1)`,
			c.node+" "+topic+" "+key); err != nil {
			return fmt.Errorf("db: publish %s: %w", topic, err)
		}
	}
	c.d.AfterCommit(q, func() { c.deliver(topic, key) })
	return nil
}

// changesChannel is the NOTIFY channel, one per schema so that schemas
// sharing a database (tests, several cities) do not hear each other; a
// channel name has at most 63 bytes.
const changesChannel = `'lontara.' || left(COALESCE(current_schema(), ''), 50)`

// deliver hands an event to the subscribers of its topic.
func (c *Changes) deliver(topic, key string) {
	for _, s := range c.subscribers() {
		if slices.Contains(s.topics, topic) {
			s.drop(topic, key)
		}
	}
}

// flushAll has every subscriber drop everything.
func (c *Changes) flushAll() {
	for _, s := range c.subscribers() {
		s.flush()
	}
}

func (c *Changes) subscribers() []subscription {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.subs)
}

// receive delivers a notification's payload unless it is this node's own,
// delivered already at its commit.
func (c *Changes) receive(payload string) {
	node, rest, ok := strings.Cut(payload, " ")
	if !ok || node == c.node {
		return
	}
	topic, key, _ := strings.Cut(rest, " ")
	c.deliver(topic, key)
}

// Node is this process's id among the nodes: its events carry it, and its
// listening connection's application_name ("lontara changes NODE") shows it
// in pg_stat_activity.
func (c *Changes) Node() string { return c.node }

// Listening is closed once this node listens for the others' events.
func (c *Changes) Listening() <-chan struct{} { return c.listening }

// Connected reports whether this node listens for the others' events now:
// false while its listener reconnects, and before Listen. While it is
// false what the node keeps in memory ages out only by its own time limits
// (/healthz and /metrics show it to the operator).
func (c *Changes) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected
}

// Listen starts listening for the other nodes' events in the background,
// until the database is closed. It does nothing on SQLite (one node) or
// when called again.
func (c *Changes) Listen() {
	if c.d.Engine() != Postgres {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil || c.stopped {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel, c.done = cancel, make(chan struct{})
	go func() {
		defer close(c.done)
		c.listen(ctx)
	}()
}

// stop ends the listener, if any, and waits for it.
func (c *Changes) stop() {
	c.mu.Lock()
	c.stopped = true
	cancel, done := c.cancel, c.done
	c.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}
