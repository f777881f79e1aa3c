package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lontara-id/lontara/internal/db"
)

// collector reads the outbox's state at each scrape: the messages per
// status and channel (one GROUP BY over the status index) and how late the
// oldest due message is, per channel — the backlog an alert watches. Being
// read from the table, the figures are the deployment's, whichever node is
// scraped, and survive restarts.
type collector struct {
	db       *db.DB
	messages *prometheus.Desc
	late     *prometheus.Desc
}

// NewCollector returns the Prometheus collector of the outbox over d.
func NewCollector(d *db.DB) prometheus.Collector {
	return &collector{db: d,
		messages: prometheus.NewDesc("lontara_outbox_messages",
			"Messages in the outbox by status and channel (dead ones wait for an admin's retry).",
			[]string{"status", "channel"}, nil),
		late: prometheus.NewDesc("lontara_outbox_oldest_due_seconds",
			"How long the oldest message due for delivery (pending or with an expired lease) has waited, by channel; 0 when none.",
			[]string{"channel"}, nil)}
}

// Describe sends the descriptors of the metrics.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.messages
	ch <- c.late
}

// Collect reads the outbox; a failed read shows as a scrape error rather
// than as zeros.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := Counts(ctx, c.db.R)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.messages, err)
		return
	}
	seen := map[[2]string]int{}
	for _, n := range counts {
		seen[[2]string{n.Status, n.Channel}] = n.Count
	}
	// Every pair is reported, zeros too, so a rate or an alert on dead
	// messages has a series from the start.
	for _, s := range Statuses {
		for _, chn := range Channels {
			ch <- prometheus.MustNewConstMetric(c.messages, prometheus.GaugeValue, float64(seen[[2]string{s, chn}]), s, chn)
		}
	}
	now := time.Now().UTC()
	for _, chn := range Channels {
		// ORDER BY rather than MIN: SQLite's MIN loses the column's time type.
		var oldest sql.NullTime
		err := c.db.R.QueryRowContext(ctx, `SELECT next_at FROM outbox
			WHERE status IN ('pending', 'sending') AND channel = $1 AND next_at <= $2 ORDER BY next_at LIMIT 1`,
			chn, now).Scan(&oldest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			ch <- prometheus.NewInvalidMetric(c.late, fmt.Errorf("outbox: oldest due: %w", err))
			return
		}
		late := 0.0
		if oldest.Valid {
			late = now.Sub(oldest.Time).Seconds()
		}
		ch <- prometheus.MustNewConstMetric(c.late, prometheus.GaugeValue, max(late, 0), chn)
	}
}
