package kannel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/kannel"
	"github.com/lontara-id/lontara/internal/outbox"
)

// TestALongSMSWhosePartFailsAfterTheFirstIsNotSentAgain: once Kannel took
// a part, a later part's failure is permanent (the outbox would send the
// whole message again, the parts taken included); a failure of the first
// part, with nothing sent, is retried as before.
func TestALongSMSWhosePartFailsAfterTheFirstIsNotSentAgain(t *testing.T) {
	var calls, failFrom atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := calls.Add(1); n >= failFrom.Load() {
			http.Error(w, "3: Queued for later delivery failed", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	s := kannel.NewSender(kannel.Config{SendSMSURL: srv.URL + "/cgi-bin/sendsms", Secret: "x",
		BaseURL: "http://127.0.0.1:1"})
	m := outbox.Message{ID: 7, Channel: outbox.SMS, Address: "+6281234500007", Kind: "reply", Ref: "T-000007",
		Body: strings.Repeat("Aplikasi SIMPEG tidak bisa dibuka sejak pagi. ", 8)}
	if n := len(kannel.Split(kannel.Text(m, ""))); n < 3 {
		t.Fatalf("%d parts, want at least 3", n)
	}

	failFrom.Store(2) // the first part is taken, the second is not
	_, err := s.Send(context.Background(), m)
	if err == nil || !outbox.IsPermanent(err) {
		t.Fatalf("part 2 failed after part 1 was sent: %v (permanent %v), want a permanent error", err,
			outbox.IsPermanent(err))
	}
	if !strings.Contains(err.Error(), "part 2 of") || !strings.Contains(err.Error(), "503") {
		t.Errorf("error %q does not name the part and Kannel's answer", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls to sendsms after part 2 failed, want 2", calls.Load())
	}

	calls.Store(0)
	failFrom.Store(1) // nothing is taken
	if _, err := s.Send(context.Background(), m); err == nil || outbox.IsPermanent(err) {
		t.Errorf("the first part failed, nothing sent: %v, want an error worth retrying", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls after the first part failed, want 1", calls.Load())
	}
}
