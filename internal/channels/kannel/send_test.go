package kannel_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/channels/kannel"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/testenv"
)

// atFakeSMSC waits until the fake SMSC has logged want messages carrying
// marker, and returns their lines.
func atFakeSMSC(t *testing.T, k testenv.Kannel, marker string, want int) []string {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(k.Dir, "fakesmsc.log"))
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "Got message") && strings.Contains(l, marker) {
				got = append(got, l)
			}
		}
		if len(got) >= want {
			return got
		}
	}
	t.Fatalf("the fake SMSC got %d messages with %q, want %d", len(got), marker, want)
	return nil
}

func TestSenderHandsALongMessageToKannelInParts(t *testing.T) {
	k := testenv.KannelGateway(t)
	s := kannel.NewSender(kannel.Config{SendSMSURL: k.SendSMSURL, Sender: "1500", Secret: k.Secret,
		BaseURL: "http://127.0.0.1:1"})
	marker := "uji" + time.Now().Format("150405.000000")
	body := marker + " " + strings.Repeat("Aplikasi SIMPEG tidak bisa dibuka sejak pagi. ", 8)
	id, err := s.Send(context.Background(), outbox.Message{ID: 42, Channel: outbox.SMS, Address: "+6281234500042",
		Kind: "reply", Ref: "T-000042", Body: body})
	if err != nil || id != "42" {
		t.Fatalf("send: %q, %v", id, err)
	}
	parts := len(kannel.Split(kannel.Text(outbox.Message{Kind: "reply", Ref: "T-000042", Body: body}, "")))
	if parts < 2 {
		t.Fatalf("a %d-character message was not split", len(body))
	}
	// fakesmsc logs a GSM-7 text as it is: each part names its place.
	lines := atFakeSMSC(t, k, marker, 1)
	if !strings.Contains(lines[0], fmt.Sprintf("(1/%d) T-000042: %s", parts, marker)) {
		t.Errorf("first part %q, want it to start (1/%d) T-000042: %s", lines[0], parts, marker)
	}
	atFakeSMSC(t, k, fmt.Sprintf("(%d/%d)", parts, parts), 1)
}
