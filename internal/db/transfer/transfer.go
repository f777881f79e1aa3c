// Package transfer moves a city's data from its SQLite file to PostgreSQL
// (`lontara migrate-data`): every table the migrations create, read in one
// SQLite read transaction (a consistent snapshot even while the city keeps
// writing: WAL lets a reader keep its snapshot beside the writer), written
// with COPY inside one PostgreSQL transaction, and verified table by table
// — row count and a checksum computed the same way over both databases'
// rows — before that transaction commits. Whatever fails, the target keeps
// no copied row.
//
// The same catalog, value conversion and checksums serve `lontara backup`
// and `lontara restore` (backup.go, restore.go): a backup is a SQLite
// database taken from either engine as of one moment, with a manifest of
// its tables' checksums (archive.go); a restore checks it against them and
// fills either engine — PostgreSQL by the move above.
package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/db"
)

// Options name the two databases.
type Options struct {
	From     string    // the SQLite file
	To       string    // a postgres:// URL
	Progress io.Writer // progress of big tables; nil: none
	// Replace empties a target that holds data, in the copy's transaction,
	// instead of refusing it (lontara restore --replace).
	Replace bool
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
	err = onPgConn(ctx, target, func(pc *pgx.Conn) error {
		m := &mover{snap: snap, replace: o.Replace, progress: progress{w: o.Progress, since: time.Now()}, rep: &rep}
		return m.run(ctx, pc)
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
	if err := isFile("--from", path); err != nil {
		return nil, nil, err
	}
	src, snap, v, err := beginSQLite(ctx, path)
	if err == nil {
		err = versionError(path, v, version)
	}
	if err != nil {
		if snap != nil {
			_ = snap.Rollback()
			src.Close()
		}
		return nil, nil, err
	}
	return src, snap, nil
}

// isFile checks that path names an existing regular file; flag names the
// option it came from.
func isFile(flag, path string) error {
	if fi, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %s is not a file", flag, path)
	}
	return nil
}

// sqlitePath is the file a SQLite DSN names, as internal/db reads it.
func sqlitePath(dsn string) string {
	return strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
}

// beginSQLite opens the SQLite file read-only and begins a read
// transaction: one snapshot, however long it is read while others write.
// It returns the file's schema version.
func beginSQLite(ctx context.Context, path string) (*sql.DB, *sql.Tx, int, error) {
	src, err := sql.Open("sqlite", "file:"+path+sqliteReadOnly)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("open %s: %w", path, err)
	}
	snap, err := src.BeginTx(ctx, nil)
	if err != nil {
		src.Close()
		return nil, nil, 0, fmt.Errorf("open %s: %w", path, err)
	}
	var v sql.NullInt64
	if err := snap.QueryRowContext(ctx, `SELECT max(version) FROM `+bookkeeping).Scan(&v); err != nil {
		_ = snap.Rollback()
		src.Close()
		return nil, nil, 0, fmt.Errorf("%s is not a Lontara SQLite database: %w", path, err)
	}
	return src, snap, int(v.Int64), nil
}

// versionError refuses a database (named as name) whose schema version
// have is not the binary's want, saying what to do.
func versionError(name string, have, want int) error {
	switch {
	case have < want:
		return fmt.Errorf("%s is at schema version %d, this lontara at %d: run 'lontara migrate --db %s' on it first", name, have, want, name)
	case have > want:
		return fmt.Errorf("%s is at schema version %d, newer than this lontara's %d: use the lontara that migrated it", name, have, want)
	}
	return nil
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
