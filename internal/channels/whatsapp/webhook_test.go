package whatsapp_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/server"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

const (
	appSecret   = "meta-app-secret-uji"
	verifyToken = "lontara-verify-uji"
)

// desk is Lontara configured for WhatsApp against the fake, with the
// outbox worker it would run.
type desk struct {
	h      *servertest.Harness
	fake   *whatsapptest.Fake
	worker *outbox.Worker
	hook   string
}

func newDesk(t testing.TB, d *db.DB) *desk {
	t.Helper()
	f := whatsapptest.New(t)
	var cfg config.Config
	h := servertest.StartWith(t, d, func(c *config.Config) {
		c.WhatsAppAPIURL, c.WhatsAppPhoneID, c.WhatsAppToken = f.APIURL, f.PhoneID, f.Token
		c.WhatsAppAppSecret, c.WhatsAppVerifyToken = appSecret, verifyToken
		c.BaseURL = "https://lontara.makassarkota.go.id"
		cfg = *c
	})
	senders, err := server.Senders(cfg)
	if err != nil || senders[outbox.WhatsApp] == nil {
		t.Fatalf("server.Senders: %v, %v: want a WhatsApp sender", senders, err)
	}
	return &desk{h: h, fake: f, worker: outbox.NewWorker(d, senders), hook: h.URL + "/channels/whatsapp/webhook"}
}

// post sends Meta's post of body signed with secret and reads the answer.
func (k *desk) post(t testing.TB, secret string, body []byte) (int, string) {
	t.Helper()
	return k.do(t, whatsapptest.Post(t, k.hook, secret, body))
}

func (k *desk) do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// deliver runs the outbox worker once.
func (k *desk) deliver(t *testing.T) {
	t.Helper()
	if _, err := k.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTheHandshakeAnswersTheChallengeOnlyForOurToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		cases := []struct {
			name, mode, token string
			status            int
		}{
			{"our token", "subscribe", verifyToken, 200},
			{"another token", "subscribe", verifyToken + "x", 403},
			{"a prefix of ours", "subscribe", verifyToken[:5], 403},
			{"no token", "subscribe", "", 403},
			{"another mode", "unsubscribe", verifyToken, 403},
		}
		for _, c := range cases {
			q := url.Values{"hub.mode": {c.mode}, "hub.verify_token": {c.token}, "hub.challenge": {"1158201444"}}
			req, _ := http.NewRequest("GET", k.hook+"?"+q.Encode(), nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.status)
			}
			if c.status == 200 && (string(b) != "1158201444" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain")) {
				t.Errorf("%s: answered %q as %s, want the challenge as text/plain", c.name, b, resp.Header.Get("Content-Type"))
			}
			if c.status != 200 && strings.Contains(string(b), "1158201444") {
				t.Errorf("%s: the challenge was echoed", c.name)
			}
		}
	})
}

func TestAPostWithoutOurSignatureIsRefusedAndStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		body := k.fake.Media("6281234567890", "wamid.SIGNATURE1", "image")
		tampered := whatsapptest.Post(t, k.hook, appSecret, body)
		tampered.Body = io.NopCloser(strings.NewReader(strings.Replace(string(body), "6281234567890", "6281299999999", 1)))
		noPrefix := whatsapptest.Post(t, k.hook, appSecret, body)
		noPrefix.Header.Set("X-Hub-Signature-256", strings.TrimPrefix(noPrefix.Header.Get("X-Hub-Signature-256"), "sha256="))
		cases := map[string]*http.Request{
			"no signature":          whatsapptest.Post(t, k.hook, "", body),
			"another app's secret":  whatsapptest.Post(t, k.hook, "another-secret", body),
			"the body tampered":     tampered,
			"the digest alone":      noPrefix,
			"a signature not hex":   withSignature(whatsapptest.Post(t, k.hook, "", body), "sha256=zz"),
			"the old SHA-1 header":  withSignature(whatsapptest.Post(t, k.hook, "", body), "sha1=0123456789abcdef"),
			"an empty sha256 value": withSignature(whatsapptest.Post(t, k.hook, "", body), "sha256="),
		}
		for name, req := range cases {
			if status, _ := k.do(t, req); status != 403 {
				t.Errorf("%s: %d, want 403", name, status)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM inbound_messages`); n != 0 {
			t.Errorf("%d messages stored from unsigned posts", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Errorf("%d answers written to unsigned posts", n)
		}
		// The same post, signed: stored once.
		if status, b := k.post(t, appSecret, body); status != 200 {
			t.Fatalf("signed post: %d %s", status, b)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM inbound_messages`); n != 1 {
			t.Errorf("%d messages stored from the signed post, want 1", n)
		}
	})
}

