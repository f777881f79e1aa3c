package db

import (
	"context"
	"database/sql"
	"embed"
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
// migrations/postgres. Each file runs in its own transaction and is recorded in
// schema_migrations, so a migration is applied entirely or not at all. The two
// folders hold the same numbers; TestMigrationsPaired keeps them in step.
//
//go:embed migrations
var migrations embed.FS

// Migration is one embedded migration file.
type Migration struct {
	Version int
	Name    string
	SQL     string
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

// Migrate applies the migrations not yet applied and returns their names.
// Several processes may call it at once (two nodes starting on one PostgreSQL,
// or the CLI beside a server on SQLite): on PostgreSQL an advisory lock inside
// each transaction serialises them, on SQLite the immediate write lock does, and
// each re-checks schema_migrations under the lock.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("db: create schema_migrations: %w", err)
	}
	list, err := Migrations(d.Engine())
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range list {
		done, err := d.apply(ctx, m)
		if err != nil {
			return applied, fmt.Errorf("db: migration %s: %w", m.Name, err)
		}
		if done {
			applied = append(applied, m.Name)
		}
	}
	return applied, nil
}

// migrationLock is an arbitrary key for pg_advisory_xact_lock.
const migrationLock = 7352_0001

func (d *DB) apply(ctx context.Context, m Migration) (applied bool, err error) {
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if d.Engine() == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return err
		}
		applied = true
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.Version, m.Name, time.Now().UTC())
		return err
	})
	return applied, err
}

// Version returns the highest applied migration, 0 for a new database.
func (d *DB) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := d.R.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}
