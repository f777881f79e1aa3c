package helpdesk_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/testenv"
)

// BenchmarkMinistryCreateTicketAPI is BenchmarkCreateTicketAPI on a loaded
// ministry data set (`lontara demo --scale ministry`: 300,000 people, three
// years of tickets), filed by one of its employees, on either engine. It
// reads LONTARA_BENCH_DB, a PostgreSQL URL or SQLite file that must be a
// copy: the benchmark adds its tickets. scripts/bench.sh makes the copy and
// runs it with BENCH_SCALE=ministry.
func BenchmarkMinistryCreateTicketAPI(b *testing.B) {
	dsn := os.Getenv("LONTARA_BENCH_DB")
	if dsn == "" {
		testenv.Missing(b, "a loaded ministry data set",
			"LONTARA_BENCH_DB=<a copy of lontara demo --scale ministry> (or BENCH_SCALE=ministry scripts/bench.sh)")
	}
	d, err := db.OpenMigrated(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	var email string
	err = d.R.QueryRow(`SELECT e.email FROM employees e JOIN accounts a ON a.employee_id = e.id
		WHERE a.active AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role <> 'employee')
		ORDER BY a.id LIMIT 1 OFFSET 500`).Scan(&email)
	if err != nil {
		b.Fatalf("an employee of the data set: %v", err)
	}
	h := servertest.Start(b, d)
	token := h.Token(b, email)
	body := []byte(`{"subject":"SIMPEG tidak bisa dibuka","body":"Muncul galat 502 sejak pagi.","category":"application"}`)
	load(b, 32, http.StatusCreated, func() *http.Request {
		req, _ := http.NewRequest("POST", h.URL+"/api/v1/tickets", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		return req
	})
}
