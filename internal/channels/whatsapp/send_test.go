package whatsapp_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/lontara-id/lontara/internal/channels/whatsapp"
	"github.com/lontara-id/lontara/internal/channels/whatsapp/whatsapptest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
)

func senderTo(f *whatsapptest.Fake) *whatsapp.Sender {
	return whatsapp.NewSender(whatsapp.Config{APIURL: f.APIURL, PhoneID: f.PhoneID, Token: f.Token,
		BaseURL: "https://lontara.makassarkota.go.id/"})
}

func TestSenderPostsATextInTheCloudAPIShapeAndReturnsTheWamid(t *testing.T) {
	f := whatsapptest.New(t)
	s := senderTo(f)
	cases := []struct {
		name string
		m    outbox.Message
		want string
	}{
		{"a reply names its ticket", outbox.Message{Address: "+6281234567890", Kind: "reply", Ref: "T-000042",
			Body: "Kata sandi Nur'aini sudah direset.", Link: "/bantuan/T-000042"},
			"T-000042: Kata sandi Nur'aini sudah direset."},
		{"a notification links its page", outbox.Message{Address: "+62 812-3456-7891", Kind: "ticket.replied",
			Body: "Tiket T-000042 dijawab.", Link: "/bantuan/T-000042"},
			"Tiket T-000042 dijawab. https://lontara.makassarkota.go.id/bantuan/T-000042"},
		{"an answer is its body", outbox.Message{Address: "+6281234567892", Kind: "command", Body: "Ä Daeng, tiket Anda selesai."},
			"Ä Daeng, tiket Anda selesai."},
	}
	for i, c := range cases {
		c.m.ID, c.m.Channel = int64(i+1), outbox.WhatsApp
		id, err := s.Send(context.Background(), c.m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := f.Sent()[i]
		if !strings.HasPrefix(id, "wamid.") || got.ID != id {
			t.Errorf("%s: provider id %q, the fake answered %q", c.name, id, got.ID)
		}
		if got.To != whatsapp.Digits(c.m.Address) || !strings.HasPrefix(got.To, "62") {
			t.Errorf("%s: sent to %q, want the digits of %q", c.name, got.To, c.m.Address)
		}
		if got.Body != c.want {
			t.Errorf("%s: body %q, want %q", c.name, got.Body, c.want)
		}
	}
}

func TestALongTextIsCutAtWhatsAppsLimitKeepingTheTicketAndTheLink(t *testing.T) {
	f := whatsapptest.New(t)
	body := strings.Repeat("Aplikasi SIMPEG 😀 tidak bisa dibuka. ", 200) // emoji count twice in UTF-16
	m := outbox.Message{ID: 7, Channel: outbox.WhatsApp, Address: "+6281234567890", Kind: "reply", Ref: "T-000007", Body: body}
	if _, err := senderTo(f).Send(context.Background(), m); err != nil {
		t.Fatalf("a long reply was refused: %v", err)
	}
	got := f.Sent()[0].Body
	if n := len(utf16.Encode([]rune(got))); n > whatsapp.MaxText || n < whatsapp.MaxText-40 {
		t.Errorf("cut to %d UTF-16 units, want just under %d", n, whatsapp.MaxText)
	}
	if !strings.HasPrefix(got, "T-000007: Aplikasi") || !strings.HasSuffix(got, "…") {
		t.Errorf("cut text starts %.30q and ends %q", got, got[len(got)-10:])
	}
	n := outbox.Message{Kind: "ticket.replied", Body: body, Link: "/bantuan/T-000007"}
	if text := whatsapp.Text(n, "https://lontara.example"); !strings.HasSuffix(text, "… https://lontara.example/bantuan/T-000007") {
		t.Errorf("a cut notification lost its link: ends %q", text[len(text)-60:])
	}
}

func TestMetaErrorsArePermanentOrRetriedByTheirCode(t *testing.T) {
	cases := []struct {
		name      string
		fail      whatsapptest.Failure
		permanent bool
	}{
		{"invalid number", whatsapptest.Failure{Status: 400, Code: 131026, Type: "OAuthException",
			Message: "(#131026) Message Undeliverable"}, true},
		{"outside the 24-hour window", whatsapptest.Failure{Status: 400, Code: 131047, Type: "OAuthException",
			Message: "(#131047) Re-engagement message", Details: "More than 24 hours have passed since the recipient last replied"}, true},
		{"bad parameter", whatsapptest.Failure{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter"}, true},
		{"Meta down", whatsapptest.Failure{Status: 500, Code: 131000, Type: "OAuthException", Message: "Something went wrong"}, false},
		{"too many requests", whatsapptest.Failure{Status: 429, Code: 80007, Type: "OAuthException", Message: "Rate limit issues"}, false},
		{"rate limit answered as 400", whatsapptest.Failure{Status: 400, Code: 130429, Type: "OAuthException",
			Message: "(#130429) Rate limit hit"}, false},
		{"token expired", whatsapptest.Failure{Status: 401, Code: 190, Type: "OAuthException",
			Message: "Error validating access token: Session has expired"}, false},
	}
	for _, c := range cases {
		f := whatsapptest.New(t)
		f.Fail(c.fail)
		_, err := senderTo(f).Send(context.Background(), outbox.Message{ID: 1, Channel: outbox.WhatsApp,
			Address: "+6281234567890", Kind: "reply", Body: "halo"})
		if err == nil {
			t.Fatalf("%s: no error", c.name)
		}
		if outbox.IsPermanent(err) != c.permanent {
			t.Errorf("%s: permanent %v, want %v (%v)", c.name, outbox.IsPermanent(err), c.permanent, err)
		}
		if !strings.Contains(err.Error(), c.fail.Message) || !strings.Contains(err.Error(), "fbtrace_id") {
			t.Errorf("%s: the error %q does not keep Meta's message and trace id", c.name, err)
		}
		if len(f.Sent()) != 0 {
			t.Errorf("%s: the fake took the message", c.name)
		}
	}
}

func TestAWrongTokenOrANumberThatIsNotOneNeverReachesAPhone(t *testing.T) {
	f := whatsapptest.New(t)
	s := whatsapp.NewSender(whatsapp.Config{APIURL: f.APIURL, PhoneID: f.PhoneID, Token: "wrong"})
	_, err := s.Send(context.Background(), outbox.Message{ID: 1, Address: "+6281234567890", Kind: "reply", Body: "halo"})
	if err == nil || outbox.IsPermanent(err) || !strings.Contains(err.Error(), "190") {
		t.Errorf("a wrong token: %v, want a retried (#190)", err)
	}
	if strings.Contains(err.Error(), f.Token) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the token: %v", err)
	}
	_, err = senderTo(f).Send(context.Background(), outbox.Message{ID: 2, Address: "kantor", Kind: "reply", Body: "halo"})
	if !outbox.IsPermanent(err) {
		t.Errorf("an address without digits: %v, want permanent", err)
	}
	if len(f.Sent()) != 0 {
		t.Errorf("the fake took %d messages", len(f.Sent()))
	}
}

// outboxRow reads the outbox row to address.
func outboxRow(t *testing.T, d *db.DB, address string) outbox.Message {
	t.Helper()
	var m outbox.Message
	if err := d.R.QueryRow(`SELECT id, status, attempts, provider_id, last_error FROM outbox WHERE address = $1`, address).
		Scan(&m.ID, &m.Status, &m.Attempts, &m.ProviderID, &m.LastError); err != nil {
		t.Fatalf("outbox row to %s: %v", address, err)
	}
	return m
}

func TestTheWorkerRetriesMetasOutageAndBuriesARefusal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := whatsapptest.New(t)
		f.Fail(whatsapptest.Failure{Status: 500, Code: 2, Type: "OAuthException", Message: "Service temporarily unavailable"},
			whatsapptest.Failure{Status: 400, Code: 131026, Type: "OAuthException", Message: "(#131026) Message Undeliverable"})
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return outbox.Enqueue(ctx, tx,
				outbox.Message{Channel: outbox.WhatsApp, Address: "+6281234500001", Kind: "reply", Ref: "T-000001", Body: "Satu"},
				outbox.Message{Channel: outbox.WhatsApp, Address: "+6281234500002", Kind: "reply", Ref: "T-000002", Body: "Dua"})
		})
		if err != nil {
			t.Fatal(err)
		}
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.WhatsApp: senderTo(f)})
		w.Concurrency = 1 // the fake's failures go to the messages in order
		if n, err := w.RunOnce(ctx); n != 2 || err != nil {
			t.Fatalf("claimed %d, %v", n, err)
		}
		first, second := outboxRow(t, d, "+6281234500001"), outboxRow(t, d, "+6281234500002")
		if first.Status != outbox.Pending || first.Attempts != 1 || !strings.Contains(first.LastError, "Service temporarily unavailable") {
			t.Errorf("after Meta's 500: %+v, want pending to be tried again", first)
		}
		if second.Status != outbox.Dead || !strings.Contains(second.LastError, "131026") {
			t.Errorf("after Meta's 400: %+v, want dead with the code", second)
		}
		if _, err := d.W.Exec(`UPDATE outbox SET next_at = $1 WHERE id = $2`, time.Now().UTC().Add(-time.Second), first.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("second run claimed %d, %v", n, err)
		}
		first = outboxRow(t, d, "+6281234500001")
		sent := f.WaitFor(t, "6281234500001", func(s whatsapptest.Sent) bool { return s.Body == "T-000001: Satu" })
		if first.Status != outbox.Sent || first.ProviderID != sent.ID || first.Attempts != 2 {
			t.Errorf("after the retry: %+v, want sent as %s", first, sent.ID)
		}
		if len(f.Sent()) != 1 {
			t.Errorf("the fake took %d messages, want 1", len(f.Sent()))
		}
	})
}
