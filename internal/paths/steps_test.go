package paths_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/paths"
	"github.com/lontara-id/lontara/internal/policy"
)

// Steps added at once from several tabs are all kept, none lost and no
// failure: the path's row is locked while its steps change.
func TestStepsEditedAtOnceAreNeitherLostNorAFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		emp, account := dbtest.Person(t, d, agency, "Tim Ahli", "ahli@makassarkota.go.id")
		expert := &policy.Actor{AccountID: account, EmployeeID: emp, AgencyID: agency, Grants: []policy.Grant{{Role: policy.Expert}}}
		s := paths.NewService(d)
		p, err := s.Create(ctx, expert, paths.Input{Title: "Jalur bersama"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var ids []int64
		for i := range n {
			ids = append(ids, activity(t, d, "course", fmt.Sprintf("Kursus %d", i), 2))
		}
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := range n {
			wg.Go(func() { results[i] = s.AddStep(ctx, expert, p.ID, ids[i]) })
		}
		wg.Wait()
		added := 0
		for _, err := range results {
			switch {
			case err == nil:
				added++
			case !errs.Is(err, errs.Conflict):
				t.Errorf("an edit at once: %v, want success or a conflict", err)
			}
		}
		got, err := s.Get(ctx, expert, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Steps) != added || added != n {
			t.Errorf("%d steps kept, %d edits succeeded", len(got.Steps), added)
		}
	})
}

// A path keeps working after one of its activities is retired: it can be
// renamed and its steps moved, while the retired activity cannot be added
// anew.
func TestAPathWithARetiredActivityCanStillBeEdited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		emp, account := dbtest.Person(t, d, agency, "Tim Ahli", "ahli@makassarkota.go.id")
		expert := &policy.Actor{AccountID: account, EmployeeID: emp, AgencyID: agency, Grants: []policy.Grant{{Role: policy.Expert}}}
		old := activity(t, d, "bimtek", "Bimtek SIPD lama", 8)
		fresh := activity(t, d, "course", "Kursus SIPD", 4)
		s := paths.NewService(d)
		p, err := s.Create(ctx, expert, paths.Input{Title: "Operator SIPD baru", ActivityIDs: []int64{old, fresh}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE activities SET retired_at = updated_at WHERE id = $1`, old); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(ctx, expert, p.ID, paths.Input{Title: "Operator SIPD", ActivityIDs: []int64{old, fresh}}); err != nil {
			t.Errorf("renaming a path with a retired step: %v", err)
		}
		if err := s.MoveStep(ctx, expert, p.ID, fresh, -1); err != nil {
			t.Errorf("moving a step of it: %v", err)
		}
		other, err := s.Create(ctx, expert, paths.Input{Title: "Jalur lain"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddStep(ctx, expert, other.ID, old); !errs.Is(err, errs.Invalid) {
			t.Errorf("adding the retired activity anew: %v, want Invalid", err)
		}
	})
}
