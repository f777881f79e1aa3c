package db

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements for the reads on hot paths. SQLite
// spends about as long parsing and planning a short query as running it, and
// database/sql prepares anew on every Query; a *sql.Stmt prepares once per
// pooled connection and is reused after that. PostgreSQL needs no cache of
// ours: pgx already keeps prepared statements per connection.
type stmtCache struct {
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache. Queries are built from a fixed set of
// filters, so a real server stays far below it; past it the cache starts
// over instead of growing.
const maxCachedStmts = 256

// Cached returns the reader pool as a Querier whose queries go through
// cached prepared statements. Use it for the reads that run on every request
// (the directory, token and session look-ups); one-off reads can use R.
func (d *DB) Cached() Querier { return cachedReads{d} }

type cachedReads struct{ d *DB }

func (c cachedReads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if c.d.Engine() != SQLite {
		return c.d.R.QueryContext(ctx, query, args...)
	}
	st, err := c.d.stmts.get(ctx, c.d.R, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c cachedReads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if c.d.Engine() != SQLite {
		return c.d.R.QueryRowContext(ctx, query, args...)
	}
	st, err := c.d.stmts.get(ctx, c.d.R, query)
	if err != nil { // let the error surface through Scan, as QueryRowContext does
		return c.d.R.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// ExecContext runs on the reader pool, where SQLite refuses writes
// (query_only): a cached reader is for reads.
func (c cachedReads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.d.R.ExecContext(ctx, query, args...)
}

func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok { // another request prepared it meanwhile
		st.Close()
		return prev, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		c.closeAll()
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

func (c *stmtCache) closeAll() {
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}
