package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkDiscussion checks that the city discusses and its agencies have coaches.
func checkDiscussion(t *testing.T, d *db.DB) {
	ctx := context.Background()
	var spaces, threads, answered, levels int
	if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM spaces), (SELECT COUNT(*) FROM threads),
		(SELECT COUNT(*) FROM threads WHERE accepted_post_id IS NOT NULL), (SELECT COUNT(DISTINCT level) FROM spaces)`).
		Scan(&spaces, &threads, &answered, &levels); err != nil {
		t.Fatal(err)
	}
	if spaces != len(demoSpaces) || threads < 10 || answered < 7 || levels != 4 {
		t.Errorf("%d spaces, %d threads, %d answered, %d levels", spaces, threads, answered, levels)
	}
	var super policy.Actor
	if err := d.R.QueryRow(`SELECT e.id, e.agency_id FROM employees e WHERE e.email = 'superadmin@makassarkota.go.id'`).
		Scan(&super.AccountID, &super.AgencyID); err != nil {
		t.Fatal(err)
	}
	super.EmployeeID, super.Grants = super.AccountID, []policy.Grant{{Role: policy.Superadmin}}
	svc := discuss.NewService(d, nil) // Coaches tells no one
	for _, code := range []string{"KOMINFO", "BKPSDM", "DINKES"} {
		var agency int64
		if err := d.R.QueryRow(`SELECT id FROM agencies WHERE code = $1`, code).Scan(&agency); err != nil {
			t.Fatal(err)
		}
		coaches, err := svc.Coaches(ctx, &super, agency)
		if err != nil || len(coaches) == 0 {
			t.Errorf("%s has no coaches: %v", code, err)
		}
	}
}
