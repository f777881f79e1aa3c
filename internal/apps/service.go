package apps

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service holds the catalog's rules.
type Service struct{ db *db.DB }

// NewService returns the catalog service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// CreateApp adds an application to the catalog. The actor must be allowed
// to write apps of the owner agency (its admin, an expert, the superadmin).
func (s *Service) CreateApp(ctx context.Context, actor *policy.Actor, in AppInput) (App, error) {
	in.normalize()
	if err := in.validate().Err(); err != nil {
		return App{}, err
	}
	if err := policy.Check(actor, policy.AppWrite, policy.Target{AgencyID: in.OwnerAgencyID}); err != nil {
		return App{}, err
	}
	now := time.Now().UTC()
	a := App{Slug: in.Slug, Name: in.Name, OwnerAgencyID: in.OwnerAgencyID, Status: in.Status, URL: in.URL,
		Description: in.Description, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkStored(ctx, tx, &a); err != nil {
			return err
		}
		if err := insertApp(ctx, tx, &a); err != nil {
			return s.writeErr(err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "app", EntityID: a.ID,
			AgencyID: a.OwnerAgencyID, After: a})
	})
	if err != nil {
		return App{}, err
	}
	return a, nil
}

// UpdateApp changes the fields set in p. Moving an application to another
// owner needs the right to write apps of both agencies, and ends the old
// owner's operator grants unless it is among the users.
func (s *Service) UpdateApp(ctx context.Context, actor *policy.Actor, id int64, p AppPatch) (App, error) {
	var out App
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findApp(ctx, tx, "a.id", id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.AppWrite, policy.Target{AgencyID: before.OwnerAgencyID}); err != nil {
			return err
		}
		in := p.apply(before)
		in.normalize()
		if err := in.validate().Err(); err != nil {
			return err
		}
		if err := policy.Check(actor, policy.AppWrite, policy.Target{AgencyID: in.OwnerAgencyID}); err != nil {
			return err
		}
		a := before
		a.Slug, a.Name, a.OwnerAgencyID, a.Status = in.Slug, in.Name, in.OwnerAgencyID, in.Status
		a.URL, a.Description, a.UpdatedAt = in.URL, in.Description, time.Now().UTC()
		if err := s.checkStored(ctx, tx, &a); err != nil {
			return err
		}
		if err := updateApp(ctx, tx, a); err != nil {
			return s.writeErr(err)
		}
		out = a
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "app", EntityID: a.ID,
			AgencyID: a.OwnerAgencyID, Before: before, After: a}); err != nil {
			return err
		}
		if a.OwnerAgencyID == before.OwnerAgencyID {
			return nil
		}
		// The old owner's operators stay only if it still uses the application.
		users, err := usedBy(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		return pruneOperators(ctx, s.db, tx, actor, a.ID, a.OwnerAgencyID, refIDs(users))
	})
	return out, err
}

// checkStored checks the rules that need the database: the owner exists
// (filling in its name) and no other application has the slug.
func (s *Service) checkStored(ctx context.Context, q db.Querier, a *App) error {
	var v errs.Validation
	name, ok, err := agencyName(ctx, q, a.OwnerAgencyID)
	if err != nil {
		return fmt.Errorf("apps: owner agency: %w", err)
	}
	if !ok {
		v.Add("owner_agency_id", "agency.unknown")
	}
	a.OwnerAgencyName = name
	taken, err := slugTaken(ctx, q, a.Slug, a.ID)
	if err != nil {
		return fmt.Errorf("apps: slug: %w", err)
	}
	if taken {
		v.Add("slug", "slug.taken")
	}
	return v.Err()
}

// writeErr turns a constraint the checks could not foresee (a concurrent
// insert of the same slug) into the same field error.
func (s *Service) writeErr(err error) error {
	if key, ok := s.db.Dialect.UniqueViolation(err); ok && key == "apps.slug" {
		return errs.FieldErr("slug", "slug.taken")
	}
	if s.db.Dialect.ForeignKeyViolation(err) {
		return errs.FieldErr("owner_agency_id", "agency.unknown")
	}
	return fmt.Errorf("apps: write: %w", err)
}

// GetApp returns an application with the agencies that use it and its
// operators.
func (s *Service) GetApp(ctx context.Context, id int64) (App, error) {
	return s.detail(ctx, "a.id", id)
}

// GetAppBySlug is GetApp by slug.
func (s *Service) GetAppBySlug(ctx context.Context, slug string) (App, error) {
	return s.detail(ctx, "a.slug", slug)
}

func (s *Service) detail(ctx context.Context, col string, val any) (App, error) {
	a, err := findApp(ctx, s.db.R, col, val)
	if err != nil {
		return App{}, err
	}
	if a.UsedBy, err = usedBy(ctx, s.db.R, a.ID); err != nil {
		return App{}, err
	}
	if a.Operators, err = operators(ctx, s.db.R, a.ID); err != nil {
		return App{}, err
	}
	return a, nil
}

// ListApps returns one page of applications ordered by name, and the
// cursor of the next page ("" on the last). An unknown status filter is a
// field error, not an empty list.
func (s *Service) ListApps(ctx context.Context, f AppFilter, p db.Page) ([]App, string, error) {
	if f.Status != nil && !slices.Contains(Statuses, *f.Status) {
		return nil, "", errs.FieldErr("status", "one_of", strings.Join(Statuses, ", "))
	}
	return listApps(ctx, s.db, f, p)
}
