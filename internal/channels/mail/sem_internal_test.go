package mail

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TestMailsAreParsedAFewAtATime: past maxParallel a mail waits for a
// slot before it is parsed.
func TestMailsAreParsedAFewAtATime(t *testing.T) {
	l := &Listener{inbox: &Inbox{}, sem: make(chan struct{}, maxParallel)}
	for range maxParallel {
		l.sem <- struct{}{}
	}
	done := make(chan error, 1)
	go func() {
		s := &session{l: l, envFrom: "x@warga.example"}
		done <- s.Data(strings.NewReader("Subject: tanpa pengirim\r\n\r\nisi\r\n"))
	}()
	select {
	case err := <-done:
		t.Fatalf("parsed past the bound: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	<-l.sem
	select {
	case err := <-done:
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 550 {
			t.Errorf("%v, want 550 (no From)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting with a slot free")
	}
}
