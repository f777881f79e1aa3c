package mail_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
)

// bounceOf is a delivery report of failure naming the Message-IDs ids.
func bounceOf(who string, ids ...string) string {
	bounces++
	return "From: MAILER-DAEMON@warga.example\nTo: " + who + "\nSubject: Undelivered\nMessage-ID: <b" +
		strconv.Itoa(bounces) + "." + who + ">\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n--R\nContent-Type: text/plain\n\n" +
		"Gagal dikirim.\n--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; warga.example\n\n" +
		"Final-Recipient: rfc822; " + who + "\nAction: failed\nStatus: 5.1.1\n--R\nContent-Type: message/rfc822\n\n" +
		"Message-ID: " + strings.Join(ids, "\nReferences: ") + "\nSubject: x\n\nx\n--R--\n"
}

var bounces int

func TestAForgedBounceMarksNothingFailed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		ctx := context.Background()
		who := "forge." + r.uniq + "@warga.example"
		if err := send(r.smtp, who, "bantuan@makassarkota.go.id", "From: "+who+
			"\nSubject: Halo\nMessage-ID: <f1."+r.uniq+"@x>\n\nHalo.\n"); err != nil {
			t.Fatal(err)
		}
		r.deliver(t)
		var ack int64
		if err := d.R.QueryRow(`SELECT id FROM outbox WHERE address = $1`, who).Scan(&ack); err != nil {
			t.Fatal(err)
		}
		// An SMS, sent: a bounce must never reach another channel's row.
		if err := outbox.Enqueue(ctx, d.W, outbox.Message{Channel: outbox.SMS, Address: "+6281100" + strconv.Itoa(int(ack%10000)),
			Kind: "test", Lang: "id", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		var sms int64
		if err := d.R.QueryRow(`SELECT MAX(id) FROM outbox WHERE channel = 'sms'`).Scan(&sms); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE outbox SET status = 'sent' WHERE id = $1`, sms); err != nil {
			t.Fatal(err)
		}
		ours := "<lontara." + strconv.FormatInt(ack, 10) + "@makassarkota.go.id>"
		for name, tc := range map[string]struct{ envFrom, id string }{
			"from a person, not <>": {who, ours},
			"another domain":        {"", "<lontara." + strconv.FormatInt(ack, 10) + "@lain.example>"},
			"an SMS's id":           {"", "<lontara." + strconv.FormatInt(sms, 10) + "@makassarkota.go.id>"},
			"an id out of range":    {"", "<lontara.99999999999999999999999@makassarkota.go.id>"},
		} {
			if err := send(r.smtp, tc.envFrom, "bantuan@makassarkota.go.id", bounceOf(who, tc.id)); code(err) != 250 {
				t.Fatalf("%s: SMTP %v", name, err)
			}
			if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE id IN ($1, $2) AND status = 'failed'`, ack, sms); n != 0 {
				t.Fatalf("%s: %d messages marked failed", name, n)
			}
		}
		// The real one still counts.
		if err := send(r.smtp, "", "bantuan@makassarkota.go.id", bounceOf(who, ours)); code(err) != 250 {
			t.Fatal(err)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE id = $1 AND status = 'failed'`, ack); n != 1 {
			t.Error("the real bounce did not mark the answer failed")
		}
	})
}

func TestReferencesOutOfRangeOrOfAnotherDomainOpenATicket(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		for i, ref := range []string{"<lontara.99999999999999999999999@makassarkota.go.id>",
			"<lontara.1@lain.example>", "<t-000001@lain.example>"} {
			who := "ref" + strconv.Itoa(i) + "." + r.uniq + "@warga.example"
			err := send(r.smtp, who, "bantuan@makassarkota.go.id", "From: "+who+"\nSubject: Soal\nMessage-ID: <r"+
				strconv.Itoa(i)+"."+r.uniq+"@x>\nReferences: "+ref+"\n\nIsi.\n")
			if code(err) != 250 {
				t.Fatalf("%s: SMTP %v", ref, err)
			}
			if n := r.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who); n != 1 {
				t.Errorf("%s: %d tickets of the sender, want a new one", ref, n)
			}
		}
	})
}
