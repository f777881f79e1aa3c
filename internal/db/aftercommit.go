package db

import (
	"database/sql"
	"sync"
)

// afterCommit holds, for each transaction Tx has open, what is to run once
// it commits. A rolled-back transaction's functions are dropped unrun.
type afterCommit struct {
	mu sync.Mutex
	m  map[*sql.Tx]*[]func()
}

func (a *afterCommit) open(tx *sql.Tx) *[]func() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[*sql.Tx]*[]func(){}
	}
	hooks := new([]func())
	a.m[tx] = hooks
	return hooks
}

func (a *afterCommit) close(tx *sql.Tx) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.m, tx)
}

// add appends fn to tx's list; false when Tx did not open tx.
func (a *afterCommit) add(tx *sql.Tx, fn func()) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	hooks, ok := a.m[tx]
	if ok {
		*hooks = append(*hooks, fn)
	}
	return ok
}

// AfterCommit runs fn once the transaction q commits, in the goroutine
// that committed it and before Tx or Group returns to the caller; not at all
// if it rolls back (in a Group, if this action is rolled back alone). q
// outside a transaction (a pool: each statement commits by itself) runs fn
// at once. fn must be quick and must not use the database: on SQLite the
// group committer runs it between batches.
func (d *DB) AfterCommit(q Querier, fn func()) {
	switch t := q.(type) {
	case *sql.Tx:
		if d.after.add(t, fn) {
			return
		}
	case groupTx:
		t.r.after = append(t.r.after, fn)
		return
	}
	fn()
}

func runHooks(hooks []func()) {
	for _, fn := range hooks {
		fn()
	}
}
