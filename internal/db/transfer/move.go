package transfer

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/db"
)

// mover does the work on the target's one connection.
type mover struct {
	snap     *sql.Tx // the SQLite file's read transaction
	replace  bool    // empty a target that holds data instead of refusing it
	progress progress
	rep      *Report
}

func (m *mover) run(ctx context.Context, pc *pgx.Conn) error {
	tx, err := pc.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin on the target: %w", err)
	}
	defer tx.Rollback(ctx) // after Commit it does nothing
	tables, err := pgTables(ctx, tx)
	if err != nil {
		return err
	}
	if err := checkSQLiteTables(ctx, m.snap, tables); err != nil {
		return err
	}
	clear := clearSeeds
	if m.replace {
		clear = clearAll
	}
	if err := clear(ctx, tx, tables); err != nil {
		return err
	}
	m.progress.phase("checked the target")
	if err := m.copyAll(ctx, tx, tables); err != nil {
		return err
	}
	m.progress.phase(fmt.Sprintf("copied %d rows", m.rep.Rows()))
	if beforeVerify != nil {
		if err := beforeVerify(ctx, tx); err != nil {
			return err
		}
	}
	if err := m.verify(ctx, tx, tables); err != nil {
		return err
	}
	m.progress.phase("verified every table")
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit on the target: %w", err)
	}
	m.progress.phase("committed")
	return nil
}

// copyAll copies every table with the foreign keys dropped, adds them
// again and moves the sequences on.
func (m *mover) copyAll(ctx context.Context, tx pgx.Tx, tables []table) error {
	fks, err := dropForeignKeys(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		d, err := m.copyTable(ctx, tx, t)
		if err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		m.rep.Tables = append(m.rep.Tables, Table{Name: t.name, Rows: d.rows, Checksum: d.sum()})
	}
	if err := addForeignKeys(ctx, tx, fks); err != nil {
		return err
	}
	return m.resetSequences(ctx, tx, tables)
}

// verify reads every table back from the target, inside the copy's
// transaction, and compares it with what was read from the file.
func (m *mover) verify(ctx context.Context, tx pgx.Tx, tables []table) error {
	ok := true
	for i, t := range tables {
		d, err := pgDigest(ctx, tx, t)
		if err != nil {
			return fmt.Errorf("verify %s: %w", t.name, err)
		}
		r := &m.rep.Tables[i]
		r.TargetRows, r.TargetChecksum = d.rows, d.sum()
		ok = ok && r.OK()
	}
	if !ok {
		return ErrMismatch
	}
	return nil
}

// copyTable streams one table from the snapshot into the target by COPY and
// returns the digest of the rows it read.
func (m *mover) copyTable(ctx context.Context, tx pgx.Tx, t table) (*digest, error) {
	var total int64
	if err := m.snap.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(t.name)).Scan(&total); err != nil {
		return nil, err
	}
	src, err := readSQLite(ctx, m.snap, t)
	if err != nil {
		return nil, err
	}
	defer src.rows.Close()
	src.onRow = m.progress.rows(t.name, total)
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, names, src); err != nil {
		return nil, err
	}
	return src.d, nil
}

// clearSeeds checks that the target holds nothing but what its migrations
// put there (the SLA policies, the holidays, the search bookmark: rows the
// SQLite file has its own, possibly changed, copies of) and deletes those.
// What a new database holds is read from one: a SQLite file migrated in a
// temporary directory, compared by checksum.
func clearSeeds(ctx context.Context, tx pgx.Tx, tables []table) error {
	var seeded []table
	for _, t := range tables {
		var n int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+quote(t.name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s in the target: %w", t.name, err)
		}
		if n > 0 {
			seeded = append(seeded, t)
		}
	}
	if len(seeded) == 0 {
		return nil
	}
	if err := checkOnlySeeds(ctx, tx, seeded); err != nil {
		return err
	}
	for _, t := range slices.Backward(seeded) {
		if _, err := tx.Exec(ctx, "DELETE FROM "+quote(t.name)); err != nil {
			return fmt.Errorf("clear %s in the target: %w", t.name, err)
		}
	}
	return nil
}

// clearAll empties every table of the target, the derived roll-ups with
// them (marked not built, as in a new database), for a restore told to
// replace what the target holds. TRUNCATE of all tables at once needs no
// order among their foreign keys, and like everything else here it is
// undone if the restore fails.
func clearAll(ctx context.Context, tx pgx.Tx, tables []table) error {
	names := []string{quote("rollup_days"), quote("rollup_dirty")}
	for _, t := range tables {
		names = append(names, quote(t.name))
	}
	if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("empty the target: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE rollup_state SET zone = '', built = FALSE, ran_at = NULL`); err != nil {
		return fmt.Errorf("empty the target: %w", err)
	}
	return nil
}

