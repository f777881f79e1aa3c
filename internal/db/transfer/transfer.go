// Package transfer moves a city's data from its SQLite file to PostgreSQL
// (`lontara migrate-data`): every table the migrations create, read in one
// SQLite read transaction (a consistent snapshot even while the city keeps
// writing: WAL lets a reader keep its snapshot beside the writer), written
// with COPY inside one PostgreSQL transaction, and verified table by table
// — row count and a checksum computed the same way over both databases'
// rows — before that transaction commits. Whatever fails, the target keeps
// no copied row.
package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lontara-id/lontara/internal/db"
)

// Options name the two databases.
type Options struct {
	From     string    // the SQLite file
	To       string    // a postgres:// URL
	Progress io.Writer // progress of big tables; nil: none
}

// Table is one table's result: its rows and checksum in the SQLite file,
// and what the target holds after the copy.
type Table struct {
	Name           string
	Rows           int64
	Checksum       string
	TargetRows     int64
	TargetChecksum string
}

// OK reports whether the target holds the table's rows exactly.
func (t Table) OK() bool { return t.Rows == t.TargetRows && t.Checksum == t.TargetChecksum }

// Report is what a move did.
type Report struct {
	Version int // the schema version of both databases
	Tables  []Table
	Elapsed time.Duration
}

// Rows is the number of rows moved.
func (r Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Rows
	}
	return n
}

// ErrMismatch is returned when a table in the target differs from the
// SQLite file after the copy; the copy was rolled back.
var ErrMismatch = errors.New("the target does not match the SQLite file")

// beforeVerify runs between the copy and the verification, inside the
// target's transaction. Tests set it to corrupt a row; it is nil otherwise.
var beforeVerify func(ctx context.Context, tx pgx.Tx) error

// Move copies the SQLite file at o.From into the PostgreSQL database at o.To.
// The target is migrated to the binary's schema version first and must hold
// no data but what its migrations put there. The report lists every table,
// also when err is ErrMismatch.
func Move(ctx context.Context, o Options) (Report, error) {
	start := time.Now()
	rep := Report{}
	if !db.IsPostgres(o.To) {
		return rep, errors.New("--to must be a postgres:// URL") // not echoed: it may hold a password
	}
	version, err := binaryVersion()
	if err != nil {
		return rep, err
	}
	rep.Version = version
	src, snap, err := openSnapshot(ctx, o.From, version)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	defer snap.Rollback() // a read transaction: nothing to keep
	began := time.Now()
	target, err := openTarget(ctx, o.To, version)
	if err != nil {
		return rep, err
	}
	defer target.Close()
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "migrated the target to schema version %d in %.1f s\n", version, time.Since(began).Seconds())
	}
	conn, err := target.W.Conn(ctx)
	if err != nil {
		return rep, fmt.Errorf("connect to the target: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		m := &mover{snap: snap, progress: o.Progress, rep: &rep, since: time.Now()}
		return m.run(ctx, dc.(*stdlib.Conn).Conn())
	})
	rep.Elapsed = time.Since(start)
	return rep, err
}

// binaryVersion is the highest migration this binary knows.
func binaryVersion() (int, error) {
	list, err := db.Migrations(db.SQLite)
	if err != nil || len(list) == 0 {
		return 0, fmt.Errorf("read the embedded migrations: %v", err)
	}
	return list[len(list)-1].Version, nil
}

// sqliteReadOnly opens the file without ever writing to it: mode=ro, and
// times read as internal/db stores them (unix microseconds as time.Time).
const sqliteReadOnly = "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)&_time_integer_format=unix_micro&_inttotime=1"

// openSnapshot opens the SQLite file read-only and begins the read
// transaction every table is read in, after checking that the file is at
// the binary's schema version.
func openSnapshot(ctx context.Context, path string, version int) (*sql.DB, *sql.Tx, error) {
	if path == "" {
		return nil, nil, errors.New("--from: no SQLite file given")
	}
	if db.IsPostgres(path) {
		return nil, nil, errors.New("--from must be a SQLite file, not a PostgreSQL URL") // not echoed: it holds a password
	}
	if fi, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("--from: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("--from: %s is not a file", path)
	}
	src, err := sql.Open("sqlite", "file:"+path+sqliteReadOnly)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	snap, err := src.BeginTx(ctx, nil)
	if err != nil {
		src.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	var v sql.NullInt64
	err = snap.QueryRowContext(ctx, `SELECT max(version) FROM `+bookkeeping).Scan(&v)
	switch {
	case err != nil:
		err = fmt.Errorf("%s is not a Lontara SQLite database: %w", path, err)
	case int(v.Int64) < version:
		err = fmt.Errorf("%s is at schema version %d, this lontara at %d: run 'lontara migrate --db %s' on it first", path, v.Int64, version, path)
	case int(v.Int64) > version:
		err = fmt.Errorf("%s is at schema version %d, newer than this lontara's %d: use the lontara that migrated it", path, v.Int64, version)
	}
	if err != nil {
		_ = snap.Rollback()
		src.Close()
		return nil, nil, err
	}
	return src, snap, nil
}

// openTarget opens the PostgreSQL database and migrates it to version.
func openTarget(ctx context.Context, url string, version int) (*db.DB, error) {
	target, err := db.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	if _, err := target.Migrate(ctx); err != nil {
		target.Close()
		return nil, fmt.Errorf("migrate the target: %w", err)
	}
	v, err := target.Version(ctx)
	if err == nil && v != version {
		err = fmt.Errorf("the target is at schema version %d, this lontara at %d", v, version)
	}
	if err != nil {
		target.Close()
		return nil, err
	}
	return target, nil
}
