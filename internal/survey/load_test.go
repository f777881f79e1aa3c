package survey_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/survey"
)

// The load test: people answer one campaign at once through the HTTP API,
// workers at a time, and every answer must end up as exactly one response
// with all its items. The benchmark does it for a city of 15,000 on
// SQLite (the issue asks for 15,000 within an hour):
//
//	go test ./internal/survey -run '^$' -bench Submit15000 -benchtime 1x

func TestConcurrentSubmissionsLoseNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		st := submitAll(t, d, 300, 24)
		if st.failed != 0 {
			t.Fatalf("%d submissions failed", st.failed)
		}
	})
}

func BenchmarkSubmit15000(b *testing.B) {
	for range b.N {
		st := submitAll(b, dbtest.SQLite(b), 15_000, 64)
		b.ReportMetric(float64(st.people)/st.took.Seconds(), "answers/s")
		b.ReportMetric(float64(st.p99.Milliseconds()), "p99-ms")
		b.Logf("%d answers through HTTP with %d workers in %v (%.0f/s, p50 %v, p99 %v, max %v); moved in %v; every group's results in %v; %d responses, %d answers stored, %d failed",
			st.people, st.workers, st.took.Round(time.Millisecond), float64(st.people)/st.took.Seconds(), st.p50, st.p99, st.max,
			st.move.Round(time.Millisecond), st.results.Round(time.Millisecond), st.responses, st.answers, st.failed)
	}
}

type loadStats struct {
	people, workers, failed, responses, answers int
	took, move, results, p50, p99, max          time.Duration
}

// submitAll makes people employees with accounts over 40 agencies, opens
// an LO campaign over them, has each answer with their one-time link
// through POST /api/v1/surveys/{id}/responses, closes the campaign and
// checks that every answer was stored once.
func submitAll(t testing.TB, d *db.DB, people, workers int) loadStats {
	t.Helper()
	ctx := context.Background()
	h := servertest.Start(t, d)
	seedPeople(t, d, people, 40)
	if _, err := survey.EnsureLO(ctx, d); err != nil {
		t.Fatal(err)
	}
	s := survey.NewService(d, wita)
	c, err := s.CreateCampaign(ctx, executive(), survey.CampaignInput{Period: "2026-Q4", OpensOn: time.Now().In(wita).Format(time.DateOnly),
		ClosesOn: time.Now().In(wita).AddDate(0, 0, 14).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = s.OpenCampaign(ctx, executive(), c.ID); err != nil || c.Invited != people {
		t.Fatalf("opened %+v, %v", c, err)
	}
	ins, err := s.Instruments(ctx, executive())
	if err != nil {
		t.Fatal(err)
	}
	var items []int64
	for _, it := range ins[0].Items {
		items = append(items, it.ID)
	}
	toks := tokens(t, d)
	if len(toks) != people {
		t.Fatalf("%d links sent, want %d", len(toks), people)
	}
	queue := make(chan string, len(toks))
	for _, tok := range toks {
		queue <- tok
	}
	close(queue)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: time.Minute}
	url := fmt.Sprintf("%s/api/v1/surveys/%d/responses", h.URL, c.ID)
	var failed atomic.Int64
	lat := make([][]time.Duration, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for tok := range queue {
				n++
				answers := make([]survey.Answer, len(items))
				for j, id := range items {
					answers[j] = survey.Answer{ItemID: id, Value: 1 + (n+w+j%3)%6}
				}
				body, _ := json.Marshal(map[string]any{"token": tok, "answers": answers})
				t0 := time.Now()
				res, err := client.Post(url, "application/json", bytes.NewReader(body))
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil || res.StatusCode != http.StatusCreated {
					failed.Add(1)
					if err == nil {
						res.Body.Close()
					}
					continue
				}
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	st := loadStats{people: people, workers: workers, took: time.Since(start), failed: int(failed.Load())}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	st.p50, st.p99, st.max = quantiles(all)
	t0 := time.Now()
	if _, err := s.CloseCampaign(ctx, executive(), c.ID); err != nil {
		t.Fatal(err)
	}
	st.move = time.Since(t0)
	t0 = time.Now()
	if ov, err := s.Overview(ctx, executive(), c.ID, "id"); err != nil || ov.City == nil || ov.City.Respondents != people {
		t.Fatalf("results: %+v, %v", ov.City, err)
	}
	st.results = time.Since(t0)
	st.responses = countRows(t, d, `SELECT count(*) FROM survey_responses WHERE campaign_id = $1`, c.ID)
	st.answers = countRows(t, d, `SELECT count(*) FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.campaign_id = $1`, c.ID)
	answered := countRows(t, d, `SELECT count(*) FROM survey_invitations WHERE campaign_id = $1 AND answered`, c.ID)
	if st.failed != 0 || st.responses != people || st.answers != people*len(items) || answered != people ||
		countRows(t, d, `SELECT count(*) FROM survey_pending`) != 0 {
		t.Fatalf("lost answers: %d failed, %d responses, %d answers, %d marked answered, of %d people",
			st.failed, st.responses, st.answers, answered, people)
	}
	return st
}

func quantiles(all []time.Duration) (p50, p99, maxd time.Duration) {
	if len(all) == 0 {
		return
	}
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	return sorted[len(sorted)/2], sorted[len(sorted)*99/100], sorted[len(sorted)-1]
}

func countRows(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// seedPeople inserts n active employees with accounts over agencies
// agencies, in one transaction of multi-row INSERTs.
func seedPeople(t testing.TB, d *db.DB, n, agencies int) {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		types := []string{"dinas", "badan", "kecamatan", "kelurahan"}
		var ids []int64
		for a := range agencies {
			id, err := db.InsertID(ctx, tx, `INSERT INTO agencies (code, name, type, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
				fmt.Sprintf("OPD-%02d", a), fmt.Sprintf("OPD Uji %02d", a), types[a%len(types)], now)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		const per = 200
		for start := 0; start < n; start += per {
			var sb strings.Builder
			var args []any
			for i := start; i < min(start+per, n); i++ {
				if i > start {
					sb.WriteString(", ")
				}
				k := len(args)
				fmt.Fprintf(&sb, "($%d, $%d, 'contract', $%d, $%d)", k+1, k+2, k+3, k+3)
				args = append(args, ids[i%len(ids)], fmt.Sprintf("Pegawai Uji %d", i), now)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO employees (agency_id, name, employment_type, created_at, updated_at) VALUES `+sb.String(), args...); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (employee_id, created_at, updated_at) SELECT id, created_at, created_at FROM employees`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
