package competency_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

func app(t *testing.T, d *db.DB, owner int64, slug, name, status string) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, slug, name, owner, status, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTheDefaultFrameworkIsMadeOnceAndGrowsWithNewApplications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		app(t, d, kominfo, "sipd", "SIPD", "active")
		app(t, d, kominfo, "e-lama", "Aplikasi Lama", "retired")

		n, err := competency.EnsureDefaults(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if n != 8 { // six general ones, SIPD's two; none for a retired application
			t.Errorf("first run added %d, want 8", n)
		}
		for _, code := range []string{competency.CodeDigitalLiteracy, competency.CodeSecurity, competency.CodeWebmail,
			competency.CodeWebsite, competency.CodeData, competency.CodeNetwork, "sipd.operasi", "sipd.administrasi"} {
			c, err := svc.ByCode(ctx, code)
			if err != nil {
				t.Errorf("%s: %v", code, err)
				continue
			}
			if c.Level(1) == "" || c.Level(4) == "" || c.Version != 1 {
				t.Errorf("%s: levels %q, version %d", code, c.Levels, c.Version)
			}
		}
		sipd, _ := svc.ByCode(ctx, "sipd.operasi")
		if sipd.AppSlug != "sipd" || sipd.AppUse == nil || *sipd.AppUse != competency.UseOperate || sipd.Name != "Mengoperasikan SIPD" {
			t.Errorf("sipd.operasi = %+v", sipd)
		}
		security, _ := svc.ByCode(ctx, competency.CodeSecurity)
		if security.Months() != 12 {
			t.Errorf("information security lapses after %d months, want 12", security.Months())
		}

		// The expert team retires one; the next run leaves it so.
		expert := person(t, d, kominfo, "Andi", "andi@makassarkota.go.id", policy.Expert)
		yes := true
		if _, err := svc.Update(ctx, expert, sipd.ID, competency.Change{Retired: &yes}); err != nil {
			t.Fatal(err)
		}
		if n, err = competency.EnsureDefaults(ctx, d); err != nil || n != 0 {
			t.Errorf("second run added %d (%v), want 0", n, err)
		}
		if c, _ := svc.ByCode(ctx, "sipd.operasi"); !c.Retired() {
			t.Error("the second run brought back a retired competency")
		}

		frameworks, err := svc.Frameworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var appsFramework competency.Framework
		for _, f := range frameworks {
			if f.Code == competency.FrameworkApps {
				appsFramework = f
			}
		}
		before := appsFramework.Version
		app(t, d, kominfo, "simpeg", "SIMPEG", "active")
		if err := svc.DefaultsJob(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ByCode(ctx, "simpeg.administrasi"); err != nil {
			t.Errorf("a new application's competency: %v", err)
		}
		after, _ := svc.GetFramework(ctx, appsFramework.ID)
		if after.Version != before+1 {
			t.Errorf("the applications' framework went from version %d to %d, want one step", before, after.Version)
		}
	})
}

// Every node runs the defaults job when it starts: two runs at once make
// the framework once between them, and neither fails.
func TestTwoNodesMakingTheDefaultsAtOnceBothSucceed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		app(t, d, kominfo, "sipd", "SIPD", "active")
		start := make(chan struct{})
		added := make([]int, 2)
		failed := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				<-start
				added[i], failed[i] = competency.EnsureDefaults(ctx, d)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range failed {
			if err != nil {
				t.Errorf("run %d: %v", i, err)
			}
		}
		if added[0]+added[1] != 8 {
			t.Errorf("the runs added %v, want 8 between them", added)
		}
		var frameworks, comps int
		must(t, d.R.QueryRow(`SELECT count(*) FROM competency_frameworks`).Scan(&frameworks))
		must(t, d.R.QueryRow(`SELECT count(*) FROM competencies`).Scan(&comps))
		if frameworks != 2 || comps != 8 {
			t.Errorf("%d frameworks and %d competencies, want 2 and 8", frameworks, comps)
		}
	})
}
