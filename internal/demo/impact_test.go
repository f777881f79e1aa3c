package demo

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/impact"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkImpact checks that the city has a training event whose impact shows.
func checkImpact(t *testing.T, d *db.DB) {
	ctx := context.Background()
	var event int64
	if err := d.R.QueryRow(`SELECT id FROM events WHERE title = 'Bimtek Operator SIPD Angkatan I'`).Scan(&event); err != nil {
		t.Fatal(err)
	}
	executive := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Executive}}}
	im, err := impact.NewService(d, cityZone()).Event(ctx, executive, event, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !im.Conclusive || im.Attendees != impactAttendees || im.Comparison < impactAttendees || len(im.Apps) != 1 {
		t.Fatalf("impact: conclusive %v, %d attendees, %d colleagues, apps %+v", im.Conclusive, im.Attendees, im.Comparison, im.Apps)
	}
	if m := im.Measures[0]; m.Key != impact.Tickets || m.Verdict != impact.Improved {
		t.Errorf("tickets: %s %v", m.Verdict, m.Effect)
	}
	if m := im.Measures[1]; m.Key != impact.SelfService || m.Attendees.CountAfter == 0 {
		t.Errorf("self-service after: %+v", m.Attendees)
	}
	var future int
	if err := d.R.QueryRow(`SELECT count(*) FROM tickets WHERE created_at > $1`, time.Now().UTC()).Scan(&future); err != nil || future > 0 {
		t.Errorf("%d tickets filed in the future, %v", future, err)
	}
}
