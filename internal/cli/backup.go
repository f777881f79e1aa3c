package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db/transfer"
)

func runBackup(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	to := fs.String("to", "", "the backup file to write (a new file; gzip-compressed tar of manifest.json and lontara.db)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, "backing up %s to %s\n", config.Mask(c.DB), *to)
	m, err := transfer.Backup(ctx, transfer.BackupOptions{DB: c.DB, To: *to, Lontara: VersionString(), Progress: io.Stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "backed up %d rows in %d tables of %s at schema version %d, as of %s, to %s (%.1f MB before compression)\n",
		m.Rows(), len(m.Tables), m.Engine, m.SchemaVersion, m.TakenAt.Format("2006-01-02 15:04:05 MST"), *to, float64(m.DBBytes)/1e6)
	return nil
}

func runRestore(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	from := fs.String("from", "", "the backup file (made by lontara backup)")
	replace := fs.Bool("replace", false, "overwrite a database that already holds data (without it, such a database is refused)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, "restoring %s into %s\n", *from, config.Mask(c.DB))
	m, rep, err := transfer.Restore(ctx, transfer.RestoreOptions{From: *from, DB: c.DB, Replace: *replace, Progress: io.Stderr})
	if len(rep.Tables) > 0 {
		printTransfer(io.Stdout, rep)
	}
	if errors.Is(err, transfer.ErrMismatch) {
		return fmt.Errorf("%w: the tables marked MISMATCH differ; the restore was rolled back and the target holds no restored row", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "restored %d rows in %d tables from the backup of %s into %s at schema version %d in %.1f s; every count and checksum matches\n",
		m.Rows(), len(m.Tables), m.TakenAt.Format("2006-01-02 15:04:05 MST"), config.Mask(c.DB), rep.Version, rep.Elapsed.Seconds())
	return nil
}
