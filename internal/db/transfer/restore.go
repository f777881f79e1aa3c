package transfer

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// RestoreOptions say which backup to restore where (lontara restore).
type RestoreOptions struct {
	From     string    // the backup file
	DB       string    // the database to fill: a SQLite file or a postgres:// URL
	Replace  bool      // overwrite a database that holds data
	Progress io.Writer // the steps and their times; nil: none
}

// ErrNotEmpty is returned when the target holds data and Replace is not set.
var ErrNotEmpty = errors.New("the target database already holds data")

// ErrNewer is returned for a backup of a schema newer than the binary's.
var ErrNewer = errors.New("the backup is newer than this lontara")

// Restore fills the database at o.DB with the backup at o.From, all or
// nothing. It reads the manifest first and refuses a backup of a newer
// schema, and a target that holds data unless o.Replace; then it unpacks
// the backup's database and checks every table against the manifest before
// it touches the target. An older backup is migrated to the binary's schema
// after that check. PostgreSQL is filled by migrate-data's copy, in one
// transaction checked table by table before it commits; a SQLite file is
// written beside the target and renamed over it. The report pairs each
// table's rows and checksum in the manifest (Rows, Checksum) with what the
// restore checked (TargetRows, TargetChecksum).
func Restore(ctx context.Context, o RestoreOptions) (Manifest, Report, error) {
	start := time.Now()
	p := progress{w: o.Progress, since: start}
	var m Manifest
	rep := Report{}
	version, err := binaryVersion()
	if err != nil {
		return m, rep, err
	}
	if o.From == "" || o.DB == "" {
		return m, rep, errors.New("both --from FILE (the backup) and --db (the database to fill) are needed")
	}
	a, err := openArchive(o.From)
	if err != nil {
		return m, rep, err
	}
	defer a.Close()
	m = a.manifest
	if m.SchemaVersion > version {
		return m, rep, fmt.Errorf("%w: the backup is at schema version %d, this lontara at %d; restore it with lontara %s "+
			"(which took it) or a newer one (nothing was written)", ErrNewer, m.SchemaVersion, version, m.Lontara)
	}
	p.phase(fmt.Sprintf("%s: a backup of %s (%s) taken %s by lontara %s at schema version %d: %d rows in %d tables; read the manifest",
		o.From, m.Source, m.Engine, m.TakenAt.Format(time.RFC3339), m.Lontara, m.SchemaVersion, m.Rows(), len(m.Tables)))
	held, err := targetData(ctx, o.DB)
	if err != nil {
		return m, rep, err
	}
	if len(held) > 0 && !o.Replace {
		return m, rep, fmt.Errorf("%w: %s. Nothing was written; to overwrite it with the backup, run again with --replace", ErrNotEmpty, describe(held))
	}
	dir, err := workDir(o.DB)
	if err != nil {
		return m, rep, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, databaseName)
	if err := a.extract(file); err != nil {
		return m, rep, fmt.Errorf("%s: %w", o.From, err)
	}
	p.phase("unpacked the database")
	if rep.Tables, err = checkManifest(ctx, file, m); err != nil {
		return m, rep, fmt.Errorf("%s: %w", o.From, err)
	}
	p.phase("checked every table against the manifest")
	if m.SchemaVersion < version {
		d, err := db.OpenMigrated(ctx, file)
		if err != nil {
			return m, rep, fmt.Errorf("migrate the backup from schema version %d: %w", m.SchemaVersion, err)
		}
		d.Close()
		p.phase(fmt.Sprintf("migrated the backup from schema version %d to %d", m.SchemaVersion, version))
	}
	rep.Version = version
	if db.IsPostgres(o.DB) {
		moved, err := Move(ctx, Options{From: file, To: o.DB, Progress: o.Progress, Replace: o.Replace})
		if len(moved.Tables) > 0 {
			rep.Tables = moved.Tables
		}
		rep.Elapsed = time.Since(start)
		return m, rep, err
	}
	err = putInPlace(ctx, file, sqlitePath(o.DB))
	if err == nil {
		p.phase("renamed the restored database into place")
	}
	rep.Elapsed = time.Since(start)
	return m, rep, err
}

// checkManifest checks the unpacked database against the manifest: its
// schema version and every table's rows and checksum.
func checkManifest(ctx context.Context, file string, m Manifest) ([]Table, error) {
	src, snap, v, err := beginSQLite(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer src.Close()
	defer snap.Rollback() // read only
	if v != m.SchemaVersion {
		return nil, fmt.Errorf("%w: its database is at schema version %d, the manifest says %d", ErrDamaged, v, m.SchemaVersion)
	}
	sums, err := sqliteSums(ctx, snap)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if diff := compareSums(m.Tables, sums); diff != "" {
		return nil, fmt.Errorf("%w: its database differs from its manifest: %s", ErrDamaged, diff)
	}
	tables := make([]Table, len(sums))
	for i, s := range sums {
		tables[i] = Table{Name: s.Name, Rows: s.Rows, Checksum: s.SHA256, TargetRows: s.Rows, TargetChecksum: s.SHA256}
	}
	return tables, nil
}

// workDir makes the directory the backup is unpacked in: beside a SQLite
// target, so the restored file is renamed into place on the same file
// system.
func workDir(dsn string) (string, error) {
	if db.IsPostgres(dsn) {
		return os.MkdirTemp("", "lontara-restore-")
	}
	dir := filepath.Dir(sqlitePath(dsn))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("--db: %w", err)
	}
	d, err := os.MkdirTemp(dir, ".lontara-restore-")
	if err != nil {
		return "", fmt.Errorf("--db: %w", err)
	}
	return d, nil
}

