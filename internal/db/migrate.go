package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations are numbered SQL files, one folder per engine, embedded in the
// binary: migrations/sqlite/0001_foundation.sql and its twin in
// migrations/postgres. The two folders hold the same numbers;
// TestMigrationsPaired keeps them in step. Numbers may skip (a number given
// out for work that never landed); what counts is the set.
//
// The binary carries every migration from 0001 on, so the oldest schema it
// upgrades is the first one: any database any Lontara ever made. Migrate
// checks the database against the binary before it changes anything and
// then applies every pending migration in one transaction (see Migrate).
//
//go:embed migrations
var migrations embed.FS

// Migration is one embedded migration file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Checksum identifies the migration's SQL, recorded in schema_migrations
// when it is applied: a released migration must never change, since the
// databases that ran it would never run the new text. Line endings are
// normalised, so a checkout that turns them into CRLF builds the same sums.
func (m Migration) Checksum() string {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(m.SQL, "\r\n", "\n")))
	return hex.EncodeToString(sum[:])
}

// Migrations lists the engine's migrations in order.
func Migrations(e Engine) ([]Migration, error) {
	dir := "migrations/" + string(e)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var list []Migration
	for _, ent := range entries {
		name := ent.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("db: migration %s: name must start with a number and _", name)
		}
		body, err := fs.ReadFile(migrations, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	return list, nil
}

// Plan is what Migrate would do: the database's schema version and the
// migrations it would apply, in order.
type Plan struct {
	Version int
	Pending []Migration
}

// RefusedError says why the database cannot be migrated by this binary.
// It is returned before anything was written.
type RefusedError struct {
	Problems []string
}

func (e *RefusedError) Error() string {
	return "db: this database cannot be migrated by this lontara (nothing was changed):\n  - " +
		strings.Join(e.Problems, "\n  - ")
}

// Migrate checks the database against the binary's migrations and applies
// the pending ones, returning their names. It refuses (a *RefusedError,
// nothing written) a database that records migrations the binary does not
// have (a newer Lontara's, or another build's), a recorded migration whose
// name or SQL differs from the binary's, one that skips a migration older
// than its newest, and one that holds tables but no record of migrations.
//
// Everything runs in one transaction, checks included: both engines have
// transactional DDL, so a migration that fails half-way leaves the database
// exactly as it was, at the version it had. (None of the migrations may hold
// a statement that cannot run in a transaction: CREATE INDEX CONCURRENTLY,
// VACUUM, SQLite's PRAGMA foreign_keys.) Several processes may call Migrate
// at once (two nodes starting on one PostgreSQL, or the CLI beside a server
// on SQLite): on PostgreSQL an advisory lock taken first in the transaction
// serialises them, on SQLite the immediate write lock does, and each plans
// under the lock.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	return d.migrate(ctx, 0)
}

// migrate applies the pending migrations up to version last (every one
// when last is 0); tests hold data as an older Lontara wrote it with it.
func (d *DB) migrate(ctx context.Context, last int) ([]string, error) {
	list, err := Migrations(d.Engine())
	if err != nil {
		return nil, err
	}
	var applied []string
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if d.Engine() == Postgres {
			// Keyed by schema too: deployments (and tests) in other schemas
			// of the same database need not wait for each other.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, migrationLock); err != nil {
				return err
			}
		}
		p, book, err := plan(ctx, tx, d.Engine(), list)
		if err != nil {
			return err
		}
		if err := book.prepare(ctx, tx); err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, m := range p.Pending {
			if last > 0 && m.Version > last {
				break
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("db: migration %s: %w (nothing was changed: the database stays at version %d)", m.Name, err, p.Version)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at, checksum)
				VALUES ($1, $2, $3, $4)`, m.Version, m.Name, now, m.Checksum()); err != nil {
				return err
			}
			applied = append(applied, m.Name)
		}
		return book.backfill(ctx, tx, list)
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}

// Plan checks the database as Migrate does and says what it would apply,
// without writing anything (lontara migrate --check). A refusal is a
// *RefusedError.
func (d *DB) Plan(ctx context.Context) (Plan, error) {
	list, err := Migrations(d.Engine())
	if err != nil {
		return Plan{}, err
	}
	p, _, err := plan(ctx, d.R, d.Engine(), list)
	return p, err
}

// migrationLock is an arbitrary key for pg_advisory_xact_lock.
const migrationLock = 7352_0001

// bookkeeping is what plan found of schema_migrations itself.
type bookkeeping struct {
	exists, checksums bool // the table, and its checksum column
	unsummed          bool // rows recorded before checksums were
}

// prepare creates schema_migrations, or adds the checksum column to one a
// Lontara before checksums made.
func (b bookkeeping) prepare(ctx context.Context, tx *sql.Tx) error {
	var err error
	switch {
	case !b.exists:
		_, err = tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TIMESTAMP NOT NULL,
			checksum TEXT)`)
	case !b.checksums:
		_, err = tx.ExecContext(ctx, `ALTER TABLE schema_migrations ADD COLUMN checksum TEXT`)
	}
	if err != nil {
		return fmt.Errorf("db: schema_migrations: %w", err)
	}
	return nil
}

