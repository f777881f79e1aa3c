package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// runImportEmployees imports a SIMPEG export. It prints what it did, or
// every problem it found (line, column, reason) and exits 1 with nothing
// imported.
func runImportEmployees(ctx context.Context, io IO, fs *flag.FlagSet, args []string) error {
	var c config.Config
	if err := config.Bind(fs, &c, "db"); err != nil {
		return err
	}
	dryRun := fs.Bool("dry-run", false, "check the file and report what would change, without saving anything")
	agencyCode := fs.String("agency", "", "import only into the agency with this code (rows may leave kode OPD empty)")
	lang := fs.String("lang", i18n.ID, "language of the report: id or en")
	// Flags may follow the file too (import employees FILE --dry-run): the
	// flag package stops at the first argument, so parse again after it.
	var files []string
	for {
		rest, err := parse(fs, args)
		if err != nil {
			return err
		}
		if len(rest) == 0 {
			break
		}
		files, args = append(files, rest[0]), rest[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := openDB(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	s := org.NewService(d)
	// The running nodes drop the cached tokens of the people imported.
	s.SetPersonChangedHook(func(ctx context.Context, tx db.Querier, id int64) error {
		return auth.ForgetPersonIn(ctx, d, tx, id)
	})
	var scope *int64
	if *agencyCode != "" {
		a, err := s.GetAgencyByCode(ctx, *agencyCode)
		if err != nil {
			return fmt.Errorf("--agency %s: %w", *agencyCode, err)
		}
		scope = &a.ID
	}
	rep, err := s.ImportEmployees(ctx, policy.SystemActor("cli"), scope, f, files[0], *dryRun)
	l := i18n.Valid(*lang)
	for _, p := range rep.Errors {
		fmt.Fprintln(io.Stdout, p.Message(l))
	}
	if e := errs.As(err); e != nil {
		return errors.New(e.Message(l))
	}
	if err != nil {
		return err
	}
	printReport(io, rep, l)
	return nil
}

func printReport(io IO, rep org.ImportReport, lang string) {
	key := "import.done"
	if rep.DryRun {
		key = "import.dry_run"
	}
	fmt.Fprintln(io.Stdout, i18n.T(lang, key, rep.Rows, rep.Created, rep.Updated, rep.Unchanged))
}
