package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/outbox"
)

// TestTheFloodLimitHoldsAcrossNodes: mails from one sender reach two nodes
// over one database at once, twenty each; between them they open Limit
// tickets, not Limit per node, and keep the rest as throttled.
func TestTheFloodLimitHoldsAcrossNodes(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			outbox.SetActive(outbox.Email)
			dbs := dbtest.Nodes(t, engine, 2)
			var nodes []*mail.Inbox
			for _, d := range dbs {
				nodes = append(nodes, mail.NewInbox(d, helpdesk.NewService(d), deskFrom))
			}
			first := dbs[0]
			const each = 20
			who := "banjir@warga.example"
			var wg sync.WaitGroup
			errs := make([]error, 2*each)
			for i := range 2 * each {
				wg.Add(1)
				go func() {
					defer wg.Done()
					raw := fmt.Sprintf("From: %s\r\nSubject: Banjir %d\r\nMessage-ID: <banjir.%d@warga.example>\r\n\r\nIsi %d.\r\n",
						who, i, i, i)
					_, errs[i] = nodes[i%2].Receive(context.Background(), who, []byte(raw))
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			var tickets, throttled int
			if err := first.R.QueryRow(`SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			if err := first.R.QueryRow(`SELECT COUNT(*) FROM inbound_messages WHERE sender = $1 AND status = 'throttled'`,
				who).Scan(&throttled); err != nil {
				t.Fatal(err)
			}
			if limit := nodes[0].Limit; tickets != limit || throttled != 2*each-limit {
				t.Errorf("%d tickets and %d throttled over two nodes; want %d and %d", tickets, throttled, limit, 2*each-limit)
			}
		})
	}
}
