package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lontara-id/lontara/internal/errs"
)

// Querier is what both *sql.DB and *sql.Tx offer; store helpers take it so the
// same query runs inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx runs fn in one transaction on the writer and commits it when fn returns
// nil. Every user action is one call to Tx: its rows, its audit record and the
// notifications it causes are committed together or not at all.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	hooks := d.after.open(tx)
	defer func() {
		d.after.close(tx)
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return collided(err)
	}
	if err = tx.Commit(); err != nil {
		return collided(fmt.Errorf("db: commit: %w", err))
	}
	runHooks(*hooks)
	return nil
}

// collided answers a transaction PostgreSQL gave up on to break a deadlock
// (40P01) or a serialization conflict (40001) as errs.Collided (409), not
// as the server's fault: the two actions met at the same rows at the same moment,
// nothing of this one was written, and doing it again will most likely go
// through. It is logged, as a deadlock means two paths lock in different
// orders. Any other error passes unchanged. SQLite's writers take turns
// and never meet so.
func collided(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) || e.Code != "40P01" && e.Code != "40001" || errs.As(err) != nil {
		return err
	}
	slog.Warn("db: a transaction collided with another and was rolled back", "err", err)
	return fmt.Errorf("%w: %w", errs.New(errs.Collided, "collided"), err)
}

// HoldRow holds row id of table until q's transaction ends, by an UPDATE
// that changes nothing: PostgreSQL locks the row, and SQLite's one writer
// is taken. Changes that hold a row before they read it take turns on it,
// each reading what the one before left. table is a name from the code.
func HoldRow(ctx context.Context, q Querier, table string, id int64) error {
	if _, err := q.ExecContext(ctx, `UPDATE `+table+` SET updated_at = updated_at WHERE id = $1`, id); err != nil {
		return fmt.Errorf("hold %s %d: %w", table, id, err)
	}
	return nil
}

// InsertID runs an INSERT … RETURNING id and returns the id. It drains the
// result rows instead of using QueryRow().Scan(): on SQLite a RETURNING
// statement left unfinished keeps the WAL from being checkpointed, and the
// -wal file then grows without bound (see TestWALStaysSmall).
func InsertID(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	found := false
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if !found {
		return 0, errors.New("db: INSERT … RETURNING returned no row")
	}
	return id, rows.Close()
}
