package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
)

// BackupOptions say what to back up and where (lontara backup).
type BackupOptions struct {
	DB       string    // the city's database: a SQLite file or a postgres:// URL
	To       string    // the backup file to write; it must not exist yet
	Lontara  string    // this lontara's version, recorded in the manifest
	Progress io.Writer // the steps and their times; nil: none
}

// Backup writes a backup of the database at o.DB to the file o.To while the
// city keeps serving: every table as of one moment, in one portable format
// for both engines (see archive.go). A SQLite database is copied by SQLite
// itself (VACUUM INTO, one read transaction beside the writer); a
// PostgreSQL one is read in one REPEATABLE READ transaction into a new
// SQLite database, checked table by table against what was read. The
// manifest holds every table's rows and checksum as of that moment.
func Backup(ctx context.Context, o BackupOptions) (Manifest, error) {
	m := Manifest{Format: Format, Source: config.Mask(o.DB), Lontara: o.Lontara}
	p := progress{w: o.Progress, since: time.Now()}
	version, err := binaryVersion()
	if err != nil {
		return m, err
	}
	if o.DB == "" || o.To == "" {
		return m, errors.New("both --db (the database) and --to FILE (the backup to write) are needed")
	}
	if _, err := os.Stat(o.To); err == nil { // early, before a backup that may take minutes; writeArchive checks again
		return m, existsError(o.To)
	}
	dir, err := os.MkdirTemp(filepath.Dir(o.To), ".lontara-backup-")
	if err != nil {
		return m, fmt.Errorf("--to: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, databaseName)
	m.TakenAt = time.Now().UTC()
	if db.IsPostgres(o.DB) {
		m.Engine = db.Postgres
		m.Tables, err = snapshotPostgres(ctx, o.DB, file, version, &p)
	} else {
		m.Engine = db.SQLite
		m.Tables, err = snapshotSQLite(ctx, sqlitePath(o.DB), file, version, &p)
	}
	if err != nil {
		return m, err
	}
	m.SchemaVersion = version
	if err := writeArchive(o.To, &m, file); err != nil {
		return m, err
	}
	p.phase(fmt.Sprintf("wrote %s", o.To))
	return m, nil
}

// snapshotSQLite copies the SQLite file at path into file with VACUUM INTO —
// one read transaction, so the copy is the database as of one moment while
// the server keeps writing beside it — and returns the copy's checksums.
func snapshotSQLite(ctx context.Context, path, file string, version int, p *progress) ([]TableSum, error) {
	if err := isFile("--db", path); err != nil {
		return nil, err
	}
	src, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO $1`, file); err != nil {
		return nil, fmt.Errorf("copy %s: %w", path, err)
	}
	p.phase("copied the database (VACUUM INTO)")
	copyDB, snap, v, err := beginSQLite(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer copyDB.Close()
	defer snap.Rollback() // read only
	if err := versionError(path, v, version); err != nil {
		return nil, err
	}
	sums, err := sqliteSums(ctx, snap)
	if err == nil {
		p.phase("read every table's checksum")
	}
	return sums, err
}

// snapshotPostgres reads every table of the PostgreSQL database at dsn in
// one snapshot into a new SQLite database at file, and checks the file
// against what it read: the checksums returned are those of the snapshot,
// and the file's equal them.
func snapshotPostgres(ctx context.Context, dsn, file string, version int, p *progress) ([]TableSum, error) {
	src, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("--db: %w", err)
	}
	defer src.Close()
	fresh, err := db.OpenMigrated(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("make the backup's database: %w", err)
	}
	fresh.Close()
	// The file's own connection: foreign keys are checked once at the end
	// (tables are copied in name order, not in the order their keys need),
	// and nothing needs syncing before the file is whole.
	out, err := sql.Open("sqlite", "file:"+file+"?_pragma=foreign_keys(0)&_pragma=synchronous(OFF)"+
		"&_time_integer_format=unix_micro&_inttotime=1")
	if err != nil {
		return nil, err
	}
	defer out.Close()
	out.SetMaxOpenConns(1)
	var read []TableSum
	err = onPgConn(ctx, src, func(pc *pgx.Conn) error {
		snap, err := pc.BeginTx(ctx, snapshotTx)
		if err != nil {
			return err
		}
		defer snap.Rollback(ctx) // read only
		v, err := pgVersion(ctx, snap)
		if err != nil {
			return err
		}
		if err := versionError(config.Mask(dsn), v, version); err != nil {
			return err
		}
		w, err := out.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer w.Rollback() // after Commit it does nothing
		if read, err = copyToSQLite(ctx, snap, w, p); err != nil {
			return err
		}
		return w.Commit()
	})
	if err == nil {
		err = selfContained(ctx, out)
	}
	if err != nil {
		return nil, err
	}
	p.phase("copied every table into the backup")
	check, snap, _, err := beginSQLite(ctx, file)
	if err != nil {
		return nil, err
	}
	defer check.Close()
	defer snap.Rollback() // read only
	written, err := sqliteSums(ctx, snap)
	if err != nil {
		return nil, err
	}
	sortSums(read)
	if diff := compareSums(read, written); diff != "" {
		return nil, fmt.Errorf("the backup's database differs from PostgreSQL's snapshot (no backup was written): %s", diff)
	}
	p.phase("checked every table of the backup")
	return read, nil
}

// selfContained moves the new database's write-ahead log into the file and
// leaves WAL mode, as VACUUM INTO's copy is: the backup holds the one file,
// with nothing of it in a -wal beside it. (db.Open puts a restored file
// back in WAL mode.)
func selfContained(ctx context.Context, out *sql.DB) error {
	var mode string
	if err := out.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil || mode != "delete" {
		return fmt.Errorf("finish the backup's database: journal mode %q: %v", mode, err)
	}
	return nil
}

// copyToSQLite copies every table of the PostgreSQL snapshot into the new
// SQLite database's transaction w and returns the checksums of what it read.
func copyToSQLite(ctx context.Context, snap pgx.Tx, w *sql.Tx, p *progress) ([]TableSum, error) {
	tables, err := pgTables(ctx, snap)
	if err != nil {
		return nil, err
	}
	if err := checkSQLiteTables(ctx, w, tables); err != nil {
		return nil, err
	}
	// The new database's seed rows (SLA policies, holidays, …) make way for
	// the city's own.
	for _, t := range tables {
		if _, err := w.ExecContext(ctx, "DELETE FROM "+quote(t.name)); err != nil {
			return nil, fmt.Errorf("clear %s: %w", t.name, err)
		}
	}
	var sums []TableSum
	for _, t := range tables {
		d, err := copyTableToSQLite(ctx, snap, w, t, p)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		sums = append(sums, TableSum{Name: t.name, Rows: d.rows, SHA256: d.sum()})
	}
	if err := copySequences(ctx, snap, w, tables); err != nil {
		return nil, err
	}
	// The roll-ups' triggers marked every copied row; the new database's
	// rollup_state says they are not built, so the first refresh after a
	// restore builds them from all rows.
	for _, t := range []string{"rollup_days", "rollup_dirty"} {
		if _, err := w.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return nil, err
		}
	}
	var broken int
	if err := w.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil {
		return nil, err
	}
	if broken > 0 {
		return nil, fmt.Errorf("%d rows of PostgreSQL's snapshot break a foreign key in the backup (no backup was written)", broken)
	}
	return sums, nil
}

// textDates are the DATE columns Lontara's SQLite stores keep as text
// (internal/calendar compares holidays.day with 'YYYY-MM-DD'); the others
// hold a time, as every TIMESTAMP does.
var textDates = map[string]bool{"holidays.day": true}

func copyTableToSQLite(ctx context.Context, snap pgx.Tx, w *sql.Tx, t table, p *progress) (*digest, error) {
	var total int64
	if err := snap.QueryRow(ctx, "SELECT count(*) FROM "+quote(t.name)).Scan(&total); err != nil {
		return nil, err
	}
	marks := make([]string, len(t.cols))
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	ins, err := w.PrepareContext(ctx, "INSERT INTO "+quote(t.name)+" ("+t.columnList()+") VALUES ("+strings.Join(marks, ", ")+")")
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	args := make([]any, len(t.cols))
	onRow := p.rows(t.name, total)
	var n int64
	return pgRead(ctx, snap, t, func(vals []any) error {
		copy(args, vals)
		for i, c := range t.cols {
			if c.kind == kindDate && vals[i] != nil && textDates[t.name+"."+c.name] {
				args[i] = vals[i].(time.Time).Format("2006-01-02")
			}
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return err
		}
		if n++; onRow != nil {
			onRow(n)
		}
		return nil
	})
}

// copySequences carries each sequence's last value into sqlite_sequence for
// the tables SQLite numbers with AUTOINCREMENT, so an id given out before the
// backup (and its row since deleted) is not given out again after a restore
// — the same promise migrate-data keeps the other way (resetSequences).
func copySequences(ctx context.Context, snap pgx.Tx, w *sql.Tx, tables []table) error {
	for _, t := range tables {
		if len(t.serial) != 1 {
			continue
		}
		var last *int64
		if err := snap.QueryRow(ctx, `SELECT pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass)`,
			quote(t.name), t.serial[0]).Scan(&last); err != nil {
			return fmt.Errorf("read the sequence of %s: %w", t.name, err)
		}
		if last == nil {
			continue // never used
		}
		// A table of AUTOINCREMENT has a row in sqlite_sequence once it had
		// one row; an emptied one keeps it.
		if _, err := w.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq)
			SELECT $1, 0 FROM sqlite_master WHERE type = 'table' AND name = $1 AND sql LIKE '%AUTOINCREMENT%'
				AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1)`, t.name); err != nil {
			return fmt.Errorf("carry the sequence of %s: %w", t.name, err)
		}
		if _, err := w.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = max(seq, $2) WHERE name = $1`, t.name, *last); err != nil {
			return fmt.Errorf("carry the sequence of %s: %w", t.name, err)
		}
	}
	return nil
}