func checkOnlySeeds(ctx context.Context, tx pgx.Tx, seeded []table) error {
	dir, err := os.MkdirTemp("", "lontara-migrate-data-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ref, err := db.OpenMigrated(ctx, filepath.Join(dir, "new.db"))
	if err != nil {
		return fmt.Errorf("make a new database to compare the target with: %w", err)
	}
	defer ref.Close()
	refTx, err := ref.R.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer refTx.Rollback() // a read transaction: nothing to keep
	for _, t := range seeded {
		got, err := pgDigest(ctx, tx, t)
		if err != nil {
			return fmt.Errorf("read %s in the target: %w", t.name, err)
		}
		want, err := sqliteDigest(ctx, refTx, t)
		if err != nil {
			return err
		}
		if got.rows != want.rows || got.sum() != want.sum() {
			return fmt.Errorf("the target already has data: table %s holds %d rows (a new database %d); "+
				"migrate-data fills only a new, empty database (nothing was written)", t.name, got.rows, want.rows)
		}
	}
	return nil
}

// resetSequences moves every sequence past the ids copied, so new rows get
// fresh ids. SQLite's AUTOINCREMENT remembers the highest id ever given
// (sqlite_sequence), which may be above the highest id left after a
// delete; the sequence continues from the higher of the two, so an id is
// never handed out twice (ticket numbers, and search_docs ids the search
// vocabulary's bookmark counts on).
func (m *mover) resetSequences(ctx context.Context, tx pgx.Tx, tables []table) error {
	used, err := m.autoincrement(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		for _, c := range t.serial {
			q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), greatest(coalesce(max(%s), 0), $3) + 1, false) FROM %s`,
				quote(c), quote(t.name))
			if _, err := tx.Exec(ctx, q, quote(t.name), c, used[t.name]); err != nil {
				return fmt.Errorf("reset the sequence of %s.%s: %w", t.name, c, err)
			}
		}
	}
	return nil
}

// autoincrement reads sqlite_sequence, which exists once a table with
// AUTOINCREMENT was created.
func (m *mover) autoincrement(ctx context.Context) (map[string]int64, error) {
	used := map[string]int64{}
	var n int
	if err := m.snap.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'`).Scan(&n); err != nil || n == 0 {
		return used, err
	}
	rows, err := m.snap.QueryContext(ctx, `SELECT name, seq FROM sqlite_sequence`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var seq int64
		if err := rows.Scan(&name, &seq); err != nil {
			return nil, err
		}
		used[name] = seq
	}
	return used, rows.Err()
}

// sqliteRows reads a table from SQLite for COPY (a pgx.CopyFromSource),
// normalizing each value and adding each row to the table's digest.
type sqliteRows struct {
	rows  *sql.Rows
	t     table
	raw   []any
	ptrs  []any
	vals  []any
	d     *digest
	err   error
	onRow func(n int64)
}

func readSQLite(ctx context.Context, q *sql.Tx, t table) (*sqliteRows, error) {
	rows, err := q.QueryContext(ctx, t.selectSQL(false))
	if err != nil {
		return nil, err
	}
	s := &sqliteRows{rows: rows, t: t, raw: make([]any, len(t.cols)), ptrs: make([]any, len(t.cols)),
		vals: make([]any, len(t.cols)), d: newDigest()}
	for i := range s.raw {
		s.ptrs[i] = &s.raw[i]
	}
	return s, nil
}

// Next reads the next row.
func (s *sqliteRows) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	if s.err = s.rows.Scan(s.ptrs...); s.err != nil {
		return false
	}
	for i, c := range s.t.cols {
		v, err := normalize(c.kind, s.raw[i])
		if err != nil {
			s.err = fmt.Errorf("row %d, column %s: %w", s.d.rows+1, c.name, err)
			return false
		}
		s.vals[i] = v
	}
	s.d.add(s.t.cols, s.vals)
	if s.onRow != nil {
		s.onRow(s.d.rows)
	}
	return true
}

// Values returns the row Next read.
func (s *sqliteRows) Values() ([]any, error) { return s.vals, nil }

// Err reports what stopped the reading.
func (s *sqliteRows) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// pgDigest reads a table from the target, in the same order, into a digest.
func pgDigest(ctx context.Context, tx pgx.Tx, t table) (*digest, error) {
	return pgRead(ctx, tx, t, nil)
}

// pgRead reads a table from PostgreSQL in primary-key order into a digest,
// handing each row's normalized values to each (if not nil) as it goes.
func pgRead(ctx context.Context, tx pgx.Tx, t table, each func(vals []any) error) (*digest, error) {
	rows, err := tx.Query(ctx, t.selectSQL(true))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := newDigest()
	vals := make([]any, len(t.cols))
	for rows.Next() {
		raw, err := rows.Values()
		if err != nil {
			return nil, err
		}
		for i, c := range t.cols {
			if vals[i], err = normalize(c.kind, raw[i]); err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", d.rows+1, c.name, err)
			}
		}
		d.add(t.cols, vals)
		if each != nil {
			if err := each(vals); err != nil {
				return nil, fmt.Errorf("row %d: %w", d.rows, err)
			}
		}
	}
	return d, rows.Err()
}
