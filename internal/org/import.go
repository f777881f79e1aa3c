package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
)

// ImportReport says what an import did, or would do (DryRun), or why it
// did nothing (Errors).
type ImportReport struct {
	Rows      int           `json:"rows"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	DryRun    bool          `json:"dry_run"`
	Errors    []ImportError `json:"errors"`
}

// ImportError is one problem in the file: the line (as the editor numbers
// it), the column (as the file names it) and the reason, an i18n key under
// "err." with its arguments, so the report reads in either language.
type ImportError struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Key    string `json:"key"`
	Args   []any  `json:"args,omitempty"`
}

// Message renders the problem in lang: "baris 5, kolom NIP: NIP harus 18 digit".
func (e ImportError) Message(lang string) string {
	return i18n.T(lang, "import.problem", e.Line, e.Column, i18n.T(lang, "err."+e.Key, e.Args...))
}

func errImportFile(key string, args ...any) error { return errs.New(errs.Invalid, key, args...) }

// errDryRun rolls back a dry run after every step but the commit.
var errDryRun = errors.New("dry run")

// ImportEmployees imports people from a SIMPEG export (CSV or XLSX) in one
// transaction. Every row is checked first; if any is wrong nothing is
// written, the report lists each problem and the error is Invalid. People
// are matched by NIP, or by email for staff without one; matched people are
// updated, the others created, and people missing from the file are left
// alone. agencyScope, when set, limits the import to that agency (an agency
// admin's import); the actor needs policy.EmployeeImport for every agency
// the file touches. dryRun does everything but commit.
func (s *Service) ImportEmployees(ctx context.Context, actor *policy.Actor, agencyScope *int64, r io.Reader,
	filename string, dryRun bool) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun, Errors: []ImportError{}}
	if agencyScope != nil {
		if err := policy.Check(actor, policy.EmployeeImport, policy.Target{AgencyID: *agencyScope}); err != nil {
			return rep, err
		}
	} else if actor == nil {
		return rep, errs.New(errs.Unauthorized, "unauthorized")
	}
	t, err := readTable(r, filename)
	if err != nil {
		return rep, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		im, err := newImport(ctx, tx, s.db.Engine(), s.now(), t, agencyScope)
		if err != nil {
			return err
		}
		im.check()
		if err := im.protect(ctx, tx, actor); err != nil {
			return err
		}
		rep.Rows, rep.Errors = len(im.rows), im.problems
		if len(im.problems) > 0 {
			return errs.New(errs.Invalid, "import.rejected", len(im.problems))
		}
		for _, id := range im.agencies() {
			if err := policy.Check(actor, policy.EmployeeImport, policy.Target{AgencyID: id}); err != nil {
				return err
			}
		}
		if err := im.write(ctx, tx, actor); err != nil {
			return err
		}
		rep.Created, rep.Updated, rep.Unchanged = im.count(actCreate), im.count(actUpdate), im.count(actNone)
		if dryRun {
			return errDryRun
		}
		if rep.Updated > 0 { // names and addresses changed: everyone's, rather than an event per person
			return s.changedPerson(ctx, tx, 0)
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil && errs.As(err) == nil {
		err = fmt.Errorf("org: import %s: %w", filename, err)
	}
	return rep, err
}
