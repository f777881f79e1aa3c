package ledger_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// cityLedger fills d with a city of people in agencies, each with a few
// pieces of learning this year and last (about a third reach 20 JP).
func cityLedger(tb testing.TB, d *db.DB, agencies, people int) {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for a := 1; a <= agencies; a++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO agencies (id, code, name, type, created_at, updated_at)
				VALUES ($1, $2, $3, 'dinas', $4, $4)`, a, "OPD"+strconv.Itoa(a), "OPD "+strconv.Itoa(a), now); err != nil {
				return err
			}
		}
		const batch = 100
		for start := 1; start <= people; start += batch {
			var emp, rec []string
			var ea, ra []any
			for id := start; id < start+batch && id <= people; id++ {
				n := len(ea)
				emp = append(emp, fmt.Sprintf("($%d, $%d, $%d, 'contract', $%d, $%d)", n+1, n+2, n+3, n+4, n+4))
				ea = append(ea, id, id%agencies+1, "Pegawai "+strconv.Itoa(id), now)
				for k := range id % 4 {
					m := len(ra)
					rec = append(rec, fmt.Sprintf("($%d, 'bimtek', 'Bimtek', $%d, 'manual', $%d, $%d, $%d)", m+1, m+2, m+3, m+4, m+5))
					at := now.AddDate(0, 0, -k*40)
					ra = append(ra, id, 3+id%5*2, id*4+k, at, now)
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO employees (id, agency_id, name, employment_type, created_at,
				updated_at) VALUES `+strings.Join(emp, ", "), ea...); err != nil {
				return err
			}
			if len(rec) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO learning_records (employee_id, kind, title, jp, source_kind,
					source_id, completed_at, created_at) VALUES `+strings.Join(rec, ", "), ra...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.W.Exec(`ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkCityLedger reads the city's ledger of 15,000 people in 60
// agencies: one grouped query, whatever the number of people.
func BenchmarkCityLedger(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			d := dbtest.SQLite(b)
			if engine == "postgres" {
				d = dbtest.Postgres(b)
			}
			cityLedger(b, d, 60, 15000)
			svc := ledger.NewService(d, time.UTC)
			expert := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				c, err := svc.City(ctx, expert, 0)
				if err != nil || c.Total.People != 15000 {
					b.Fatalf("city: %v, %d people", err, c.Total.People)
				}
			}
		})
	}
}

// BenchmarkBehindInTheCity reads the first page of everyone behind in the
// city, fewest JP first.
func BenchmarkBehindInTheCity(b *testing.B) {
	d := dbtest.SQLite(b)
	cityLedger(b, d, 60, 15000)
	svc := ledger.NewService(d, time.UTC)
	expert := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		list, _, _, err := svc.People(ctx, expert, ledger.Filter{Behind: true}, db.Page{Limit: 50})
		if err != nil || len(list) != 50 {
			b.Fatalf("behind: %v, %d", err, len(list))
		}
	}
}

func TestTheCityLedgerCountsEveryoneInOneGroupedQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cityLedger(t, d, 6, 600)
		svc := ledger.NewService(d, time.UTC)
		expert := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}
		c, err := svc.City(context.Background(), expert, 0)
		if err != nil {
			t.Fatal(err)
		}
		var people, jp int
		for _, a := range c.Agencies {
			people += a.People
			jp += a.JP
		}
		var want int
		if err := d.R.QueryRow(`SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE completed_at >= $1`,
			c.Year.From).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if len(c.Agencies) != 6 || people != 600 || c.Total.People != 600 || jp != want || c.Total.JP != want {
			t.Errorf("city: %d agencies, %d people, %d JP (total %d), want 6, 600, %d", len(c.Agencies), people, jp, c.Total.JP, want)
		}
		// Every page of the city's people, walked by cursor, is everyone once.
		seen := map[int64]bool{}
		page := db.Page{Limit: 250}
		for {
			list, next, _, err := svc.People(context.Background(), expert, ledger.Filter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range list {
				if seen[r.EmployeeID] || (i > 0 && r.JP < list[i-1].JP) {
					t.Fatalf("person %d twice or out of order", r.EmployeeID)
				}
				seen[r.EmployeeID] = true
			}
			if next == "" {
				break
			}
			page.After = next
		}
		if len(seen) != 600 {
			t.Errorf("pages held %d people, want 600", len(seen))
		}
	})
}
