package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lontara-id/lontara/internal/db"
)

// sink takes the history's rows in one transaction: PostgreSQL's COPY,
// the fastest way in (rows stream in binary, no statement per batch), or
// on SQLite multi-row INSERTs. Rows are drawn one at a time from a
// generator, so a table of millions never sits in memory.
type sink interface {
	engine() db.Engine
	exec(ctx context.Context, query string, args ...any) error
	query(ctx context.Context, query string, args ...any) ([][]any, error)
	// copy writes rows into table: next appends the values of the next row
	// to the slice it is given and returns it, or returns false at the end.
	copy(ctx context.Context, table string, cols []string, next func([]any) ([]any, bool)) error
}

// inSink runs fn with a sink over one transaction of d.
func inSink(ctx context.Context, d *db.DB, fn func(sink) error) error {
	if d.Engine() != db.Postgres {
		return d.Tx(ctx, func(tx *sql.Tx) error { return fn(sqlSink{tx}) })
	}
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("demo: not a pgx connection: %T", dc)
		}
		return pgx.BeginFunc(ctx, c.Conn(), func(tx pgx.Tx) error { return fn(pgSink{tx}) })
	})
}

type pgSink struct{ tx pgx.Tx }

func (s pgSink) engine() db.Engine { return db.Postgres }

func (s pgSink) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.tx.Exec(ctx, query, args...)
	return err
}

func (s pgSink) query(ctx context.Context, query string, args ...any) ([][]any, error) {
	rows, err := s.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
}

func (s pgSink) copy(ctx context.Context, table string, cols []string, next func([]any) ([]any, bool)) error {
	row := make([]any, 0, len(cols))
	_, err := s.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		// pgx encodes a row before it asks for the next: the slice is reused.
		r, ok := next(row[:0])
		if !ok {
			return nil, nil
		}
		row = r
		return r, nil
	}))
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

type sqlSink struct{ tx *sql.Tx }

func (s sqlSink) engine() db.Engine { return db.SQLite }

func (s sqlSink) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.tx.ExecContext(ctx, query, args...)
	return err
}

func (s sqlSink) query(ctx context.Context, query string, args ...any) ([][]any, error) {
	rows, err := s.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

func (s sqlSink) copy(ctx context.Context, table string, cols []string, next func([]any) ([]any, bool)) error {
	return insertStream(ctx, s.tx, db.SQLite, table, cols, next)
}

// dropIndexes drops the secondary indexes of tables (not those behind a
// primary key or a unique constraint) and, on PostgreSQL, their foreign
// keys, and returns the statements that restore them from their own
// definitions (restoreIndexes): one sorted build of an index is several
// times faster than millions of single insertions into it, and adding a
// foreign key checks every row in one join instead of one look-up per row
// (as pg_restore does). Restoring a foreign key validates it, so a row
// that breaks one fails the load.
func dropIndexes(ctx context.Context, s sink, tables []string) ([]string, error) {
	q := `SELECT 'INDEX ' || quote_ident(i.indexname), i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c
		WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
		UNION ALL
		SELECT 'CONSTRAINT ' || quote_ident(c.conname) || ' ON ' || c.conrelid::regclass::text,
			'ALTER TABLE ' || c.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' ||
			pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1)
		ORDER BY 1`
	args := []any{tables}
	if s.engine() != db.Postgres {
		q = `SELECT 'INDEX ' || name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND tbl_name IN (SELECT value FROM json_each($1)) ORDER BY name`
		list, err := json.Marshal(tables)
		if err != nil {
			return nil, err
		}
		args = []any{string(list)}
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("demo: indexes: %w", err)
	}
	restore := make([]string, 0, len(rows))
	for _, r := range rows {
		drop := "DROP " + asString(r[0])
		if name, table, ok := strings.Cut(asString(r[0]), " ON "); ok { // a constraint
			drop = "ALTER TABLE " + table + " DROP " + name
		}
		if err := s.exec(ctx, drop); err != nil {
			return nil, fmt.Errorf("demo: %s: %w", drop, err)
		}
		restore = append(restore, asString(r[1]))
	}
	return restore, nil
}

// restoreIndexes runs the statements dropIndexes returned, each under a
// savepoint: one that fails (a foreign key a row breaks) is rolled back
// alone and the others still run, so the database keeps every index it
// can; the errors are joined.
func restoreIndexes(ctx context.Context, s sink, restore []string) error {
	var errs []error
	if s.engine() == db.Postgres {
		// Index builds and the sorts behind them run in memory, not in
		// temporary files.
		if err := s.exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
			errs = append(errs, err)
		}
	}
	for _, q := range restore {
		if err := s.exec(ctx, `SAVEPOINT restore_index`); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := s.exec(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("demo: %s: %w", q, err))
			if err := s.exec(ctx, `ROLLBACK TO SAVEPOINT restore_index`); err != nil {
				return errors.Join(append(errs, err)...)
			}
		}
		if err := s.exec(ctx, `RELEASE SAVEPOINT restore_index`); err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	return errors.Join(errs...)
}

func asString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}
