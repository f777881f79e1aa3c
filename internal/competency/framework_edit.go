package competency

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Input is a new competency.
type Input struct {
	FrameworkID int64  `json:"framework_id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// AppID and AppUse (operate, administer) make it an application's
	// competency; leave both out for a general one.
	AppID          *int64   `json:"app_id,omitempty"`
	AppUse         *string  `json:"app_use,omitempty"`
	Levels         []string `json:"levels"`
	ValidityMonths *int     `json:"validity_months,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// Change is an edit of a competency: the fields set are changed. The code
// and the application never change, since other parts link to them.
type Change struct {
	// Version, when set, is the version the editor started from: a save
	// over someone else's newer change is a conflict, not a silent loss.
	Version        *int
	FrameworkID    *int64
	Name           *string
	Description    *string
	Levels         []string
	ValidityMonths *int
	NoValidity     bool // clear the validity: a verified level counts for good
	Retired        *bool
	Note           string
}

func checkLevels(v *errs.Validation, levels []string) {
	if len(levels) != Levels {
		v.Add("levels", "competency.levels_count", Levels)
		return
	}
	for i, l := range levels {
		checkText(v, fmt.Sprintf("level%d", i+1), l, true, maxLevelText)
	}
}

func checkValidity(v *errs.Validation, months *int) {
	if months != nil && (*months < 1 || *months > maxValidity) {
		v.Add("validity_months", "competency.validity_range", maxValidity)
	}
}

// Create adds a competency to a framework (the expert team).
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Competency, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := policy.Check(actor, policy.CompetencyManage, policy.Target{}); err != nil {
			return err
		}
		var err error
		id, err = createCompetency(ctx, tx, s.db.Dialect, actor, in, true)
		return err
	})
	if err != nil {
		return Competency{}, err
	}
	return s.Get(ctx, id)
}

// createCompetency validates and writes a new competency at version 1,
// its first revision and the audit record, and with bump the framework's
// new version (the default framework is raised once for all it adds).
func createCompetency(ctx context.Context, tx db.Querier, dialect db.Dialect, actor *policy.Actor, in Input, bump bool) (int64, error) {
	var v errs.Validation
	if !codePattern.MatchString(in.Code) {
		v.Add("code", "competency.code_format")
	}
	checkText(&v, "name", in.Name, true, maxName)
	checkText(&v, "description", in.Description, false, maxDescription)
	checkText(&v, "note", in.Note, false, maxNote)
	checkLevels(&v, in.Levels)
	checkValidity(&v, in.ValidityMonths)
	if (in.AppID == nil) != (in.AppUse == nil) {
		v.Add("app_use", "competency.app_both")
	} else if in.AppUse != nil && *in.AppUse != UseOperate && *in.AppUse != UseAdminister {
		v.Add("app_use", "one_of", "operate, administer")
	}
	if in.FrameworkID == 0 {
		v.Add("framework_id", "required")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if _, err := getFramework(ctx, tx, in.FrameworkID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return 0, errs.FieldErr("framework_id", "competency.framework_unknown")
		}
		return 0, err
	}
	if err := checkFree(ctx, tx, in); err != nil {
		return 0, err
	}
	at := clock()
	id, err := db.InsertID(ctx, tx, `INSERT INTO competencies (framework_id, code, name, description, app_id, app_use,
		level1, level2, level3, level4, validity_months, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id`,
		in.FrameworkID, in.Code, in.Name, in.Description, in.AppID, in.AppUse,
		in.Levels[0], in.Levels[1], in.Levels[2], in.Levels[3], in.ValidityMonths, at)
	if err != nil {
		if _, ok := dialect.UniqueViolation(err); ok { // made at the same moment by someone else
			return 0, errs.FieldErr("code", "competency.code_taken")
		}
		return 0, fmt.Errorf("create competency: %w", err)
	}
	c, err := getCompetency(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if err := writeRevision(ctx, tx, actor, c, in.Note, at); err != nil {
		return 0, err
	}
	if bump {
		if err := bumpFramework(ctx, tx, actor, c.FrameworkID, fmt.Sprintf("+ %s v1", c.Code), at); err != nil {
			return 0, err
		}
	}
	return id, audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "competency", EntityID: id, After: c})
}

