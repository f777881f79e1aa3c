package jobs_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestMetricsShowEachJobsRunsAndLastRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			jobs.NewRunner(d).Run(ctx, []jobs.Job{
				{Name: "ok", Every: time.Hour, Run: func(context.Context, time.Time) error { return nil }},
				{Name: "fails", Every: time.Hour, Run: func(context.Context, time.Time) error { return errors.New("hiccup") }},
			})
			close(done)
		}()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM job_runs WHERE last_finished_at IS NOT NULL`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of the 2 jobs finished a run in 10 s", n)
			}
		}
		cancel()
		<-done
		r := h.Do(t, "GET", "/metrics", "", nil, "")
		if r.Status != http.StatusOK {
			t.Fatalf("metrics: %d %s", r.Status, r.Body)
		}
		body := string(r.Body)
		for _, want := range []string{`lontara_job_runs_total{job="ok"} 1`, `lontara_job_runs_total{job="fails"} 1`,
			`lontara_job_last_failed{job="ok"} 0`, `lontara_job_last_failed{job="fails"} 1`} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		m := regexp.MustCompile(`lontara_job_last_finished_timestamp_seconds\{job="ok"\} (\S+)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no last finished time of ok")
		}
		if at, err := strconv.ParseFloat(m[1], 64); err != nil || time.Since(time.Unix(int64(at), 0)) > time.Minute {
			t.Errorf("ok last finished at %s, want about now", m[1])
		}
	})
}