func withSignature(req *http.Request, sig string) *http.Request {
	req.Header.Set("X-Hub-Signature-256", sig)
	return req
}

func TestASignedPostThatIsNotJSONIsABadRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		for _, body := range []string{`{"object":"whatsapp_business_account","entry":[`, `<xml/>`, `{"entry":"x"}`} {
			if status, _ := k.post(t, appSecret, []byte(body)); status != 400 {
				t.Errorf("%q: %d, want 400", body, status)
			}
		}
		// Another object, or a change of another field, is not ours: taken and left.
		other := []byte(`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{}}]}]}`)
		if status, _ := k.post(t, appSecret, other); status != 200 {
			t.Errorf("another object: %d, want 200", status)
		}
		big := append([]byte(`{"object":"whatsapp_business_account","pad":"`), make([]byte, 1<<20)...)
		if status, _ := k.post(t, appSecret, big); status != 413 {
			t.Errorf("a post over 1 MiB: %d, want 413", status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM inbound_messages`); n != 0 {
			t.Errorf("%d messages stored", n)
		}
	})
}

// enqueueAndSend writes a message to address to the outbox, delivers it
// to the fake and returns its wamid.
func (k *desk) enqueueAndSend(t *testing.T, address, body string) string {
	t.Helper()
	ctx := context.Background()
	err := k.h.DB.Tx(ctx, func(tx *sql.Tx) error {
		return outbox.Enqueue(ctx, tx, outbox.Message{Channel: outbox.WhatsApp, Address: address, Kind: "ticket.replied",
			Body: body, Link: "/bantuan/T-000009"})
	})
	if err != nil {
		t.Fatal(err)
	}
	k.deliver(t)
	return k.fake.WaitFor(t, strings.TrimPrefix(address, "+"), func(s whatsapptest.Sent) bool {
		return strings.HasPrefix(s.Body, body)
	}).ID
}

func TestStatusesOnTheWebhookMarkTheOutbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		read := k.enqueueAndSend(t, "+6281234500011", "Tiket Anda dijawab.")
		failed := k.enqueueAndSend(t, "+6281234500012", "Tiket Anda selesai.")
		if m := outboxRow(t, d, "+6281234500011"); m.Status != outbox.Sent || m.ProviderID != read {
			t.Fatalf("after sending: %+v, want sent as %s", m, read)
		}
		// sent changes nothing; delivered and then read is delivered, at the delivery's time.
		steps := []struct {
			body []byte
			want string
		}{
			{k.fake.Status(read, "6281234500011", "sent", 0, ""), outbox.Sent},
			{k.fake.Status(read, "6281234500011", "delivered", 0, ""), outbox.Delivered},
			{k.fake.Status(read, "6281234500011", "read", 0, ""), outbox.Delivered},
		}
		var deliveredAt sql.NullTime
		for i, s := range steps {
			if status, b := k.post(t, appSecret, s.body); status != 200 {
				t.Fatalf("status %d: %d %s", i, status, b)
			}
			var at sql.NullTime
			if err := d.R.QueryRow(`SELECT delivered_at FROM outbox WHERE provider_id = $1`, read).Scan(&at); err != nil {
				t.Fatal(err)
			}
			if m := outboxRow(t, d, "+6281234500011"); m.Status != s.want {
				t.Errorf("after status %d: %s, want %s", i, m.Status, s.want)
			}
			if i == 1 {
				deliveredAt = at
			}
			if i == 2 && (!at.Valid || !at.Time.Equal(deliveredAt.Time)) {
				t.Errorf("read moved the delivery time from %v to %v", deliveredAt.Time, at.Time)
			}
		}
		// A message read at once (Meta sends no delivered then) counts as delivered.
		direct := k.enqueueAndSend(t, "+6281234500013", "Tiket Anda ditutup.")
		if status, _ := k.post(t, appSecret, k.fake.Status(direct, "6281234500013", "read", 0, "")); status != 200 {
			t.Fatal("read status refused")
		}
		if m := outboxRow(t, d, "+6281234500013"); m.Status != outbox.Delivered {
			t.Errorf("read at once: %s, want delivered", m.Status)
		}
		body := k.fake.Status(failed, "6281234500012", "failed", 131047,
			"Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
		if status, _ := k.post(t, appSecret, body); status != 200 {
			t.Fatalf("failed status: %d", status)
		}
		m := outboxRow(t, d, "+6281234500012")
		if m.Status != outbox.Failed || !strings.Contains(m.LastError, "131047") || !strings.Contains(m.LastError, "24 hours") {
			t.Errorf("after a failed status: %+v, want failed with Meta's code and title", m)
		}
		// A status of a message not ours changes nothing, and is taken.
		if status, _ := k.post(t, appSecret, k.fake.Status("wamid.NOTOURS", "628", "delivered", 0, "")); status != 200 {
			t.Errorf("a status of another message: %d, want 200", status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE status = 'delivered'`); n != 2 {
			t.Errorf("%d delivered, want 2", n)
		}
	})
}

