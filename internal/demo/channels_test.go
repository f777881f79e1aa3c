package demo

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
)

// checkChannels checks that the city has messages out and in, but none waiting to be sent.
func checkChannels(t *testing.T, d *db.DB) {
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
}
