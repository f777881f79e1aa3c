// Package db opens Lontara's database — embedded SQLite or PostgreSQL, chosen from
// the DSN — and holds the few things that differ between the two engines (the
// Dialect), the embedded migrations and the transaction helper. Every store in
// Lontara writes plain SQL with $1, $2 … placeholders, which both drivers bind by
// number (modernc.org/sqlite and pgx), so one query text serves both engines.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

// The engines Lontara runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database: a writer pool and a reader pool over the same data.
// On SQLite the writer is a single connection, because SQLite allows one writer
// at a time and queuing in Go is cheaper than spinning on SQLITE_BUSY; readers
// run in parallel under WAL. On PostgreSQL both fields share one pool.
type DB struct {
	W *sql.DB // every write and every transaction
	R *sql.DB // reads outside a transaction
	// Replica is for reads that may lag the writes by a moment: dashboards
	// and reports. It reads R unless a read replica is configured
	// (--db-read) and well (see Reads), so a page that must show what was
	// just written reads R, never Replica.
	Replica *Reads
	Dialect Dialect
	DSN     string
	// Changes tells the caches of every node sharing the database of the
	// changes that make them wrong (see changes.go).
	Changes *Changes
	after   afterCommit     // what runs once each open transaction commits
	stmts   stmtCache       // prepared reads on R
	wstmts  stmtCache       // prepared statements of group actions on W (SQLite)
	wmissed map[string]bool // group statements to prepare after the current batch
	group   groupCommit     // the SQLite group committer
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL or a SQLite file path.
// A SQLite file that does not exist yet is created (with its directory).
// Open does not migrate; call Migrate (or OpenMigrated).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("db: no database given (--db or LONTARA_DB)")
	}
	var d *DB
	var err error
	if IsPostgres(dsn) {
		d, err = openPostgres(dsn)
	} else {
		d, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := d.W.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: connect: %w", err)
	}
	return d, nil
}

// OpenMigrated opens the database and brings its schema up to date, which is
// what every command does: a new database path is created and migrated.
func OpenMigrated(ctx context.Context, dsn string) (*DB, error) {
	d, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
	pool.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
	return withChanges(&DB{W: pool, R: pool, Replica: primaryReads(pool), Dialect: postgresDialect{}, DSN: dsn}), nil
}

// sqlitePragmas are set on every connection. WAL lets readers run beside the
// writer; busy_timeout makes a second process (the CLI beside a running server)
// wait instead of failing; foreign keys are off by default in SQLite;
// synchronous=FULL syncs the WAL at every commit, so an acknowledged write
// survives a power cut, not only a crash of the process (NORMAL's promise).
// It makes a single commit about three times slower on these machines; the
// hot write paths share commits through Group, which pays one sync for a
// whole burst. Times are stored as
// microseconds since 1970 (UTC) and read back as time.Time: they sort and
// compare as numbers, and reading one costs a conversion instead of parsing
// text twice, which was a tenth of the CPU time of the directory API.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(FULL)&_time_integer_format=unix_micro&_inttotime=1"

func openSQLite(path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("db: create directory for %s: %w", path, err)
		}
	}
	// _txlock=immediate takes the write lock at BEGIN, so two processes never
	// deadlock upgrading a read transaction to a write one.
	w, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return withChanges(&DB{W: w, R: r, Replica: primaryReads(r), Dialect: sqliteDialect{}, DSN: path}), nil
}

// Engine reports which engine the database runs on.
func (d *DB) Engine() Engine { return d.Dialect.Engine() }

// Close closes the pools: the writer, the readers and the replica's.
func (d *DB) Close() error {
	d.Changes.stop()
	replicaErr := d.Replica.close() // first: its watcher reads the primary
	d.stopGroup()
	d.wstmts.mu.Lock()
	d.wstmts.closeAll()
	d.wstmts.mu.Unlock()
	d.stmts.mu.Lock()
	d.stmts.closeAll()
	d.stmts.mu.Unlock()
	err := d.W.Close()
	if d.R != d.W {
		err = errors.Join(err, d.R.Close())
	}
	return errors.Join(err, replicaErr)
}

// Ping checks that the database answers, for /healthz.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}
