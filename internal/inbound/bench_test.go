package inbound_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/inbound"
)

// BenchmarkReceiveText is texts opening tickets, 16 at a time, each from
// its own phone (no throttling): the ticket, the log entry and the answer
// in one transaction each. LONTARA_BENCH_ENGINE=postgres runs it on
// PostgreSQL (LONTARA_TEST_PG).
func BenchmarkReceiveText(b *testing.B) {
	var d *db.DB
	if os.Getenv("LONTARA_BENCH_ENGINE") == "postgres" {
		d = dbtest.Postgres(b)
	} else {
		d = dbtest.SQLite(b)
	}
	texts := inbound.NewTexts(d, helpdesk.NewService(d))
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			r, err := texts.Receive(context.Background(), inbound.Text{Channel: "sms", ExternalID: fmt.Sprint("bench-", i),
				From: fmt.Sprintf("0857%08d", i), Body: "Aplikasi antrean puskesmas tidak bisa dibuka sejak pagi"})
			if err != nil || r.Status != inbound.Ticketed {
				b.Errorf("text %d: %+v %v", i, r, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}