// targetData lists the tables of the target that hold other rows than a new
// database's: what a restore would overwrite. A target that does not exist
// yet holds nothing; a file that is not a Lontara database is refused.
func targetData(ctx context.Context, dsn string) ([]TableSum, error) {
	var q *sql.DB
	var list string
	if db.IsPostgres(dsn) {
		d, err := db.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("--db: %w", err)
		}
		defer d.Close()
		var migrated bool
		if err := d.R.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, bookkeeping).Scan(&migrated); err != nil {
			return nil, fmt.Errorf("--db: %w", err)
		}
		if !migrated {
			return nil, nil
		}
		q, list = d.R, `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	} else {
		path := sqlitePath(dsn)
		if fi, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
			return nil, nil
		}
		src, snap, _, err := beginSQLite(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("--db: %w; nothing was written", err)
		}
		snap.Rollback()
		defer src.Close()
		q, list = src, `SELECT name FROM pragma_table_list
			WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY 1`
	}
	have, err := countRows(ctx, q, list)
	if err != nil {
		return nil, fmt.Errorf("--db: %w", err)
	}
	seeds, err := newDatabaseRows(ctx)
	if err != nil {
		return nil, err
	}
	var held []TableSum
	for _, t := range have {
		if t.Rows != seeds[t.Name] {
			held = append(held, t)
		}
	}
	return held, nil
}

// countRows counts the rows of each data table the query list names.
func countRows(ctx context.Context, q *sql.DB, list string) ([]TableSum, error) {
	rows, err := q.QueryContext(ctx, list)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		if copied(n) {
			names = append(names, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts := make([]TableSum, len(names))
	for i, n := range names {
		counts[i].Name = n
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(n)).Scan(&counts[i].Rows); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
	}
	return counts, nil
}

// newDatabaseRows counts the rows a new database holds (its seeds), in a
// SQLite file migrated in a temporary directory.
func newDatabaseRows(ctx context.Context) (map[string]int64, error) {
	dir, err := os.MkdirTemp("", "lontara-new-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ref, err := db.OpenMigrated(ctx, filepath.Join(dir, "new.db"))
	if err != nil {
		return nil, fmt.Errorf("make a new database to compare the target with: %w", err)
	}
	defer ref.Close()
	counts, err := countRows(ctx, ref.R, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	seeds := map[string]int64{}
	for _, c := range counts {
		seeds[c.Name] = c.Rows
	}
	return seeds, err
}

// describe says what the target holds, biggest tables first.
func describe(held []TableSum) string {
	held = slices.Clone(held)
	slices.SortStableFunc(held, func(a, b TableSum) int { return cmp.Compare(b.Rows, a.Rows) })
	var total int64
	parts := []string{}
	for i, t := range held {
		total += t.Rows
		if i < 6 {
			parts = append(parts, fmt.Sprintf("%s %d", t.Name, t.Rows))
		}
	}
	more := ""
	if len(held) > 6 {
		more = fmt.Sprintf(" and %d more tables", len(held)-6)
	}
	return fmt.Sprintf("it holds %d rows in %d tables (%s%s), which the restore would replace", total, len(held), strings.Join(parts, ", "), more)
}

// putInPlace renames the restored file over the SQLite target. A target in
// use is refused: a server would go on writing to the file renamed away.
// Its write-ahead log is checkpointed and removed first — a log left
// beside the new file would be replayed into it.
func putInPlace(ctx context.Context, file, path string) error {
	if _, err := os.Stat(path); err == nil {
		if err := takeOver(ctx, path); err != nil {
			return err
		}
		for _, f := range []string{path + "-wal", path + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	if err := os.Rename(file, path); err != nil {
		return fmt.Errorf("put the restored database in place: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// takeOver makes sure no one else has the SQLite file open — in WAL mode
// every open connection holds a shared lock, so an exclusive one is refused
// at once — and checkpoints its log into it.
func takeOver(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return err
	}
	defer c.Close()
	conn, err := c.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, stmt := range []string{`PRAGMA locking_mode = EXCLUSIVE`, `BEGIN EXCLUSIVE`, `COMMIT`} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s is in use (is lontara serve running on it?): stop it and run the restore again; nothing was written (%v)", path, err)
		}
	}
	var busy, logged, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil || busy != 0 {
		return fmt.Errorf("%s: checkpoint its log before replacing it: busy %d, %v", path, busy, err)
	}
	return nil
}
