package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/testenv"
)

// The crash test's messages: 10,000 notifications, 9,000 by SMS and 1,000 by
// email. Mail is the smaller share because the Mailpit sink is shared and
// keeps only its newest 5,000 messages: 1,000 a run (2,000 for both
// engines) stays under that with room for every other test's mail, so
// none of ours is pruned before it is counted and we push out none of
// theirs.
const (
	crashSMS   = 9000
	crashEmail = 1000
)

// TestServerKilledWhileDeliveringLosesNothing is the crash test on
// the real binary, the real Kannel and the real mail sink: enqueue 10,000
// notifications, start `lontara serve`, SIGKILL it once a good part is
// sent, start it again and let it finish; then every message is counted
// where it arrived (the fake SMSC's log, Mailpit's search) by the run's
// marker and its sequence number. On the way it is also stopped normally
// (SIGTERM) in the middle of a batch and started a third time. Nothing may be missing, and the messages
// that arrived twice may be at most those the dead server held claimed
// ('sending') when it was killed: handed to a gateway, not yet recorded.
//
// The claims of the dead server are leases of 5 minutes; the test ends
// them in the database after the kill, as those minutes passing would.
func TestServerKilledWhileDeliveringLosesNothing(t *testing.T) {
	k := testenv.KannelGateway(t)
	smtpAddr, api := testenv.SMTPSink(t)
	bin := servertest.Build(t)
	// Kannel's delivery reports go to a receiver that stays up, not to the
	// server being killed: smsbox 1.4 panics (gwlib conn_unregister) when
	// the server it is calling back resets the connection, and Kannel is
	// shared with every other test.
	dlr := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer dlr.Close()
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.DSN(t, engine)
			d, err := db.OpenMigrated(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			marker := fmt.Sprintf("crash%d", time.Now().UnixNano())
			enqueueCrash(t, d, marker)
			total := crashSMS + crashEmail
			addr := servertest.FreeAddr(t)
			args := []string{"serve", "--db", dsn, "--addr", addr, "--base-url", dlr.URL,
				"--kannel-sendsms-url", k.SendSMSURL,
				"--sms-sender", "1500", "--sms-secret", k.Secret, "--smtp-relay", smtpAddr,
				"--mail-from", "Layanan Bantuan <bantuan@crash.test>", "--log-level", "warn"}
			start := time.Now()

			srv := servertest.StartProcess(t, bin, args, "first")
			// Killed in the middle of a batch: some recorded sent, a batch
			// claimed and being handed to the gateways.
			waitOutbox(t, d, time.Minute, func(c counts) bool { return c.done >= total/4 && c.sending > 0 })
			if err := srv.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = srv.Wait()
			atKill := countOutbox(t, d)
			t.Logf("%s: SIGKILL after %v: %d of %d recorded sent, %d claimed (sending), %d pending",
				engine, time.Since(start).Round(time.Millisecond), atKill.done, total, atKill.sending, atKill.pending)
			// The dead server's leases end, as 5 minutes passing would, and
			// before the other messages fall due, so the restart takes
			// them first.
			if _, err := d.W.Exec(`UPDATE outbox SET next_at = $1 WHERE status = 'sending'`,
				time.Now().UTC().Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}

			restart := time.Now()
			srv = servertest.StartProcess(t, bin, args, "second")
			// A normal stop (SIGTERM) in the middle of a batch: the server
			// finishes and records it before it exits, so it adds no
			// duplicate.
			waitOutbox(t, d, time.Minute, func(c counts) bool { return c.done >= total*3/4 && c.sending > 0 })
			if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := srv.Wait(); err != nil {
				t.Errorf("the server stopped by SIGTERM: %v", err)
			}
			atStop := countOutbox(t, d)
			t.Logf("%s: SIGTERM: %d recorded sent, %d left claimed", engine, atStop.done, atStop.sending)
			if atStop.sending != 0 {
				t.Errorf("the server stopped by SIGTERM left %d messages claimed", atStop.sending)
			}
			srv = servertest.StartProcess(t, bin, args, "third")
			waitOutbox(t, d, 2*time.Minute, func(c counts) bool { return c.done == total })
			t.Logf("%s: all %d recorded sent %v after the first restart (%v in all)", engine, total,
				time.Since(restart).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			_ = srv.Process.Signal(syscall.SIGTERM)
			_ = srv.Wait()

			smsGot, smsDups := atFakeSMSC(t, k, marker, crashSMS)
			mailGot, mailDups := atMailpit(t, api, marker, crashEmail)
			t.Logf("%s: the fake SMSC got %d of %d SMS (%d twice); Mailpit got %d of %d emails (%d twice); "+
				"duplicates %d, bound (claimed at the kill) %d", engine, smsGot, crashSMS, smsDups, mailGot, crashEmail,
				mailDups, smsDups+mailDups, atKill.sending)
			if smsGot != crashSMS || mailGot != crashEmail {
				t.Errorf("lost messages: SMS %d of %d, email %d of %d", smsGot, crashSMS, mailGot, crashEmail)
			}
			if smsDups+mailDups > atKill.sending {
				t.Errorf("%d messages arrived twice, more than the %d claimed at the kill", smsDups+mailDups, atKill.sending)
			}
		})
	}
}

