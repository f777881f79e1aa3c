package mail_test

import (
	"fmt"
	"net/smtp"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// A mail bomb: 1,000 mails from one sender within a minute over four
// parallel SMTP connections. The first ten open tickets (and are
// answered); the rest are kept in the inbound log as throttled, with
// their subject and body, and not acted on: nothing lost, no thousand
// tickets, no thousand answers.
func TestAMailBombOpensABoundedNumberOfTicketsAndLosesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		who := "bom." + r.uniq + "@warga.example"
		const conns, each = 4, 250
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, conns)
		for c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[c] = bomb(r.smtp, who, c, each)
			}()
		}
		wg.Wait()
		took := time.Since(start)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if took > time.Minute {
			t.Errorf("1,000 mails took %s", took)
		}
		t.Logf("1,000 mails over %d SMTP connections in %s", conns, took.Round(time.Millisecond))
		tickets := r.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who)
		throttled := r.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = $1 AND status = 'throttled'
			AND subject <> '' AND body <> ''`, who)
		answers := r.count(t, `SELECT COUNT(*) FROM outbox WHERE address = $1`, who)
		if tickets != 10 || throttled != conns*each-10 || answers != 10 {
			t.Errorf("%d tickets, %d throttled, %d answers; want 10, %d, 10", tickets, throttled, answers, conns*each-10)
		}
	})
}

// bomb sends n mails over one SMTP connection.
func bomb(addr, who string, conn, n int) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	for i := range n {
		if err := c.Mail(who); err != nil {
			return err
		}
		if err := c.Rcpt("bantuan@makassarkota.go.id"); err != nil {
			return err
		}
		w, err := c.Data()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "From: %s\r\nSubject: Bom %d-%d\r\nMessage-ID: <bom.%d.%d.%s>\r\n\r\nIsi %d.\r\n", who, conn, i,
			conn, i, who, i)
		if err := w.Close(); err != nil {
			return fmt.Errorf("mail %d-%d: %w", conn, i, err)
		}
	}
	return c.Quit()
}
