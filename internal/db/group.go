package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxGroup bounds how many actions share one group transaction, so one
// commit never waits behind an unbounded queue.
const maxGroup = 64

// Group runs fn like Tx, but on SQLite in a transaction shared with the other
// Group calls waiting at the same moment (group commit). SQLite has one
// writer, and a commit costs more than a small insert: writing the same
// index pages into the WAL once for a whole group instead of once per action
// is what lets a burst of tickets through. Each action runs inside its own
// SAVEPOINT, so one that fails is rolled back alone and the others commit;
// Group returns only after the commit that holds fn's writes, and returns
// the commit's error if that commit fails, so an acknowledged action is
// committed.
//
// fn receives a context that is not cancelled with the caller's: on SQLite
// an interrupted statement rolls back the whole shared transaction. A caller
// that gives up before its turn is dropped without running.
//
// fn must only touch the database, and only through tx: it may run after
// other callers' actions in the same transaction, and anything it does
// outside it cannot be undone. It must not call Tx or Group (nor use W):
// the committer holds the writer's one connection while fn runs, so such a
// call would wait for itself.
// On PostgreSQL, where many connections write at once and the server groups
// commits itself, Group is Tx.
func (d *DB) Group(ctx context.Context, fn func(ctx context.Context, tx Querier) error) error {
	if d.Engine() != SQLite {
		return d.Tx(ctx, func(tx *sql.Tx) error { return fn(ctx, tx) })
	}
	req := &groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	d.group.start.Do(func() {
		d.group.queue = make(chan *groupReq, maxGroup)
		d.group.quit = make(chan struct{})
		d.group.stopped = make(chan struct{})
		go d.commitLoop()
	})
	if d.group.queue == nil { // closed before any action
		return errClosed
	}
	select {
	case d.group.queue <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-d.group.quit:
		return errClosed
	}
	// Once queued, wait for the answer even if ctx ends: the action may
	// already be part of a transaction about to commit.
	var err error
	select {
	case err = <-req.done:
	case <-d.group.stopped: // closed: the action ran before the end, or never will
		select {
		case err = <-req.done:
		default:
			err = errClosed
		}
	}
	var p panicked
	if errors.As(err, &p) {
		panic(p.value)
	}
	return err
}

var errClosed = errors.New("db: closed")

// groupCommit is the state of the SQLite group committer: one goroutine that
// runs the queued actions batch by batch on the writer connection.
type groupCommit struct {
	start   sync.Once
	stop    sync.Once
	queue   chan *groupReq
	quit    chan struct{}
	stopped chan struct{}
}

type groupReq struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx Querier) error
	done  chan error
	after []func() // to run once the group commits, if this action is part of it
}

// panicked carries a panic in fn back to its caller's goroutine.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprint("db: panic in group action: ", p.value) }

func (d *DB) commitLoop() {
	defer close(d.group.stopped)
	for {
		var batch []*groupReq
		select {
		case r := <-d.group.queue:
			batch = append(batch, r)
		case <-d.group.quit:
			d.failQueued()
			return
		}
		// Take whatever else queued up while the previous batch committed.
	more:
		for len(batch) < maxGroup {
			select {
			case r := <-d.group.queue:
				batch = append(batch, r)
			default:
				break more
			}
		}
		d.runGroup(batch)
	}
}

// failQueued answers the actions still queued when the database closes.
func (d *DB) failQueued() {
	for {
		select {
		case r := <-d.group.queue:
			r.done <- errClosed
		default:
			return
		}
	}
}

// runGroup runs a batch in one transaction and answers each action.
func (d *DB) runGroup(batch []*groupReq) {
	ctx := context.Background() // no single caller may cancel the others' commit
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		answer(batch, fmt.Errorf("db: begin: %w", err))
		return
	}
	var done []*groupReq
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		ok, err := d.runSaved(tx, r)
		if err != nil { // the transaction itself is broken: nobody commits
			_ = tx.Rollback()
			answer(append(done, batch[i:]...), err)
			return
		}
		if ok {
			done = append(done, r)
		}
	}
	if err := tx.Commit(); err != nil {
		answer(done, fmt.Errorf("db: commit: %w", err))
		return
	}
	for _, r := range done {
		runHooks(r.after)
	}
	answer(done, nil)
	d.prepareMissed()
}

// runSaved runs one action inside a savepoint. A failing action is rolled
// back to the savepoint and answered at once (ok=false); err is not nil only
// when the savepoint itself could not be set or undone.
func (d *DB) runSaved(tx *sql.Tx, r *groupReq) (ok bool, err error) {
	ctx := context.WithoutCancel(r.ctx)
	if _, err := tx.ExecContext(ctx, `SAVEPOINT g`); err != nil {
		return false, fmt.Errorf("db: savepoint: %w", err)
	}
	if ferr := call(ctx, groupTx{d, tx, r}, r.fn); ferr != nil {
		r.after = nil // rolled back: nothing happened to tell of
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT g`); err != nil {
			return false, fmt.Errorf("db: rollback to savepoint: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT g`); err != nil {
			return false, fmt.Errorf("db: release savepoint: %w", err)
		}
		r.done <- ferr
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT g`); err != nil {
		return false, fmt.Errorf("db: release savepoint: %w", err)
	}
	return true, nil
}

func call(ctx context.Context, tx Querier, fn func(context.Context, Querier) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicked{p}
		}
	}()
	return fn(ctx, tx)
}

func answer(batch []*groupReq, err error) {
	for _, r := range batch {
		r.done <- err
	}
}

// stopGroup ends the committer, if it started, after its current batch.
// Like closing a *sql.DB, it is for after the callers are done.
func (d *DB) stopGroup() {
	d.group.start.Do(func() {}) // a later Group must not start it again
	if d.group.quit == nil {
		return
	}
	d.group.stop.Do(func() {
		close(d.group.quit)
		<-d.group.stopped
	})
}

// groupTx runs a group's statements through statements prepared on the
// writer, for the statements that run for every action (filing a ticket runs
// the same few each time, and SQLite would otherwise parse each of them
// anew). A statement is prepared after the first batch that used it commits:
// the writer has one connection, which the transaction holds meanwhile.
type groupTx struct {
	d  *DB
	tx *sql.Tx
	r  *groupReq // the action running, for AfterCommit
}

// stmt returns the prepared statement for query bound to the transaction,
// or nil (and notes the query) when it is not prepared yet.
func (g groupTx) stmt(ctx context.Context, query string) *sql.Stmt {
	g.d.wstmts.mu.Lock()
	defer g.d.wstmts.mu.Unlock()
	st, ok := g.d.wstmts.stmts[query]
	if !ok {
		if g.d.wmissed == nil {
			g.d.wmissed = map[string]bool{}
		}
		g.d.wmissed[query] = true
		return nil
	}
	return g.tx.StmtContext(ctx, st)
}

// prepareMissed prepares the statements the last batch ran unprepared.
// Only the committer goroutine calls it, between batches.
func (d *DB) prepareMissed() {
	for query := range d.wmissed {
		if _, err := d.wstmts.get(context.Background(), d.W, query); err != nil {
			continue // a statement that does not prepare keeps running unprepared
		}
	}
	clear(d.wmissed)
}

func (g groupTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := g.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return g.tx.ExecContext(ctx, query, args...)
}

func (g groupTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := g.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return g.tx.QueryContext(ctx, query, args...)
}

func (g groupTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := g.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return g.tx.QueryRowContext(ctx, query, args...)
}
