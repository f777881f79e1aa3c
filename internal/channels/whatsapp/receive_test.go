package whatsapp_test

import (
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestATextFromAnEmployeesPhoneOpensOneTicketAnsweredWithItsNumberAndTheAgentsAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		token := k.agentToken(t)
		k.h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		k.h.Users(t, servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta",
			Role: policy.Employee, Agency: "DISKES"})
		if _, err := d.W.Exec(`UPDATE employees SET phone = '+6281234567890' WHERE email = 'nuraini@makassarkota.go.id'`); err != nil {
			t.Fatal(err)
		}
		account := k.h.AccountID(t, "nuraini@makassarkota.go.id")
		text := k.fake.Text("6281234567890", "Nur'aini", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNB", "Aplikasi SIMPEG tidak bisa dibuka sejak pagi, mohon bantuan.")
		for range 2 { // Meta posts it again: one ticket, one answer
			if status, b := k.post(t, appSecret, text); status != 200 {
				t.Fatalf("text: %d %s", status, b)
			}
		}
		var channel string
		var reporter *int64
		if err := d.R.QueryRow(`SELECT channel, reporter_account_id FROM tickets`).Scan(&channel, &reporter); err != nil {
			t.Fatalf("the ticket: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tickets`); n != 1 {
			t.Errorf("%d tickets from one message posted twice, want 1", n)
		}
		if channel != "whatsapp" || reporter == nil || *reporter != account {
			t.Errorf("ticket by %s for %v, want by whatsapp for Nur'aini's account %d", channel, reporter, account)
		}
		var status, sender string
		if err := d.R.QueryRow(`SELECT status, sender FROM inbound_messages`).Scan(&status, &sender); err != nil {
			t.Fatal(err)
		}
		if status != "ticket" || sender != "+6281234567890" {
			t.Errorf("logged %s from %s, want ticket from +6281234567890", status, sender)
		}
		k.deliver(t)
		answer := k.fake.WaitFor(t, "6281234567890", func(s whatsapptest.Sent) bool { return strings.Contains(s.Body, "T-0") })
		number := answer.Body[strings.Index(answer.Body, "T-0"):][:8]
		if n := len(k.fake.Sent()); n != 1 {
			t.Errorf("%d answers, want 1", n)
		}
		// The answer is delivered: Meta says so on the webhook.
		if st, _ := k.post(t, appSecret, k.fake.Status(answer.ID, "6281234567890", "delivered", 0, "")); st != 200 {
			t.Fatalf("status: %d", st)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE provider_id = $1 AND status = $2`, answer.ID, outbox.Delivered); n != 1 {
			t.Errorf("the answer is not delivered in the outbox")
		}
		// The agent answers the ticket: it goes back by WhatsApp.
		r := k.h.Do(t, "POST", "/api/v1/tickets/"+number+"/replies", token,
			map[string]any{"body": "Akun SIMPEG Ibu sudah dibuka kembali."}, "")
		if r.Status != 201 {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		k.deliver(t)
		k.fake.WaitFor(t, "6281234567890", func(s whatsapptest.Sent) bool {
			return s.Body == number+": Akun SIMPEG Ibu sudah dibuka kembali."
		})
		// A command by WhatsApp is answered by WhatsApp.
		command := k.fake.Text("6281234567890", "Nur'aini", "wamid.STATUS1", "status "+number)
		if st, b := k.post(t, appSecret, command); st != 200 {
			t.Fatalf("STATUS: %d %s", st, b)
		}
		k.deliver(t)
		k.fake.WaitFor(t, "6281234567890", func(s whatsapptest.Sent) bool {
			return strings.HasPrefix(s.Body, "Tiket "+number+" (") && strings.Contains(s.Body, "sedang ditangani")
		})
	})
}

func TestATextFromANumberOutsideIndonesiaIsLoggedUnanswered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		if st, b := k.post(t, appSecret, k.fake.Text("16505551234", "Sheena", "wamid.FOREIGN1", "Hello, is it open?")); st != 200 {
			t.Fatalf("text: %d %s", st, b)
		}
		var status string
		if err := d.R.QueryRow(`SELECT status FROM inbound_messages WHERE external_id = 'wamid.FOREIGN1'`).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != "refused" || count(t, d, `SELECT COUNT(*) FROM tickets`) != 0 || count(t, d, `SELECT COUNT(*) FROM outbox`) != 0 {
			t.Errorf("logged %s; want refused, no ticket and no answer", status)
		}
	})
}
