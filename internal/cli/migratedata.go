package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db/transfer"
)

func runMigrateData(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	from := fs.String("from", "", "the city's SQLite file (read in one snapshot; the city may keep running)")
	to := fs.String("to", "", "the PostgreSQL database to fill: a postgres:// URL of a new, empty database")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("both --from SQLITE-FILE and --to postgres://… are needed")
	}
	fmt.Fprintf(io.Stderr, "moving %s to %s\n", config.Mask(*from), config.Mask(*to))
	rep, err := transfer.Move(ctx, transfer.Options{From: *from, To: *to, Progress: io.Stderr})
	if len(rep.Tables) > 0 {
		printTransfer(io.Stdout, rep)
	}
	if errors.Is(err, transfer.ErrMismatch) {
		return fmt.Errorf("%w: the tables marked MISMATCH differ; the copy was rolled back and the target holds no copied row", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "moved %d rows in %d tables at schema version %d in %.1f s; every count and checksum matches\n",
		rep.Rows(), len(rep.Tables), rep.Version, rep.Elapsed.Seconds())
	return nil
}

// printTransfer prints a line per table: its rows, the first 16 hex digits
// of its checksum (the comparison uses all of it) and whether the target
// matches.
func printTransfer(w io.Writer, rep transfer.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "table\trows\tchecksum\tok\t")
	for _, t := range rep.Tables {
		ok := "ok"
		if !t.OK() {
			ok = fmt.Sprintf("MISMATCH (target: %d rows, %.16s)", t.TargetRows, t.TargetChecksum)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.16s\t%s\t\n", t.Name, t.Rows, t.Checksum, ok)
	}
	tw.Flush()
}