// checkFree checks that the code is not taken and that the application
// exists and has no competency for that use yet.
func checkFree(ctx context.Context, tx db.Querier, in Input) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM competencies WHERE code = $1`, in.Code).Scan(&n); err != nil {
		return fmt.Errorf("competency code: %w", err)
	}
	if n > 0 {
		return errs.FieldErr("code", "competency.code_taken")
	}
	if in.AppID == nil {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM apps WHERE id = $1`, *in.AppID).Scan(&n); err != nil {
		return fmt.Errorf("competency app: %w", err)
	}
	if n == 0 {
		return errs.FieldErr("app_id", "competency.app_unknown")
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM competencies WHERE app_id = $1 AND app_use = $2`,
		*in.AppID, *in.AppUse).Scan(&n); err != nil {
		return fmt.Errorf("competency app: %w", err)
	}
	if n > 0 {
		return errs.FieldErr("app_use", "competency.app_taken")
	}
	return nil
}

// Update publishes a change to a competency: when anything changed, its
// version rises and the new text is kept as a revision beside the older
// ones, and its framework's version rises too.
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, ch Change) (Competency, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := policy.Check(actor, policy.CompetencyManage, policy.Target{}); err != nil {
			return err
		}
		old, err := getCompetency(ctx, tx, id)
		if err != nil {
			return err
		}
		if ch.Version != nil && *ch.Version != old.Version {
			return errs.New(errs.Conflict, "competency.changed", old.Version)
		}
		c, err := apply(ctx, tx, old, ch)
		if err != nil {
			return err
		}
		if !changed(old, c) {
			return nil
		}
		at := clock()
		c.Version = old.Version + 1
		var retired any
		if c.RetiredAt != nil {
			retired = *c.RetiredAt
		}
		// Only over the version read: of two changes published at once
		// (PostgreSQL lets both read it), the second is a conflict.
		res, err := tx.ExecContext(ctx, `UPDATE competencies SET framework_id = $1, name = $2, description = $3,
			level1 = $4, level2 = $5, level3 = $6, level4 = $7, validity_months = $8, retired_at = $9, version = $10,
			updated_at = $11 WHERE id = $12 AND version = $13`, c.FrameworkID, c.Name, c.Description, c.Levels[0], c.Levels[1],
			c.Levels[2], c.Levels[3], c.ValidityMonths, retired, c.Version, at, id, old.Version)
		if err != nil {
			return fmt.Errorf("update competency %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errs.New(errs.Conflict, "competency.changed", c.Version)
		}
		if err := writeRevision(ctx, tx, actor, c, ch.Note, at); err != nil {
			return err
		}
		note := fmt.Sprintf("%s v%d", c.Code, c.Version)
		if ch.Note != "" {
			note += ": " + ch.Note
		}
		if err := bumpFramework(ctx, tx, actor, c.FrameworkID, note, at); err != nil {
			return err
		}
		if c.FrameworkID != old.FrameworkID {
			if err := bumpFramework(ctx, tx, actor, old.FrameworkID, "- "+note, at); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "competency", EntityID: id,
			Before: old, After: c})
	})
	if err != nil {
		return Competency{}, err
	}
	return s.Get(ctx, id)
}

// apply returns old with the change made, validated.
func apply(ctx context.Context, tx db.Querier, old Competency, ch Change) (Competency, error) {
	c := old
	c.Levels = slices.Clone(old.Levels)
	var v errs.Validation
	if ch.Name != nil {
		c.Name = *ch.Name
		checkText(&v, "name", c.Name, true, maxName)
	}
	if ch.Description != nil {
		c.Description = *ch.Description
		checkText(&v, "description", c.Description, false, maxDescription)
	}
	if ch.Levels != nil {
		checkLevels(&v, ch.Levels)
		c.Levels = ch.Levels
	}
	if ch.NoValidity {
		c.ValidityMonths = nil
	} else if ch.ValidityMonths != nil {
		checkValidity(&v, ch.ValidityMonths)
		c.ValidityMonths = ch.ValidityMonths
	}
	checkText(&v, "note", ch.Note, false, maxNote)
	if ch.FrameworkID != nil && *ch.FrameworkID != old.FrameworkID {
		if _, err := getFramework(ctx, tx, *ch.FrameworkID); err != nil {
			if !errs.Is(err, errs.NotFound) {
				return c, err
			}
			v.Add("framework_id", "competency.framework_unknown")
		}
		c.FrameworkID = *ch.FrameworkID
	}
	if ch.Retired != nil && *ch.Retired != old.Retired() {
		if *ch.Retired {
			t := clock()
			c.RetiredAt = &t
		} else {
			c.RetiredAt = nil
		}
	}
	return c, v.Err()
}

// changed reports whether an edit changes anything a revision keeps.
func changed(a, b Competency) bool {
	months := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	return a.FrameworkID != b.FrameworkID || a.Name != b.Name || a.Description != b.Description ||
		!slices.Equal(a.Levels, b.Levels) || months(a.ValidityMonths) != months(b.ValidityMonths) ||
		a.Retired() != b.Retired()
}

func writeRevision(ctx context.Context, tx db.Querier, actor *policy.Actor, c Competency, note string, at any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO competency_revisions (competency_id, version, framework_id, name,
		description, level1, level2, level3, level4, validity_months, retired, note, editor_account_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		c.ID, c.Version, c.FrameworkID, c.Name, c.Description, c.Levels[0], c.Levels[1], c.Levels[2], c.Levels[3],
		c.ValidityMonths, c.Retired(), note, db.NullID(actor.AccountID), at)
	if err != nil {
		return fmt.Errorf("competency revision: %w", err)
	}
	return nil
}

// bumpFramework raises a framework's version for a change inside it and
// keeps what changed as its revision.
func bumpFramework(ctx context.Context, tx db.Querier, actor *policy.Actor, id int64, note string, at any) error {
	if _, err := tx.ExecContext(ctx, `UPDATE competency_frameworks SET version = version + 1, updated_at = $1
		WHERE id = $2`, at, id); err != nil {
		return fmt.Errorf("framework version: %w", err)
	}
	return frameworkRevision(ctx, tx, actor, id, note, at)
}

func frameworkRevision(ctx context.Context, tx db.Querier, actor *policy.Actor, id int64, note string, at any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO competency_framework_revisions (framework_id, version, name,
		description, note, editor_account_id, created_at)
		SELECT id, version, name, description, $1, $2, $3 FROM competency_frameworks WHERE id = $4`,
		clip(note, maxNote), db.NullID(actor.AccountID), at, id)
	if err != nil {
		return fmt.Errorf("framework revision: %w", err)
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
