package competency_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestRequirementsAreSetCityWideByExpertsAndPerAgencyByItsAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		expert := person(t, d, kominfo, "Andi", "andi@makassarkota.go.id", policy.Expert)
		admin := person(t, d, dinkes, "Nur'aini", "nuraini@makassarkota.go.id", policy.AgencyAdmin)
		sipd := app(t, d, kominfo, "sipd", "SIPD", "active")
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		security, _ := svc.ByCode(ctx, competency.CodeSecurity)
		operate, _ := svc.ByCode(ctx, "sipd.operasi")
		position, err := db.InsertID(ctx, d.W, `INSERT INTO positions (name, created_at) VALUES ('Pranata Komputer', $1) RETURNING id`, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		role := "employee"

		city, err := svc.AddRequirement(ctx, expert, competency.RequirementInput{CompetencyID: security.ID, Level: 2, Role: &role})
		if err != nil {
			t.Fatal(err)
		}
		if city.AgencyID != nil || city.Role == nil || *city.Role != "employee" || city.CompetencyCode != competency.CodeSecurity {
			t.Errorf("city-wide requirement = %+v", city)
		}
		if _, err := svc.AddRequirement(ctx, expert, competency.RequirementInput{CompetencyID: operate.ID, Level: 3, AppID: &sipd}); err != nil {
			t.Fatal(err)
		}
		own, err := svc.AddRequirement(ctx, admin, competency.RequirementInput{CompetencyID: security.ID, Level: 3,
			PositionID: &position, AgencyID: &dinkes})
		if err != nil {
			t.Fatal(err)
		}
		if own.PositionName != "Pranata Komputer" || own.AgencyName != "Dinas Kesehatan" {
			t.Errorf("agency requirement = %+v", own)
		}
		if _, err := svc.AddRequirement(ctx, admin, competency.RequirementInput{CompetencyID: security.ID, Level: 1, Role: &role}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agency admin adding a city-wide requirement: %v, want forbidden", err)
		}
		if _, err := svc.AddRequirement(ctx, admin, competency.RequirementInput{CompetencyID: security.ID, Level: 1,
			Role: &role, AgencyID: &kominfo}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agency admin adding another agency's: %v, want forbidden", err)
		}
		if _, err := svc.AddRequirement(ctx, expert, competency.RequirementInput{CompetencyID: security.ID, Level: 4, Role: &role}); !errs.Is(err, errs.Conflict) {
			t.Errorf("the same requirement again: %v, want a conflict", err)
		}
		bad := "mayor"
		_, err = svc.AddRequirement(ctx, expert, competency.RequirementInput{CompetencyID: 0, Level: 5, Role: &bad, AppID: &sipd})
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"competency_id", "level", "role", "target"}) {
			t.Errorf("bad requirement fields %v", got)
		}

		list, _, err := svc.Requirements(ctx, competency.RequirementFilter{AgencyID: &dinkes}, db.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Errorf("what applies in Dinkes: %d requirements, want 3 (two of the city, one its own)", len(list))
		}
		page1, next, err := svc.Requirements(ctx, competency.RequirementFilter{}, db.Page{Limit: 2})
		if err != nil || len(page1) != 2 || next == "" {
			t.Fatalf("first page: %d, %q, %v", len(page1), next, err)
		}
		page2, next2, err := svc.Requirements(ctx, competency.RequirementFilter{}, db.Page{Limit: 2, After: next})
		if err != nil || len(page2) != 1 || next2 != "" || page2[0].ID == page1[0].ID || page2[0].ID == page1[1].ID {
			t.Errorf("second page: %+v, %q, %v", page2, next2, err)
		}

		if r, err := svc.SetRequirementLevel(ctx, admin, own.ID, 4); err != nil || r.Level != 4 {
			t.Errorf("level change: %+v, %v", r, err)
		}
		if _, err := svc.SetRequirementLevel(ctx, admin, city.ID, 4); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agency admin changing a city requirement: %v", err)
		}
		if err := svc.RemoveRequirement(ctx, admin, own.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GetRequirement(ctx, own.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a removed requirement: %v", err)
		}
	})
}
