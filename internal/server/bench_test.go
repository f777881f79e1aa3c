package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/server"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// cityDB generates the city data set (15,000 people) once per benchmark run.
func cityDB(b *testing.B) (string, demo.Result) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "city.db")
	d, err := db.OpenMigrated(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	res, err := demo.Generate(context.Background(), d, demo.City, 1)
	if err != nil {
		b.Fatal(err)
	}
	return path, res
}

// BenchmarkStartup measures what `lontara serve` does before it answers on
// an existing city database: open and check the schema, build the services,
// parse every template.
func BenchmarkStartup(b *testing.B) {
	path, _ := cityDB(b)
	cfg := config.Default()
	b.ResetTimer()
	for b.Loop() {
		d, err := db.OpenMigrated(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		srv, _, err := server.New(cfg, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := srv.Handler(); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}

// BenchmarkEmployeesAPI loads GET /api/v1/employees?agency_id=… with a
// token from 64 concurrent clients over real HTTP on loopback, and reports
// requests per second and the 50th and 99th percentile latencies. The
// issue's target: 3,000 requests/s with p99 under 50 ms (the load script
// scripts/bench-api.sh measures the same with wrk against the binary).
func BenchmarkEmployeesAPI(b *testing.B) {
	path, res := cityDB(b)
	d, err := db.OpenMigrated(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	h := servertest.Start(b, d)
	token := h.Token(b, res.SuperadminEmail)
	var agencyID int64
	if err := d.R.QueryRow(`SELECT agency_id FROM employees GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1`).Scan(&agencyID); err != nil {
		b.Fatal(err)
	}
	url := fmt.Sprintf("%s/api/v1/employees?agency_id=%d", h.URL, agencyID)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	const workers = 64
	latencies := make([][]time.Duration, workers)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var next sync.Mutex
	n := 0
	for w := range workers {
		wg.Go(func() {
			for {
				next.Lock()
				if n >= b.N {
					next.Unlock()
					return
				}
				n++
				next.Unlock()
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				latencies[w] = append(latencies[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}