// backfill records the checksums of migrations applied before checksums
// were recorded. Their names matched (plan checked); their SQL is taken on
// trust this once, and checked from then on.
func (b bookkeeping) backfill(ctx context.Context, tx *sql.Tx, list []Migration) error {
	if !b.exists || b.checksums && !b.unsummed {
		return nil
	}
	for _, m := range list {
		if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET checksum = $1 WHERE version = $2 AND checksum IS NULL`,
			m.Checksum(), m.Version); err != nil {
			return err
		}
	}
	return nil
}

type record struct {
	version        int
	name, checksum string
}

// plan reads schema_migrations and checks it against the binary's list.
func plan(ctx context.Context, q Querier, e Engine, list []Migration) (Plan, bookkeeping, error) {
	var book bookkeeping
	cols, err := columns(ctx, q, e, "schema_migrations")
	if err != nil {
		return Plan{}, book, err
	}
	book.exists, book.checksums = len(cols) > 0, cols["checksum"]
	var recorded []record
	if book.exists {
		sum := "NULL"
		if book.checksums {
			sum = "checksum"
		}
		if recorded, err = records(ctx, q, sum); err != nil {
			return Plan{}, book, err
		}
	}
	var p Plan
	var problems []string
	if len(recorded) == 0 {
		tables, err := otherTables(ctx, q, e)
		if err != nil {
			return Plan{}, book, err
		}
		if len(tables) > 5 {
			tables = append(tables[:5], "…")
		}
		if len(tables) > 0 {
			problems = append(problems, fmt.Sprintf("the database holds tables (%s) but no record of Lontara's migrations: "+
				"it is not a Lontara database, or older than the oldest schema this lontara upgrades (%s); give an empty database",
				strings.Join(tables, ", "), list[0].Name))
		}
	}
	known := map[int]Migration{}
	for _, m := range list {
		known[m.Version] = m
	}
	done := map[int]bool{}
	var unknown []string
	for _, r := range recorded {
		done[r.version] = true
		p.Version = max(p.Version, r.version)
		m, ok := known[r.version]
		switch {
		case !ok:
			unknown = append(unknown, r.name)
		case r.name != m.Name:
			problems = append(problems, fmt.Sprintf("migration %04d was applied as %s, but this lontara's is %s: "+
				"the database was migrated by another build of Lontara", r.version, r.name, m.Name))
		case r.checksum == "":
			book.unsummed = true
		case r.checksum != m.Checksum():
			problems = append(problems, fmt.Sprintf("migration %s was applied with other SQL than this lontara's "+
				"(checksum %.12s…, this lontara's %.12s…): a migration must not change once released", m.Name, r.checksum, m.Checksum()))
		}
	}
	newest := list[len(list)-1]
	if len(unknown) > 0 {
		if p.Version > newest.Version {
			problems = append(problems, fmt.Sprintf("the database is at schema version %d, newer than this lontara's %d (%s): "+
				"it was upgraded by a newer Lontara, which it needs; migrations it has that this lontara lacks: %s",
				p.Version, newest.Version, newest.Name, strings.Join(unknown, ", ")))
		} else {
			problems = append(problems, fmt.Sprintf("the database has migrations this lontara does not know: %s; "+
				"it was migrated by another build of Lontara", strings.Join(unknown, ", ")))
		}
	}
	var skipped []string
	for _, m := range list {
		switch {
		case done[m.Version]:
		case m.Version < p.Version:
			skipped = append(skipped, m.Name)
		default:
			p.Pending = append(p.Pending, m)
		}
	}
	if len(skipped) > 0 {
		problems = append(problems, fmt.Sprintf("the database lacks migrations older than its version %d: %s; "+
			"applying them after newer ones is not safe", p.Version, strings.Join(skipped, ", ")))
	}
	if len(problems) > 0 {
		return Plan{}, book, &RefusedError{Problems: problems}
	}
	return p, book, nil
}

func records(ctx context.Context, q Querier, checksum string) ([]record, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, name, COALESCE(`+checksum+`, '') FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("db: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var list []record
	for rows.Next() {
		var r record
		if err := rows.Scan(&r.version, &r.name, &r.checksum); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// columns returns the names of table's columns, none when it does not exist.
func columns(ctx context.Context, q Querier, e Engine, table string) (map[string]bool, error) {
	query := `SELECT name FROM pragma_table_info($1)`
	if e == Postgres {
		query = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`
	}
	return names(ctx, q, query, table)
}

// otherTables lists the tables of the database (its current schema on
// PostgreSQL) other than schema_migrations.
func otherTables(ctx context.Context, q Querier, e Engine) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> $1`
	if e == Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> $1`
	}
	set, err := names(ctx, q, query, "schema_migrations")
	list := make([]string, 0, len(set))
	for n := range set {
		list = append(list, n)
	}
	sort.Strings(list)
	return list, err
}

func names(ctx context.Context, q Querier, query string, arg any) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, fmt.Errorf("db: read the catalog: %w", err)
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		set[n] = true
	}
	return set, rows.Err()
}

// Version returns the highest applied migration, 0 for a new database.
func (d *DB) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := d.R.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}
