package demo

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

func TestTheDemoCityHasMessagesOutAndInButNonePending(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if _, err := LoadCity(context.Background(), d, Options{Employees: 400}); err != nil {
			t.Fatal(err)
		}
		var delivered, dead, due, in, ticketed int
		if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM outbox WHERE status = 'delivered'),
			(SELECT count(*) FROM outbox WHERE status = 'dead' AND last_error <> ''),
			(SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')),
			(SELECT count(*) FROM inbound_messages),
			(SELECT count(*) FROM inbound_messages WHERE status = 'ticket' AND ticket_id IS NOT NULL)`).
			Scan(&delivered, &dead, &due, &in, &ticketed); err != nil {
			t.Fatal(err)
		}
		if delivered != 2 || dead != 1 || due != 0 || in != 4 || ticketed != 1 {
			t.Errorf("channels: %d delivered, %d dead, %d due, %d in (%d opened a ticket)", delivered, dead, due, in, ticketed)
		}
	})
}
