package kannel_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestADeliveredReportDoesNotUndoAFailedOneRecordedAtTheSameMoment: a
// long SMS's parts report apart, and a "delivered" that comes in while a
// "failed" of another part is being recorded must leave the message
// failed. The "failed" is held in an open transaction while the
// "delivered" comes in, then committed.
func TestADeliveredReportDoesNotUndoAFailedOneRecordedAtTheSameMoment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.StartWith(t, d, func(c *config.Config) {
			c.KannelSendSMSURL, c.SMSSecret = "http://127.0.0.1:1/cgi-bin/sendsms", "rahasia-dlr"
		})
		ctx := context.Background()
		if err := outbox.Enqueue(ctx, d.W, outbox.Message{Channel: outbox.SMS, Address: "+6281234500077",
			Kind: "command", Body: "Tiket T-000077 diterima"}); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := d.W.QueryRow(`SELECT MAX(id) FROM outbox`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE outbox SET status = 'sent' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		tx, err := d.W.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := outbox.Report(ctx, tx, outbox.SMS, id, false, "kannel: failed"); err != nil {
			t.Fatal(err)
		}
		got := make(chan int, 1)
		go func() {
			resp, err := http.Get(fmt.Sprintf("%s/channels/sms/kannel/dlr?secret=rahasia-dlr&id=%d&status=1", h.URL, id))
			if err != nil {
				got <- 0
				return
			}
			resp.Body.Close()
			got <- resp.StatusCode
		}()
		// Let the "delivered" reach the database and wait there: on
		// PostgreSQL for the row the "failed" holds, on SQLite for the
		// one writer.
		dbtest.WaitForLockWaits(t, d, 1, "outbox")
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if code := <-got; code != http.StatusOK {
			t.Fatalf("delivered report: %d", code)
		}
		var status string
		if err := d.R.QueryRow(`SELECT status FROM outbox WHERE id = $1`, id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != outbox.Failed {
			t.Errorf("a delivered part undid a failed one: %s", status)
		}
	})
}
