package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// checkCompetency reads the demo's framework through the service: the
// default competencies, the city's requirements, operators' verified
// levels and self-assessments waiting for their supervisors.
func checkCompetency(t *testing.T, d *db.DB) {
	ctx := context.Background()
	svc := competency.NewService(d)
	list, err := svc.List(ctx, competency.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 6+2*10 {
		t.Errorf("the demo framework has %d competencies", len(list))
	}
	reqs, _, err := svc.Requirements(ctx, competency.RequirementFilter{}, db.Page{Limit: 100})
	if err != nil || len(reqs) < 15 {
		t.Errorf("requirements: %d, %v", len(reqs), err)
	}
	sys := policy.SystemActor("test")
	queue, err := svc.Requests(ctx, sys, 500)
	if err != nil || len(queue) < 20 {
		t.Errorf("self-assessments waiting: %d, %v", len(queue), err)
	}
	var operator int64
	if err := d.R.QueryRow(`SELECT account_id FROM role_grants WHERE role = 'operator' AND app_id IS NOT NULL
		ORDER BY id LIMIT 1`).Scan(&operator); err != nil {
		t.Fatal(err)
	}
	p, err := svc.ProfileOf(ctx, sys, operator) // a demo account's id is its person's
	if err != nil {
		t.Fatal(err)
	}
	verified := 0
	for _, it := range p.Items {
		if it.Level > 0 || it.LapsedLevel > 0 {
			verified++
		}
	}
	if verified == 0 {
		t.Errorf("an operator's profile has nothing verified: %+v", p.Items)
	}
}
