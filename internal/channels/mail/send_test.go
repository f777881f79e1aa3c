package mail_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/testenv"
)

// sinkMessage is what Mailpit's API tells of a message.
type sinkMessage struct {
	ID        string
	MessageID string
	Subject   string
	To        []struct{ Address string }
}

// atSink waits until the sink holds a message matching query (Mailpit's
// search syntax) and returns the messages found.
func atSink(t *testing.T, api, query string) []sinkMessage {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/search?query=" + url.QueryEscape(query))
		if err != nil {
			t.Fatal(err)
		}
		var found struct{ Messages []sinkMessage }
		err = json.NewDecoder(resp.Body).Decode(&found)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(found.Messages) > 0 {
			return found.Messages
		}
	}
	t.Fatalf("no message matching %q reached the sink", query)
	return nil
}

func TestSenderDeliversThroughTheRelayThreadedOnItsTicket(t *testing.T) {
	relay, api := testenv.SMTPSink(t)
	to := "andi." + time.Now().Format("150405.000000") + "@example.test"
	s := mail.NewSender(mail.Config{Relay: relay, User: "lontara", Password: "x",
		From: "Layanan Bantuan <bantuan@makassarkota.go.id>", BaseURL: "https://lontara.example"})
	id, err := s.Send(context.Background(), outbox.Message{ID: 7, Channel: outbox.Email, Address: to,
		Kind: "ticket.replied", Ref: "T-000123", Subject: "Help desk menjawab tiket Anda", Body: "Dottoro'ta menjawab.",
		Link: "/bantuan/T-000123"})
	if err != nil {
		t.Fatal(err)
	}
	if id != "<lontara.7@makassarkota.go.id>" {
		t.Errorf("message id %q", id)
	}
	got := atSink(t, api, "to:"+to)
	if got[0].Subject != "[T-000123] Help desk menjawab tiket Anda" {
		t.Errorf("subject %q", got[0].Subject)
	}
}
