package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lontara-id/lontara/internal/db"
)

// collector reads job_runs at each scrape: the figures are the
// deployment's (every node's runs), whichever node is scraped.
type collector struct {
	db                   *db.DB
	runs, finished, fail *prometheus.Desc
}

// NewCollector returns the Prometheus collector of the scheduled jobs over d.
func NewCollector(d *db.DB) prometheus.Collector {
	return &collector{db: d,
		runs: prometheus.NewDesc("lontara_job_runs_total",
			"Ticks of each scheduled job taken, on every node together.", []string{"job"}, nil),
		finished: prometheus.NewDesc("lontara_job_last_finished_timestamp_seconds",
			"When each job's last finished run ended (Unix time; 0: none yet). An alert compares it with the job's interval.",
			[]string{"job"}, nil),
		fail: prometheus.NewDesc("lontara_job_last_failed",
			"1 when each job's last finished run failed, else 0.", []string{"job"}, nil)}
}

// Describe sends the descriptors of the metrics.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.runs
	ch <- c.finished
	ch <- c.fail
}

// Collect reads job_runs; a failed read shows as a scrape error rather
// than as zeros.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := c.db.R.QueryContext(ctx, `SELECT name, runs, last_finished_at, last_error FROM job_runs ORDER BY name`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.runs, fmt.Errorf("jobs: job_runs: %w", err))
		return
	}
	defer rows.Close()
	for rows.Next() {
		var name, lastErr string
		var runs int64
		var finished sql.NullTime
		if err := rows.Scan(&name, &runs, &finished, &lastErr); err != nil {
			ch <- prometheus.NewInvalidMetric(c.runs, fmt.Errorf("jobs: job_runs: %w", err))
			return
		}
		at, failed := 0.0, 0.0
		if finished.Valid {
			at = float64(finished.Time.UnixMilli()) / 1000
		}
		if lastErr != "" {
			failed = 1
		}
		ch <- prometheus.MustNewConstMetric(c.runs, prometheus.CounterValue, float64(runs), name)
		ch <- prometheus.MustNewConstMetric(c.finished, prometheus.GaugeValue, at, name)
		ch <- prometheus.MustNewConstMetric(c.fail, prometheus.GaugeValue, failed, name)
	}
	if err := rows.Err(); err != nil {
		ch <- prometheus.NewInvalidMetric(c.runs, fmt.Errorf("jobs: job_runs: %w", err))
	}
}
