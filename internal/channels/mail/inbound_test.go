package mail_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/testenv"
)

const deskFrom = "Layanan Bantuan <bantuan@makassarkota.go.id>"

// rig is a server, the SMTP listener in front of its help desk and the
// outbox worker delivering to the Mailpit sink.
type rig struct {
	h      *servertest.Harness
	d      *db.DB
	smtp   string // the listener's address
	api    string // Mailpit's API
	worker *outbox.Worker
	uniq   string
}

func newRig(t *testing.T, d *db.DB) *rig {
	t.Helper()
	relay, api := testenv.SMTPSink(t)
	outbox.SetActive(outbox.Email)
	h := servertest.Start(t, d)
	if err := h.Svc.Desk.SetFileLimits(1, 3); err != nil {
		t.Fatal(err)
	}
	l := mail.NewListener(mail.NewInbox(d, h.Svc.Desk, deskFrom), mail.ListenConfig{Timeout: 10 * time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = l.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = l.Shutdown(ctx)
	})
	w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.Email: mail.NewSender(mail.Config{Relay: relay,
		From: deskFrom, BaseURL: "https://lontara.example"})})
	return &rig{h: h, d: d, smtp: ln.Addr().String(), api: api, worker: w,
		uniq: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// send delivers raw over SMTP from the envelope sender envFrom ("" for
// <>) to rcpt, as a mail server would.
func send(addr, envFrom, rcpt, raw string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(envFrom); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(crlf(raw)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// code is the SMTP reply code of err, 250 for none.
func code(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	if err != nil {
		return -1
	}
	return 250
}

// deliver runs the outbox worker until nothing is due.
func (r *rig) deliver(t *testing.T) {
	t.Helper()
	for range 20 {
		n, err := r.worker.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (r *rig) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := r.d.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sinkMail is a message at Mailpit with its headers and text.
type sinkMail struct {
	Subject string
	Text    string
	HTML    string
	Header  map[string][]string
}

// fetch returns the one message at Mailpit to address whose subject holds
// want, waiting for it to arrive.
func (r *rig) fetch(t *testing.T, address, want string) sinkMail {
	t.Helper()
	for _, m := range atSink(t, r.api, "to:"+address+` subject:"`+want+`"`) {
		var got sinkMail
		getJSON(t, r.api+"/api/v1/message/"+m.ID, &got)
		getJSON(t, r.api+"/api/v1/message/"+m.ID+"/headers", &got.Header)
		return got
	}
	return sinkMail{}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestMailOpensATicketIsAnsweredAndTheReplyLandsInIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		who := "nuraini." + r.uniq + "@warga.example"
		err := send(r.smtp, who, "bantuan@makassarkota.go.id", `From: =?UTF-8?Q?Nur'aini_=C3=84?= <`+who+`>
To: bantuan@makassarkota.go.id
Subject: SIMPEG tidak bisa dibuka
Message-ID: <first.`+r.uniq+`@warga.example>
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Sejak pagi SIMPEG menolak kata sandi saya.
--B
Content-Type: text/plain
Content-Disposition: attachment; filename="log.txt"

galat 401
--B--
`)
		if err != nil {
			t.Fatal(err)
		}
		tk, err := r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), "T-000001")
		if err != nil {
			t.Fatal(err)
		}
		if tk.Channel != "email" || tk.ContactEmail != who || tk.ContactName != "Nur'aini Ä" ||
			tk.Body != "Sejak pagi SIMPEG menolak kata sandi saya." || len(tk.Attachments) != 1 {
			t.Fatalf("ticket %+v", tk)
		}
		r.deliver(t)
		ack := r.fetch(t, who, "T-000001")
		if !strings.Contains(ack.Subject, "[T-000001]") || !strings.Contains(ack.Text, "tiket T-000001") ||
			!strings.Contains(ack.HTML, "T-000001") {
			t.Errorf("acknowledgement %q %q", ack.Subject, ack.Text)
		}

		// The agent answers through the API: the answer goes back by mail,
		// threaded on the ticket.
		r.h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		r.h.User(t, "agen."+r.uniq+"@makassarkota.go.id", "Agen Help Desk", policy.Agent, "KOMINFO")
		token := r.h.Token(t, "agen."+r.uniq+"@makassarkota.go.id")
		resp := r.h.Do(t, "POST", "/api/v1/tickets/T-000001/replies", token,
			map[string]any{"body": "Kata sandi sudah kami setel ulang. Silakan coba lagi."}, "application/json")
		if resp.Status != http.StatusCreated {
			t.Fatalf("reply: %d %s", resp.Status, resp.Body)
		}
		r.deliver(t)
		answer := r.fetch(t, who, "SIMPEG tidak bisa dibuka")
		if answer.Subject != "[T-000001] SIMPEG tidak bisa dibuka" ||
			strings.Join(answer.Header["In-Reply-To"], "") != "<t-000001@makassarkota.go.id>" ||
			!strings.Contains(answer.Text, "Kata sandi sudah kami setel ulang.") ||
			!strings.Contains(answer.Text, "Balas email ini untuk menjawab") {
			t.Fatalf("answer %q %v %q", answer.Subject, answer.Header["In-Reply-To"], answer.Text)
		}
		msgID := strings.Join(answer.Header["Message-Id"], "")

		// The person answers that mail: it lands in the ticket, without the
		// quoted history.
		err = send(r.smtp, who, "bantuan@makassarkota.go.id", `From: `+who+`
To: bantuan@makassarkota.go.id
Subject: Re: `+answer.Subject+`
Message-ID: <second.`+r.uniq+`@warga.example>
In-Reply-To: `+msgID+`
References: <t-000001@makassarkota.go.id> `+msgID+`
Content-Type: text/plain; charset=utf-8

Sudah bisa, terima kasih.

Pada Jum, 27 Nov 2026 pukul 10.00, Layanan Bantuan menulis:
> Kata sandi sudah kami setel ulang.
`)
		if err != nil {
			t.Fatal(err)
		}
		tk, err = r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), "T-000001")
		if err != nil {
			t.Fatal(err)
		}
		last := tk.Messages[len(tk.Messages)-1]
		if len(tk.Messages) != 2 || last.Body != "Sudah bisa, terima kasih." || last.Author != "Nur'aini Ä" || last.Internal {
			t.Fatalf("messages %+v", tk.Messages)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM tickets`); n != 1 {
			t.Errorf("%d tickets, want 1", n)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = $1 AND status = 'reply'`, who); n != 1 {
			t.Errorf("%d replies logged", n)
		}
	})
}

