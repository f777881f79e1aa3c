package impact_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/impact"
)

// BenchmarkEventImpact500 computes the impact of one bimtek that 500
// people of the city data set (15,000 people) completed 60 days ago, with
// their colleagues in the same positions as the comparison group and
// 6,000 tickets of 2,000 of them in the windows (two before, one after),
// beside the data set's own tickets, posts and self-service.
func BenchmarkEventImpact500(b *testing.B) {
	d := dbtest.SQLite(b)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, d, demo.City, 1); err != nil {
		b.Fatal(err)
	}
	event := seedImpact(b, d, 500)
	svc := impact.NewService(d, time.UTC)
	b.ResetTimer()
	var im impact.Impact
	for b.Loop() {
		var err error
		if im, err = svc.Event(ctx, executive, event, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if im.Attendees != 500 || im.Comparison < 400 || !im.Conclusive {
		b.Fatalf("attendees %d, comparison %d, conclusive %v", im.Attendees, im.Comparison, im.Conclusive)
	}
	b.ReportMetric(float64(im.Comparison), "comparison")
}

// seedImpact makes the event and its people's activity in one transaction.
func seedImpact(b *testing.B, d *db.DB, n int) int64 {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	starts := now.AddDate(0, 0, -60)
	var app, comp int64
	if err := d.R.QueryRow(`SELECT app_id, id FROM competencies WHERE app_use = 'operate' ORDER BY id LIMIT 1`).Scan(&app, &comp); err != nil {
		b.Fatal(err)
	}
	event := finishedEvent(b, d, "Bimtek massal", comp, starts)
	// The attendees: n people of the largest agencies, position by position.
	rows, err := d.R.Query(`SELECT e.id, a.id, e.agency_id FROM employees e JOIN accounts a ON a.employee_id = e.id
		WHERE e.active = TRUE AND e.position_id IS NOT NULL ORDER BY e.agency_id, e.position_id, e.id`)
	if err != nil {
		b.Fatal(err)
	}
	type who struct{ employee, account, agency int64 }
	var all []who
	for rows.Next() {
		var p who
		if err := rows.Scan(&p.employee, &p.account, &p.agency); err != nil {
			b.Fatal(err)
		}
		all = append(all, p)
	}
	rows.Close()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for i, p := range all {
			if i < 2*n && i%2 == 0 { // every other person attends: their colleagues in the same positions stay
				if _, err := tx.Exec(`INSERT INTO enrolments (event_id, employee_id, status, approval, source, completed_at,
					created_at, updated_at) VALUES ($1, $2, 'completed', 'not_needed', 'organizer', $3, $3, $3)`,
					event, p.employee, starts); err != nil {
					return err
				}
			}
			if i >= 4*n {
				continue
			}
			for k := range 3 { // three tickets each in the windows, some about other applications
				at := starts.AddDate(0, 0, -80+30*k+i%7)
				if k == 2 {
					at = starts.AddDate(0, 0, 5+i%40)
				}
				if _, err := tx.Exec(`INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id, agency_id,
					priority, status, first_response_due, resolution_due, created_at, updated_at) VALUES ('Kendala', $1, 'web',
					'application', $2, $3, 'normal', 'closed', $4, $4, $4, $4)`, p.account, app, p.agency, at); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return event
}
