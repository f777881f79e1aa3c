package mail_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestMailThatMustNotBeActedOnIsRefusedOrKeptAndNeverAnswered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		// A first mail, answered: the bounce below names the answer.
		first := "pertama." + r.uniq + "@warga.example"
		if err := send(r.smtp, first, "bantuan@makassarkota.go.id", "From: "+first+
			"\nSubject: Halo\nMessage-ID: <p1."+r.uniq+"@x>\n\nHalo.\n"); err != nil {
			t.Fatal(err)
		}
		r.deliver(t)
		var ackID int64
		if err := d.R.QueryRow(`SELECT id FROM outbox WHERE address = $1`, first).Scan(&ackID); err != nil {
			t.Fatal(err)
		}
		big := strings.Repeat(strings.Repeat("a", 99)+"\n", 10600) // over 1 MiB, in lines as mail has them
		exe := "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA="
		tests := []struct {
			name, envFrom, rcpt, raw string
			code                     int
			status                   string // in the inbound log, "" for nothing logged
			tickets                  int    // tickets from this sender
			check                    func(t *testing.T, who string)
		}{
			{name: "no From", envFrom: "x@warga.example", raw: "Subject: tanpa pengirim\n\nisi\n", code: 550},
			{name: "an unparseable From", envFrom: "x@warga.example", raw: "From: bukan alamat\nSubject: x\n\nisi\n", code: 550},
			{name: "a recipient elsewhere", envFrom: "x@warga.example", rcpt: "orang@lain.example",
				raw: "From: WHO\nSubject: x\n\nisi\n", code: 550},
			{name: "a read receipt names our answer but is no bounce", envFrom: "", raw: "From: WHO\nSubject: Dibaca\n" +
				"Content-Type: multipart/report; report-type=disposition-notification; boundary=R\n\n--R\nContent-Type: text/plain\n\n" +
				"Dibaca.\n--R\nContent-Type: message/disposition-notification\n\nOriginal-Message-ID: <lontara." +
				strconv.FormatInt(ackID, 10) + "@makassarkota.go.id>\nDisposition: manual-action/MDN-sent-manually; displayed\n--R--\n",
				code: 250, status: "ignored", check: func(t *testing.T, _ string) {
					if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE id = $1 AND status = 'failed'`, ackID); n != 0 {
						t.Error("a read receipt marked the answer failed")
					}
				}},
			{name: "a bounce of our answer", envFrom: "", raw: "From: MAILER-DAEMON@warga.example\nTo: WHO\nSubject: Undelivered\n" +
				"Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n--R\nContent-Type: text/plain\n\n" +
				"Gagal dikirim.\n--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; warga.example\n\n" +
				"Final-Recipient: rfc822; " + first + "\nAction: failed\nStatus: 5.1.1\n--R\nContent-Type: message/rfc822\n\nMessage-ID: <lontara." + strconv.FormatInt(ackID, 10) +
				"@makassarkota.go.id>\nSubject: x\n\nx\n--R--\n", code: 250, status: "ignored",
				check: func(t *testing.T, _ string) {
					if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE id = $1 AND status = 'failed'`, ackID); n != 1 {
						t.Error("the bounced answer is not marked failed")
					}
				}},
			{name: "an auto-reply", envFrom: "WHO", raw: "From: WHO\nAuto-Submitted: auto-replied\nSubject: Cuti\n\nSaya sedang cuti.\n",
				code: 250, status: "ignored"},
			{name: "a list", envFrom: "WHO", raw: "From: WHO\nPrecedence: bulk\nSubject: Buletin\n\nBerita.\n", code: 250, status: "ignored"},
			{name: "a vacation responder", envFrom: "WHO", raw: "From: WHO\nX-Autoreply: yes\nSubject: Cuti\n\nCuti.\n", code: 250, status: "ignored"},
			{name: "the null sender", envFrom: "", raw: "From: WHO\nSubject: x\n\nx\n", code: 250, status: "ignored"},
			{name: "our own address", envFrom: "bantuan@makassarkota.go.id", raw: "From: " + deskFrom + "\nSubject: x\n\nx\n",
				code: 250, status: "ignored"},
			{name: "too large as a whole", envFrom: "WHO", raw: "From: WHO\nSubject: besar\n\n" + strings.Repeat(big[:998]+"\n", 6000),
				code: 552},
			{name: "attachments over the limits", envFrom: "WHO", raw: "From: WHO\nSubject: Lampiran\nContent-Type: multipart/mixed; boundary=B\n\n" +
				"--B\nContent-Type: text/plain\n\nTerlampir.\n" +
				"--B\nContent-Type: text/plain\nContent-Disposition: attachment; filename=besar.txt\n\n" + big + "\n" +
				"--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=setup.exe\nContent-Transfer-Encoding: base64\n\n" + exe + "\n" +
				"--B\nContent-Type: text/plain\nContent-Disposition: attachment; filename=catatan.txt\n\ncatatan\n--B--\n",
				code: 250, status: "ticket", tickets: 1, check: func(t *testing.T, who string) {
					tk, err := r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), ticketOf(t, r, who))
					if err != nil {
						t.Fatal(err)
					}
					if len(tk.Attachments) != 1 || tk.Attachments[0].Name != "catatan.txt" || len(tk.Messages) != 1 ||
						!tk.Messages[0].Internal || !strings.Contains(tk.Messages[0].Body, "besar.txt") ||
						!strings.Contains(tk.Messages[0].Body, "setup.exe") {
						t.Errorf("attachments %+v, notes %+v", tk.Attachments, tk.Messages)
					}
				}},
		}
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				who := fmt.Sprintf("bad%d.%s@warga.example", i, r.uniq)
				fill := func(s string) string { return strings.ReplaceAll(s, "WHO", who) }
				rcpt := tc.rcpt
				if rcpt == "" {
					rcpt = "bantuan@makassarkota.go.id"
				}
				before := r.count(t, `SELECT COUNT(*) FROM inbound_messages`)
				err := send(r.smtp, fill(tc.envFrom), rcpt, fill(tc.raw))
				if got := code(err); got != tc.code {
					t.Fatalf("SMTP %d (%v), want %d", got, err, tc.code)
				}
				logged := r.count(t, `SELECT COUNT(*) FROM inbound_messages`) - before
				var status string
				_ = d.R.QueryRow(`SELECT status FROM inbound_messages ORDER BY id DESC LIMIT 1`).Scan(&status)
				if tc.status == "" && logged != 0 || tc.status != "" && (logged != 1 || status != tc.status) {
					t.Errorf("%d logged, last %q, want status %q", logged, status, tc.status)
				}
				if n := r.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who); n != tc.tickets {
					t.Errorf("%d tickets, want %d", n, tc.tickets)
				}
				if tc.tickets == 0 {
					if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE address = $1`, who); n != 0 {
						t.Errorf("%d answers written", n)
					}
				}
				if tc.check != nil {
					tc.check(t, who)
				}
			})
		}
	})
}

func ticketOf(t *testing.T, r *rig, who string) string {
	t.Helper()
	var id int64
	if err := r.d.R.QueryRow(`SELECT id FROM tickets WHERE contact_email = $1`, who).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return helpdesk.Number(id)
}
