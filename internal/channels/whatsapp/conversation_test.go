package whatsapp_test

import (
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// agentToken makes an agent of the help desk and returns their API token.
func (k *desk) agentToken(t *testing.T) string {
	t.Helper()
	k.h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	k.h.Users(t, servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"})
	return k.h.Token(t, "agen@makassarkota.go.id")
}

func TestTheAgentsAnswerToAWhatsAppTicketGoesBackByWhatsApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		token := k.agentToken(t)
		r := k.h.Do(t, "POST", "/api/v1/tickets", token, map[string]any{"subject": "SIMPEG tidak bisa dibuka",
			"body": "Pesan WhatsApp dari Pak Dottoro'ta", "category": "account", "channel": "whatsapp",
			"contact_name": "Pak Dottoro'ta", "contact_phone": "+6281234567055"}, "")
		var tk struct{ Number string }
		r.JSON(t, &tk)
		if r.Status != 201 {
			t.Fatalf("ticket: %d %s", r.Status, r.Body)
		}
		r = k.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", token,
			map[string]any{"body": "Silakan coba lagi, akun Anda sudah dibuka."}, "")
		if r.Status != 201 {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		r = k.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", token,
			map[string]any{"body": "Catatan internal: reset manual.", "internal": true}, "")
		if r.Status != 201 {
			t.Fatalf("note: %d %s", r.Status, r.Body)
		}
		k.deliver(t)
		got := k.fake.WaitFor(t, "6281234567055", func(s whatsapptest.Sent) bool { return true })
		if got.Body != tk.Number+": Silakan coba lagi, akun Anda sudah dibuka." {
			t.Errorf("the answer arrived as %q", got.Body)
		}
		for _, s := range k.fake.Sent() {
			if strings.Contains(s.Body, "internal") {
				t.Errorf("an internal note went out: %q", s.Body)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND provider_id = $1`, got.ID); n != 1 {
			t.Errorf("the outbox row is not sent as %s", got.ID)
		}
	})
}

func TestWhenOurDatabaseFailsMetaIsAskedToPostAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		if _, err := d.W.Exec(`DROP TABLE inbound_messages`); err != nil {
			t.Fatal(err)
		}
		status, _ := k.post(t, appSecret, k.fake.Media("6281234567001", "wamid.DBDOWN", "image"))
		if status < 500 {
			t.Errorf("a post we could not store: %d, want 5xx so that Meta posts it again", status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Errorf("%d answers written for a message not stored", n)
		}
	})
}
