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

func TestAPersonIsToldOnceThatTheLevelTheyHoldLapsesSoon(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		trainer := person(t, d, dinkes, "Pelatih", "pelatih@makassarkota.go.id", policy.Trainer)
		lapsing := person(t, d, dinkes, "Nur'aini", "nuraini@makassarkota.go.id", policy.Employee)
		renewed := person(t, d, dinkes, "Dottoro'ta", "dottorota@makassarkota.go.id", policy.Employee)
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		security, _ := svc.ByCode(ctx, competency.CodeSecurity) // lapses after 12 months
		soon := time.Now().UTC().AddDate(-1, 0, 10)             // lapses in about 10 days
		for _, who := range []*policy.Actor{lapsing, renewed} {
			if _, err := svc.Assess(ctx, trainer, who.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID,
				Level: 3, AssessedAt: &soon}); err != nil {
				t.Fatal(err)
			}
			// Their own word does not lapse into a reminder.
			if _, err := svc.Assess(ctx, who, who.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID,
				Level: 3, AssessedAt: &soon}); err != nil {
				t.Fatal(err)
			}
		}
		// Renewed last week: level 3 holds for another year.
		if _, err := svc.Assess(ctx, trainer, renewed.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 3}); err != nil {
			t.Fatal(err)
		}

		var wg sync.WaitGroup
		counts := make(chan int, 3)
		for range 3 { // three nodes at once
			wg.Go(func() {
				n, err := svc.RemindExpiring(ctx, time.Now())
				if err != nil {
					t.Error(err)
				}
				counts <- n
			})
		}
		wg.Wait()
		close(counts)
		total := 0
		for n := range counts {
			total += n
		}
		if total != 1 {
			t.Errorf("told %d times, want once (Nur'aini only)", total)
		}
		var told int
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'competency.expiring' AND account_id = $1`,
			lapsing.AccountID).Scan(&told); err != nil || told != 1 {
			t.Errorf("Nur'aini was told %d times (%v)", told, err)
		}
		if n, err := svc.RemindExpiring(ctx, time.Now()); err != nil || n != 0 {
			t.Errorf("a second run told %d (%v)", n, err)
		}
	})
}
