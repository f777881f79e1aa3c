package mail

import (
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/outbox"
)

func TestAuthIsRefusedOverAClearConnectionToAnotherMachine(t *testing.T) {
	tests := []struct {
		relay  string
		secure bool
		ok     bool
	}{
		{"smtp.makassarkota.go.id:587", true, true},
		{"smtp.makassarkota.go.id:25", false, false},
		{"10.1.2.3:25", false, false},
		{"127.0.0.1:25", false, true},
		{"[::1]:25", false, true},
		{"localhost:25", false, true},
	}
	for _, tc := range tests {
		err := authAllowed(tc.secure, tc.relay)
		if (err == nil) != tc.ok {
			t.Errorf("%s secure=%v: %v", tc.relay, tc.secure, err)
		}
		if err != nil && (outbox.IsPermanent(err) || !strings.Contains(err.Error(), "STARTTLS")) {
			t.Errorf("%s: %v should be a temporary error naming STARTTLS", tc.relay, err)
		}
	}
}