// enqueueCrash writes the crash test's messages, one email after every
// nine SMS, each to its own address and carrying marker and its number.
func enqueueCrash(t *testing.T, d *db.DB, marker string) {
	t.Helper()
	msgs := make([]outbox.Message, 0, crashSMS+crashEmail)
	for i := range crashSMS + crashEmail {
		text := fmt.Sprintf("%s %d Tiket Anda sudah dijawab.", marker, i)
		if i%10 == 9 {
			msgs = append(msgs, outbox.Message{Channel: outbox.Email, Address: fmt.Sprintf("warga%d@crash.test", i),
				Kind: "ticket.replied", Subject: text, Body: text})
			continue
		}
		msgs = append(msgs, outbox.Message{Channel: outbox.SMS, Address: fmt.Sprintf("+62857%08d", i),
			Kind: "ticket.replied", Body: text})
	}
	if err := outbox.Enqueue(context.Background(), d.W, msgs...); err != nil {
		t.Fatal(err)
	}
}

// counts are the outbox's rows by where they stand.
type counts struct{ pending, sending, done, other int }

func countOutbox(t *testing.T, d *db.DB) counts {
	t.Helper()
	rows, err := d.R.Query(`SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var c counts
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			t.Fatal(err)
		}
		switch status {
		case outbox.Pending:
			c.pending += n
		case outbox.Sending:
			c.sending += n
		case outbox.Sent, outbox.Delivered:
			c.done += n
		default:
			c.other += n
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitOutbox polls the outbox until ok holds, for at most limit.
func waitOutbox(t *testing.T, d *db.DB, limit time.Duration, ok func(counts) bool) {
	t.Helper()
	var c counts
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if c = countOutbox(t, d); ok(c) {
			return
		}
	}
	rows, err := d.R.Query(`SELECT last_error, COUNT(*) FROM outbox WHERE last_error <> '' GROUP BY last_error`)
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var e string
			var n int
			_ = rows.Scan(&e, &n)
			t.Logf("%d messages failed with: %s", n, e)
		}
	}
	t.Fatalf("the outbox did not get there in %v: %+v", limit, c)
}

// atMailpit waits until Mailpit holds want distinct messages carrying
// marker (subject "marker seq …"), for at most 30 s, and returns how many
// distinct ones and how many more than once it holds. Messages are told
// apart by Mailpit's own id, so a page shifted by new arrivals counts
// nothing twice.
func atMailpit(t *testing.T, api, marker string, want int) (distinct, dups int) {
	t.Helper()
	seqOf := map[string]int{}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		const page = 1000
		for start := 0; ; start += page {
			q := url.Values{"query": {marker}, "start": {strconv.Itoa(start)}, "limit": {strconv.Itoa(page)}}
			resp, err := http.Get(api + "/api/v1/search?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			var res struct {
				Messages []struct{ ID, Subject string } `json:"messages"`
			}
			err = json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("Mailpit search: %v", err)
			}
			for _, m := range res.Messages {
				if _, rest, ok := strings.Cut(m.Subject, marker+" "); ok {
					seq, _, _ := strings.Cut(rest, " ")
					if n, err := strconv.Atoi(seq); err == nil {
						seqOf[m.ID] = n
					}
				}
			}
			if len(res.Messages) < page {
				break
			}
		}
		bySeq := map[int]int{}
		for _, n := range seqOf {
			bySeq[n]++
		}
		distinct, dups = len(bySeq), len(seqOf)-len(bySeq)
		if distinct >= want || time.Now().After(deadline) {
			return distinct, dups
		}
	}
}
