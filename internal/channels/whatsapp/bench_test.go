package whatsapp_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
)

// BenchmarkWorkerDeliversToTheFake measures the outbox worker handing
// WhatsApp messages to the Cloud API (the local fake): b.N messages
// enqueued, then delivered batch by batch, 32 at once.
func BenchmarkWorkerDeliversToTheFake(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) { benchDeliver(b, engine.open(b)) })
	}
}

// benchDeliver enqueues b.N messages on d and times their delivery.
func benchDeliver(b *testing.B, d *db.DB) {
	ctx := context.Background()
	f := whatsapptest.New(b)
	msgs := make([]outbox.Message, b.N)
	for i := range msgs {
		msgs[i] = outbox.Message{Channel: outbox.WhatsApp, Address: fmt.Sprintf("+62812%08d", i), Kind: "reply",
			Ref: "T-000001", Body: "Tiket Anda sudah dijawab."}
	}
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return outbox.Enqueue(ctx, tx, msgs...) }); err != nil {
		b.Fatal(err)
	}
	w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.WhatsApp: senderTo(f)})
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n, err := w.RunOnce(ctx)
		if err != nil || n == 0 {
			b.Fatalf("claimed %d, %v", n, err)
		}
		sent += n
	}
	b.StopTimer()
	if got := len(f.Sent()); got != b.N {
		b.Fatalf("the fake took %d, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
