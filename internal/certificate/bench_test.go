package certificate_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

// crowd makes n people with accounts in one agency, and competencies for
// events to build.
func crowd(tb testing.TB, d *db.DB, n int) (people []int64, comps []int64) {
	tb.Helper()
	ctx := context.Background()
	agency := dbtest.Agency(tb, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	for _, code := range []string{"literasi-digital", "keamanan-informasi", "webmail"} {
		comps = append(comps, dbtest.Competency(tb, d, code, code))
	}
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			id, err := db.InsertID(ctx, tx, `INSERT INTO employees (agency_id, name, email, employment_type, created_at,
				updated_at) VALUES ($1, $2, $3, 'contract', $4, $4) RETURNING id`,
				agency, fmt.Sprintf("Peserta Nur'aini %d", i), fmt.Sprintf("peserta%d@makassarkota.go.id", i), now)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (employee_id, created_at, updated_at) VALUES ($1, $2, $2)`,
				id, now); err != nil {
				return err
			}
			people = append(people, id)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return people, comps
}

// finishedEvent makes a finished event that everyone in people completed.
func finishedEvent(tb testing.TB, d *db.DB, people, comps []int64) int64 {
	tb.Helper()
	ctx := context.Background()
	event := dbtest.Event(tb, d, "Bimtek Literasi Digital Angkatan Besar", len(people), 16)
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for i, c := range comps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, $3)`,
				event, c, i%4+1); err != nil {
				return err
			}
		}
		for _, p := range people {
			if _, err := tx.ExecContext(ctx, `INSERT INTO enrolments (event_id, employee_id, status, approval, source,
				completed_at, created_at, updated_at) VALUES ($1, $2, 'completed', 'not_needed', 'organizer', $3, $3, $3)`,
				event, p, now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE events SET finished_at = $1 WHERE id = $2`, now, event)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return event
}

// BenchmarkIssue500 issues the certificates of a finished event of 500
// people (each with three competencies' evidence and a notification), one
// event per iteration. Run:
//
//	go test -run '^$' -bench Issue500 -count 5 ./internal/certificate/
//
// (with LONTARA_TEST_PG set, it runs on PostgreSQL too).
func BenchmarkIssue500(b *testing.B) {
	engines := map[string]func(testing.TB) *db.DB{"sqlite": dbtest.SQLite}
	if os.Getenv(dbtest.PGEnv) != "" {
		engines["postgres"] = dbtest.Postgres
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			d := open(b)
			people, comps := crowd(b, d, 500)
			svc := certificate.NewService(d, time.UTC)
			expert := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}
			for b.Loop() {
				b.StopTimer()
				event := finishedEvent(b, d, people, comps)
				b.StartTimer()
				out, err := svc.Issue(context.Background(), expert, event)
				if err != nil || out.Issued != 500 {
					b.Fatalf("issued %d: %v", out.Issued, err)
				}
			}
		})
	}
}

// TestIssuingALargeEventGivesEachPersonTheirEvidence: a 500-person event's
// certificates come out whole, each with its competencies' evidence. Its
// speed is BenchmarkIssue500's to show, not a timed test's.
func TestIssuingALargeEventGivesEachPersonTheirEvidence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		people, comps := crowd(t, d, 500)
		event := finishedEvent(t, d, people, comps)
		expert := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}
		out, err := certificate.NewService(d, time.UTC).Issue(context.Background(), expert, event)
		if err != nil || out.Issued != 500 {
			t.Fatalf("issued %d: %v", out.Issued, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE source = 'certificate'`); n != 1500 {
			t.Errorf("%d evidence rows, want 1500", n)
		}
	})
}