func TestMailFromAnEmployeeIsTheirTicketAndTheirReplyIsNotTheDesksAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		r.h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		who := "andi." + r.uniq + "@makassarkota.go.id"
		// Even an agent writing from their own address is the reporter here.
		r.h.User(t, who, "Andi Dottoro'ta", policy.Agent, "DISKES")
		if err := send(r.smtp, who, "helpdesk@MAKASSARKOTA.go.id", "From: Andi <"+strings.ToUpper(who)+
			">\nSubject: Printer\nMessage-ID: <e1."+r.uniq+"@x>\n\nPrinter lantai 2 macet.\n"); err != nil {
			t.Fatal(err)
		}
		account := r.h.AccountID(t, who)
		tk, err := r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), "T-000001")
		if err != nil {
			t.Fatal(err)
		}
		if tk.ReporterID == nil || *tk.ReporterID != account || tk.ContactEmail != "" {
			t.Fatalf("ticket %+v", tk)
		}
		if err := send(r.smtp, who, "bantuan@makassarkota.go.id", "From: "+who+
			"\nSubject: Re: [T-000001] Printer\nMessage-ID: <e2."+r.uniq+"@x>\n\nSudah dicoba, masih macet.\n"); err != nil {
			t.Fatal(err)
		}
		tk, _ = r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), "T-000001")
		if len(tk.Messages) != 1 || tk.FirstRespondedAt != nil || *tk.Messages[0].AuthorID != account {
			t.Fatalf("reply %+v, first response %v", tk.Messages, tk.FirstRespondedAt)
		}
		// A reply to the receipt of their mail (its subject names no
		// ticket here) lands in it too, by In-Reply-To. (The notification
		// that a ticket was filed for them no longer goes by email to a
		// ticket that came by email: helpdesk e8ed937.)
		var notice int64
		if err := d.R.QueryRow(`SELECT id FROM outbox WHERE address = $1 AND kind = 'mail.received'`, who).
			Scan(&notice); err != nil {
			t.Fatal(err)
		}
		if err := send(r.smtp, who, "bantuan@makassarkota.go.id", "From: "+who+"\nSubject: Re: pemberitahuan\n"+
			"In-Reply-To: <lontara."+strconv.FormatInt(notice, 10)+"@makassarkota.go.id>\nMessage-ID: <e3."+r.uniq+
			"@x>\n\nSatu lagi.\n"); err != nil {
			t.Fatal(err)
		}
		tk, _ = r.h.Svc.Desk.GetTicket(context.Background(), policy.SystemActor("test"), "T-000001")
		if len(tk.Messages) != 2 || tk.Messages[1].Body != "Satu lagi." {
			t.Fatalf("messages %+v", tk.Messages)
		}
		// Someone else quoting the number opens a ticket of their own.
		if err := send(r.smtp, "lain@warga.example", "bantuan@makassarkota.go.id",
			"From: lain."+r.uniq+"@warga.example\nSubject: Re: [T-000001] Printer\n\nSaya juga.\n"); err != nil {
			t.Fatal(err)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM tickets`); n != 2 {
			t.Errorf("%d tickets, want 2", n)
		}
	})
}

func TestTheSameMailDeliveredTwiceMakesOneTicket(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		who := "dua." + r.uniq + "@warga.example"
		for _, raw := range []string{
			"From: " + who + "\nSubject: Twice\nContent-Language: en-GB\nMessage-ID: <dup." + r.uniq + "@x>\n\nOnce only.\n",
			"From: " + who + "\nSubject: Tanpa Message-ID\nDate: Fri, 27 Nov 2026 10:00:00 +0800\n\nSekali saja.\n",
		} {
			for range 2 {
				if err := send(r.smtp, who, "bantuan@makassarkota.go.id", raw); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n := r.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who); n != 2 {
			t.Errorf("%d tickets, want 2 (one per mail)", n)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE address = $1`, who); n != 2 {
			t.Errorf("%d answers, want 2", n)
		}
		// Each in the language it was written in.
		if n := r.count(t, `SELECT COUNT(*) FROM outbox WHERE address = $1 AND lang = 'en'
			AND subject LIKE 'Your ticket was received%'`, who); n != 1 {
			t.Errorf("%d answers in English, want 1", n)
		}
	})
}
