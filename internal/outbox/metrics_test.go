package outbox_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestMetricsCountTheOutboxByStatusAndChannelAndShowTheBacklog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6281200000001", Kind: "page", Body: "a"}, outbox.Dead, "x")
		put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6281200000002", Kind: "page", Body: "b"}, outbox.Dead, "x")
		put(t, d, outbox.Message{Channel: outbox.Email, Address: "a@b.id", Kind: "page", Body: "c",
			NextAt: time.Now().Add(-time.Minute)}, outbox.Pending, "")
		r := h.Do(t, "GET", "/metrics", "", nil, "")
		if r.Status != http.StatusOK {
			t.Fatalf("metrics: %d %s", r.Status, r.Body)
		}
		for _, want := range []string{
			`lontara_outbox_messages{channel="sms",status="dead"} 2`,
			`lontara_outbox_messages{channel="email",status="pending"} 1`,
			`lontara_outbox_messages{channel="whatsapp",status="delivered"} 0`,
			`lontara_outbox_oldest_due_seconds{channel="sms"} 0`,
		} {
			if !strings.Contains(string(r.Body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		m := regexp.MustCompile(`lontara_outbox_oldest_due_seconds\{channel="email"\} (\S+)`).FindStringSubmatch(string(r.Body))
		if m == nil {
			t.Fatal("no backlog of email")
		}
		if late, err := strconv.ParseFloat(m[1], 64); err != nil || late < 55 || late > 600 {
			t.Errorf("email backlog %s s, want about 60", m[1])
		}
	})
}

// BenchmarkScrape10k is one scrape of the outbox's metrics over 10,000
// messages: go test -run x -bench Scrape10k ./internal/outbox/
func BenchmarkScrape10k(b *testing.B) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			var d *db.DB
			if engine == db.SQLite {
				d = dbtest.SQLite(b)
			} else {
				d = dbtest.Postgres(b)
			}
			msgs := make([]outbox.Message, 10_000)
			for i := range msgs {
				msgs[i] = outbox.Message{Channel: outbox.Channels[i%3], Address: "+62812" + strconv.Itoa(i), Kind: "page", Body: "b"}
			}
			if err := outbox.Enqueue(b.Context(), d.W, msgs...); err != nil {
				b.Fatal(err)
			}
			if _, err := d.W.Exec(`UPDATE outbox SET status = 'delivered' WHERE id % 4 <> 0`); err != nil {
				b.Fatal(err)
			}
			reg := prometheus.NewRegistry()
			reg.MustRegister(outbox.NewCollector(d))
			b.ResetTimer()
			for b.Loop() {
				if _, err := reg.Gather(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
