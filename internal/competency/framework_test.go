package competency_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// person makes someone of the agency with an account holding role there
// (or city-wide for the city-wide roles) and returns them as an actor.
func person(t *testing.T, d *db.DB, agency int64, name, email string, role policy.Role) *policy.Actor {
	t.Helper()
	emp, acc := dbtest.Person(t, d, agency, name, email)
	g := policy.Grant{Role: role}
	if !role.CityWide() {
		g.AgencyID = agency
	}
	dbtest.Grant(t, d, acc, string(role), g.AgencyID)
	return &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name, Email: email, Grants: []policy.Grant{g}}
}

func levels(prefix string) []string {
	return []string{prefix + " 1", prefix + " 2", prefix + " 3", prefix + " 4"}
}

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid {
		t.Fatalf("error %v, want a validation error", err)
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

func TestAPublishedChangeRaisesTheVersionAndKeepsThePreviousTextAsARevision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		expert := person(t, d, kominfo, "Andi Dottoro'ta", "andi@makassarkota.go.id", policy.Expert)
		clerk := person(t, d, kominfo, "Nur'aini", "nuraini@makassarkota.go.id", policy.Employee)

		fw, err := svc.CreateFramework(ctx, expert, competency.FrameworkInput{Code: "umum", Name: "Kompetensi umum"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateFramework(ctx, clerk, competency.FrameworkInput{Code: "lain", Name: "Lain"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee making a framework: %v, want forbidden", err)
		}
		c, err := svc.Create(ctx, expert, competency.Input{FrameworkID: fw.ID, Code: "tata-naskah", Name: "Tata naskah dinas elektronik",
			Levels: levels("Lama"), Note: "awal"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 1 || c.Level(2) != "Lama 2" {
			t.Fatalf("new competency: version %d, level 2 %q", c.Version, c.Level(2))
		}

		name := "Tata naskah dinas (TNDE) Dottoro'ta"
		v1 := 1
		changed, err := svc.Update(ctx, expert, c.ID, competency.Change{Version: &v1, Name: &name, Levels: levels("Baru"), Note: "uraian baru"})
		if err != nil {
			t.Fatal(err)
		}
		if changed.Version != 2 || changed.Name != name || changed.Level(4) != "Baru 4" {
			t.Errorf("after the change: version %d, name %q, level 4 %q", changed.Version, changed.Name, changed.Level(4))
		}
		old, err := svc.RevisionAt(ctx, c.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.Name != "Tata naskah dinas elektronik" || old.Levels[3] != "Lama 4" || old.Note != "awal" {
			t.Errorf("revision 1 = %+v, want the text before the change", old)
		}
		if old.EditorName != "Andi Dottoro'ta" {
			t.Errorf("revision 1 editor %q", old.EditorName)
		}
		revs, err := svc.Revisions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Version != 2 || revs[0].Name != name {
			t.Errorf("revisions = %+v, want versions 2 and 1, newest first", revs)
		}

		// Saving the same text again publishes nothing.
		same, err := svc.Update(ctx, expert, c.ID, competency.Change{Name: &name})
		if err != nil || same.Version != 2 {
			t.Errorf("an unchanged save: version %d, %v; want 2", same.Version, err)
		}
		// A save over someone else's newer change is a conflict.
		other := "Nama lain"
		if _, err := svc.Update(ctx, expert, c.ID, competency.Change{Version: &v1, Name: &other}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a stale save: %v, want a conflict", err)
		}
		if _, err := svc.Update(ctx, clerk, c.ID, competency.Change{Name: &other}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee editing: %v, want forbidden", err)
		}

		retired := true
		if c, err = svc.Update(ctx, expert, c.ID, competency.Change{Retired: &retired}); err != nil || !c.Retired() || c.Version != 3 {
			t.Fatalf("retired: %+v, %v", c, err)
		}
		list, err := svc.List(ctx, competency.Filter{FrameworkID: &fw.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("the list shows %d retired competencies", len(list))
		}
		if list, _ = svc.List(ctx, competency.Filter{FrameworkID: &fw.ID, Retired: true}); len(list) != 1 {
			t.Errorf("with retired: %d, want 1", len(list))
		}
		fw, err = svc.GetFramework(ctx, fw.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 1 made, 2 the competency added, 3 changed, 4 retired.
		if fw.Version != 4 {
			t.Errorf("framework version %d, want 4", fw.Version)
		}
		frevs, err := svc.FrameworkRevisions(ctx, fw.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(frevs) != 4 || frevs[1].Note != "tata-naskah v2: uraian baru" {
			t.Errorf("framework revisions = %+v", frevs)
		}
		var audits int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'competency' AND entity_id = $1`, strconv.FormatInt(c.ID, 10)).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if audits != 3 {
			t.Errorf("audit records of the competency: %d, want 3 (create, update, retire)", audits)
		}
	})
}

func TestBadCompetencyInputNamesItsFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		expert := person(t, d, kominfo, "Andi", "andi@makassarkota.go.id", policy.Expert)
		fw, err := svc.CreateFramework(ctx, expert, competency.FrameworkInput{Code: "umum", Name: "Umum"})
		if err != nil {
			t.Fatal(err)
		}
		zero, use := 0, "operate"
		cases := []struct {
			name string
			in   competency.Input
			want []string
		}{
			{"a code with capitals and spaces, three levels", competency.Input{FrameworkID: fw.ID, Code: "Bad Code", Name: "X",
				Levels: []string{"a", "b", "c"}}, []string{"code", "levels"}},
			{"an empty name and level, no validity", competency.Input{FrameworkID: fw.ID, Code: "ok", Name: " ",
				Levels: []string{"a", "", "c", "d"}, ValidityMonths: &zero}, []string{"level2", "name", "validity_months"}},
			{"a use without an application", competency.Input{FrameworkID: fw.ID, Code: "ok", Name: "X", Levels: levels("x"),
				AppUse: &use}, []string{"app_use"}},
			{"no framework", competency.Input{Code: "ok", Name: "X", Levels: levels("x")}, []string{"framework_id"}},
		}
		for _, c := range cases {
			_, err := svc.Create(ctx, expert, c.in)
			if got := fieldsOf(t, err); !slices.Equal(got, c.want) {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
			}
		}
		if _, err := svc.Create(ctx, expert, competency.Input{FrameworkID: fw.ID, Code: "ok", Name: "X", Levels: levels("x")}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Create(ctx, expert, competency.Input{FrameworkID: fw.ID, Code: "ok", Name: "Y", Levels: levels("y")})
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"code"}) {
			t.Errorf("a taken code: fields %v", got)
		}
		if _, err := svc.Get(ctx, 9999); !errs.Is(err, errs.NotFound) {
			t.Errorf("an unknown competency: %v", err)
		}
	})
}

func TestChangesPublishedAtOnceOverTheSameVersionLeaveOneWinner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		expert := person(t, d, kominfo, "Andi", "andi@makassarkota.go.id", policy.Expert)
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		c, err := svc.ByCode(ctx, competency.CodeWebmail)
		if err != nil {
			t.Fatal(err)
		}
		const editors = 6
		results := make(chan error, editors)
		var wg sync.WaitGroup
		for i := range editors {
			wg.Go(func() {
				v, name := 1, fmt.Sprintf("Surel dinas %d", i)
				_, err := svc.Update(ctx, expert, c.ID, competency.Change{Version: &v, Name: &name})
				results <- err
			})
		}
		wg.Wait()
		close(results)
		won := 0
		for err := range results {
			switch {
			case err == nil:
				won++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("a concurrent save failed otherwise: %v", err)
			}
		}
		revs, err := svc.Revisions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if won != 1 || len(revs) != 2 {
			t.Errorf("%d saves won and %d revisions exist, want 1 and 2", won, len(revs))
		}
	})
}
