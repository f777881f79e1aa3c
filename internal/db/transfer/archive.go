package transfer

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// A backup file is a gzip-compressed tar archive of two entries:
// manifest.json first, so a restore can refuse a backup before unpacking
// it, then lontara.db, a Lontara SQLite database at the manifest's schema
// version. Standard tools open it (tar xzf), and the database inside can be
// served as it is (lontara serve --db lontara.db) — a way out even without
// `lontara restore`.
const (
	Format       = "lontara-backup/1" // the manifest's format; a restore refuses any other
	manifestName = "manifest.json"
	databaseName = "lontara.db"
)

// Manifest describes a backup: what it was taken from and when, and every
// table's rows and checksum, which a restore checks before it commits.
type Manifest struct {
	Format        string     `json:"format"`
	SchemaVersion int        `json:"schema_version"`
	Engine        db.Engine  `json:"engine"`  // the engine backed up
	Source        string     `json:"source"`  // the database backed up, its password masked
	Lontara       string     `json:"lontara"` // the version of the lontara that took it
	TakenAt       time.Time  `json:"taken_at"`
	DBBytes       int64      `json:"db_bytes"`  // the size of lontara.db
	DBSHA256      string     `json:"db_sha256"` // and its checksum, byte for byte
	Tables        []TableSum `json:"tables"`
}

// Rows is the number of rows in the backup's tables.
func (m Manifest) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// ErrDamaged is returned for a backup file that is not whole: not a
// backup, cut short, or with a database that differs from its manifest.
var ErrDamaged = errors.New("the backup file is damaged")

// writeArchive writes the manifest and the database file at dbPath as the
// backup file to, filling in the manifest's size and checksum of the
// database. It writes a temporary file beside to and renames it, so to
// never holds half a backup; the file is readable by its owner only, as it
// holds the city's personal data and password hashes.
func writeArchive(to string, m *Manifest, dbPath string) error {
	if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("%s has a write-ahead log: the file alone is not the database", dbPath) // a bug, not the operator's
	}
	sum, size, err := fileSHA256(dbPath)
	if err != nil {
		return err
	}
	m.DBSHA256, m.DBBytes = sum, size
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".partial-*")
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename it is gone already
	defer tmp.Close()
	// BestSpeed: about four times faster than the default level on a
	// Lontara database, for a file a few percent larger.
	zw, err := gzip.NewWriterLevel(tmp, gzip.BestSpeed)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(manifest)), ModTime: m.TakenAt}); err != nil {
		return err
	}
	if _, err := tw.Write(manifest); err != nil {
		return err
	}
	f, err := os.Open(dbPath)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := tw.WriteHeader(&tar.Header{Name: databaseName, Mode: 0o600, Size: size, ModTime: m.TakenAt}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", to, err)
	}
	// A link, not a rename: a rename would replace a file made at the same
	// name since the check (two scheduled backups overlapping), and a
	// backup never overwrites one. The deferred Remove drops the temporary
	// name.
	if err := os.Link(tmp.Name(), to); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return existsError(to)
		}
		return fmt.Errorf("write %s: %w", to, err)
	}
	return syncDir(filepath.Dir(to))
}

// archive is a backup file being read: its manifest has been read, its
// database is next.
type archive struct {
	f        *os.File
	tr       *tar.Reader
	manifest Manifest
}

// ReadManifest reads the manifest of the backup file at path.
func ReadManifest(path string) (Manifest, error) {
	a, err := openArchive(path)
	if err != nil {
		return Manifest{}, err
	}
	defer a.Close()
	return a.manifest, nil
}

// openArchive opens the backup file and reads its manifest.
func openArchive(path string) (*archive, error) {
	if err := isFile("--from", path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	a, err := readManifest(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

func readManifest(f *os.File) (*archive, error) {
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%w: not a Lontara backup (not gzip-compressed: %v)", ErrDamaged, err)
	}
	tr := tar.NewReader(zr)
	h, err := tr.Next()
	if err != nil || h.Name != manifestName {
		return nil, fmt.Errorf("%w: not a Lontara backup (no %s at its start)", ErrDamaged, manifestName)
	}
	a := &archive{f: f, tr: tr}
	if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&a.manifest); err != nil {
		return nil, fmt.Errorf("%w: its manifest cannot be read: %v", ErrDamaged, err)
	}
	if a.manifest.Format != Format {
		return nil, fmt.Errorf("not a Lontara backup this lontara reads: format %q, want %q", a.manifest.Format, Format)
	}
	return a, nil
}

// extract writes the backup's database to path and checks its size and
// checksum against the manifest.
func (a *archive) extract(path string) error {
	h, err := a.tr.Next()
	if err != nil || h.Name != databaseName {
		return fmt.Errorf("%w: no %s after the manifest (%v)", ErrDamaged, databaseName, err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	h256 := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h256), a.tr)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if sum := hex.EncodeToString(h256.Sum(nil)); n != a.manifest.DBBytes || sum != a.manifest.DBSHA256 {
		return fmt.Errorf("%w: its database has %d bytes with checksum %.16s, the manifest says %d bytes, %.16s",
			ErrDamaged, n, sum, a.manifest.DBBytes, a.manifest.DBSHA256)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

func (a *archive) Close() error { return a.f.Close() }

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// syncDir makes a rename in dir survive a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// existsError refuses a backup's --to that names an existing file: a backup
// never overwrites one.
func existsError(to string) error {
	return fmt.Errorf("--to: %s exists; a backup never overwrites a file: choose a new name", to)
}
