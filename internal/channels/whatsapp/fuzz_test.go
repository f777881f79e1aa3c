package whatsapp_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/whatsapp"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/inbound"
)

// hook is the part of Meta's post the webhook reads, as this test reads
// it: a post this shape does not take is one the webhook refuses as
// malformed.
type hook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Metadata struct {
					DisplayPhoneNumber string `json:"display_phone_number"`
					PhoneNumberID      string `json:"phone_number_id"`
				} `json:"metadata"`
				Messages []struct {
					ID   string `json:"id"`
					From string `json:"from"`
					Type string `json:"type"`
					Text *struct {
						Body string `json:"body"`
					} `json:"text"`
				} `json:"messages"`
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Errors []struct {
						Code      int    `json:"code"`
						Title     string `json:"title"`
						Message   string `json:"message"`
						ErrorData struct {
							Details string `json:"details"`
						} `json:"error_data"`
					} `json:"errors"`
				} `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// FuzzWebhook posts anything to Meta's webhook, signed with the app
// secret or not, on each engine. Unsigned or wrongly signed, it is a 403
// and nothing is stored. Signed, it is a 400 when it is not the Cloud
// API's JSON and a 200 otherwise, never a 5xx (which Meta would post
// again forever); and every message of ours it carries, with an id and a
// sender's number, is in the inbound log (its id made storable,
// inbound.Clean).
func FuzzWebhook(f *testing.F) {
	var desks []*desk
	for _, d := range dbtest.Both(f) {
		desks = append(desks, newDesk(f, d))
	}
	fake := desks[0].fake
	for _, b := range [][]byte{
		fake.Text("6281234567890", "Nur'aini", "wamid.fz1", "Printer loket macet"),
		fake.Text("6281234567890", "Nur'aini", "wamid.fz2", "STATUS T-000001"),
		fake.Text("6285255501234", "", "wamid.fz3", "NILAI T-000001 5"),
		fake.Text("6281234567890", "", "wamid.fz4", "T-000001 Sudah padam tiga malam, Pak."),
		fake.Text("6281234567890", "", "wamid.fz8", "Printer\x00 rusak \xff di loket"),
		fake.Text("6281234567890", "", "wamid.\x00", "NUL in the id"),
		fake.Media("6281234567890", "wamid.fz5", "image"),
		fake.Media("447700900123", "wamid.fz6", "location"),
		fake.Status("wamid.out1", "6281234567890", "failed", 131047, "Re-engagement message"),
		fake.Status("wamid.out2", "6281234567890", "read", 0, ""),
		[]byte(`{"object":"page","entry":[]}`), []byte(`{"entry":5}`), []byte("not json"),
	} {
		f.Add(b, true)
	}
	f.Add(fake.Text("6281234567890", "", "wamid.fz7", "tanpa tanda tangan"), false)
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		for _, k := range desks {
			secret := appSecret
			if !signed {
				secret = "not-" + appSecret
			}
			before := count(t, k.h.DB, `SELECT COUNT(*) FROM inbound_messages`)
			code, answer := k.post(t, secret, body)
			var p hook
			parsed := json.Unmarshal(body, &p) == nil
			switch {
			case !signed && code != http.StatusForbidden:
				t.Fatalf("unsigned post answered %d %s", code, answer)
			case !signed && count(t, k.h.DB, `SELECT COUNT(*) FROM inbound_messages`) != before:
				t.Fatalf("an unsigned post was stored")
			case !signed:
			case len(body) > whatsapp.MaxBody && code == http.StatusRequestEntityTooLarge:
			case !parsed && code != http.StatusBadRequest, parsed && code != http.StatusOK:
				t.Fatalf("%s: signed post answered %d %s (JSON the webhook reads: %v)", k.h.DB.Engine(), code, answer, parsed)
			case parsed:
				stored(t, k, p)
			}
		}
	})
}

// stored fails unless every message of p addressed to the fake's number,
// with an id and a sender's number, is in k's inbound log.
func stored(t *testing.T, k *desk, p hook) {
	t.Helper()
	if p.Object != "whatsapp_business_account" {
		return
	}
	for _, e := range p.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" || c.Value.Metadata.PhoneNumberID != k.fake.PhoneID {
				continue
			}
			for _, m := range c.Value.Messages {
				if m.ID == "" || m.From == "" || whatsapp.Digits(m.From) != m.From {
					continue
				}
				if count(t, k.h.DB, `SELECT COUNT(*) FROM inbound_messages WHERE channel = 'whatsapp' AND external_id = $1`,
					inbound.Clean(m.ID)) != 1 {
					t.Fatalf("message %q from %q answered 200 and is not in the inbound log", m.ID, m.From)
				}
			}
		}
	}
}