func TestAMessageThatIsNotTextIsLoggedAndAnsweredOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		photo := k.fake.Media("6281234567001", "wamid.PHOTO1", "image")
		for range 2 { // Meta posts it again: one log entry, one answer
			if status, b := k.post(t, appSecret, photo); status != 200 {
				t.Fatalf("photo: %d %s", status, b)
			}
		}
		var st, reason, sender string
		if err := d.R.QueryRow(`SELECT status, reason, sender FROM inbound_messages WHERE external_id = 'wamid.PHOTO1'`).
			Scan(&st, &reason, &sender); err != nil {
			t.Fatal(err)
		}
		if st != "refused" || !strings.Contains(reason, "image") || sender != "+6281234567001" {
			t.Errorf("logged %s %q from %s, want refused as an image from +6281234567001", st, reason, sender)
		}
		k.deliver(t)
		got := k.fake.WaitFor(t, "6281234567001", func(s whatsapptest.Sent) bool { return strings.Contains(s.Body, "teks") })
		if !strings.Contains(got.Body, "hanya dapat membaca pesan teks") {
			t.Errorf("answer %q", got.Body)
		}
		if n := len(k.fake.Sent()); n != 1 {
			t.Errorf("%d answers, want 1", n)
		}
		// A reaction wants no answer; a flood of stickers is answered three times, then only logged.
		if status, _ := k.post(t, appSecret, k.fake.Media("6281234567001", "wamid.REACT1", "reaction")); status != 200 {
			t.Fatal("reaction refused")
		}
		for i := range 5 {
			if status, _ := k.post(t, appSecret, k.fake.Media("6281234567001", "wamid.STICKER"+string(rune('A'+i)), "sticker")); status != 200 {
				t.Fatal("sticker refused")
			}
		}
		statuses := map[string]int{}
		rows, err := d.R.Query(`SELECT status FROM inbound_messages`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			statuses[s]++
		}
		rows.Close()
		if statuses["refused"] != 3 || statuses["ignored"] != 1 || statuses["throttled"] != 3 {
			t.Errorf("logged %v, want 3 refused (answered), 1 ignored, 3 throttled", statuses)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 3 {
			t.Errorf("%d answers written, want 3", n)
		}
		// A photo from a number the help desk cannot take is logged, not answered.
		if status, _ := k.post(t, appSecret, k.fake.Media("14155550100", "wamid.ABROAD1", "image")); status != 200 {
			t.Fatal("photo from abroad refused")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM inbound_messages WHERE external_id = 'wamid.ABROAD1' AND status = 'refused'`); n != 1 {
			t.Errorf("photo from abroad logged %d times as refused, want 1", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 3 {
			t.Errorf("%d answers written after the photo from abroad, want still 3", n)
		}
	})
}

func TestADeliveryReportedBeforeTheWamidIsRecordedIsAskedForAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k := newDesk(t, d)
		wamid := k.enqueueAndSend(t, "+6281234500021", "Tiket Anda dijawab.")
		// As it stands while the worker waits for the rest of its batch:
		// handed to Meta, its wamid not written yet.
		if _, err := d.W.Exec(`UPDATE outbox SET status = 'sending', provider_id = '' WHERE provider_id = $1`, wamid); err != nil {
			t.Fatal(err)
		}
		delivered := k.fake.Status(wamid, "6281234500021", "delivered", 0, "")
		if status, _ := k.post(t, appSecret, delivered); status != 503 {
			t.Errorf("a delivery of a message in flight: %d, want 503 so that Meta posts it again", status)
		}
		if _, err := d.W.Exec(`UPDATE outbox SET status = 'sent', provider_id = $1 WHERE address = '+6281234500021'`, wamid); err != nil {
			t.Fatal(err)
		}
		if status, _ := k.post(t, appSecret, delivered); status != 200 {
			t.Errorf("Meta's second post: %d, want 200", status)
		}
		if m := outboxRow(t, d, "+6281234500021"); m.Status != outbox.Delivered {
			t.Errorf("after Meta's second post: %s, want delivered", m.Status)
		}
	})
}
