package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
)

// TestJSONErrorsNameTheFieldInWords: a body that does not decode is a 422
// whose message the caller can read in Indonesian, naming the member at
// fault where there is one, never encoding/json's English.
func TestJSONErrorsNameTheFieldInWords(t *testing.T) {
	type input struct {
		Name      string     `json:"name"`
		Count     int        `json:"count"`
		ExpiresAt *time.Time `json:"expires_at"`
		Starts    time.Time  `json:"starts_at"`
	}
	for _, tc := range []struct{ body, field, key string }{
		{`{"name":"x","expires_at":"2026-02-30T00:00:00Z"}`, "expires_at", "json_time"},
		{`{"expires_at":"2027-01-01"}`, "expires_at", "json_time"},
		{`{"name":"x","starts_at":17}`, "starts_at", "json_time"},
		// Two members wrong: the time is named for the time's fault, not
		// the first member in name order for it.
		{`{"count":"tiga","starts_at":"2026-13-01"}`, "starts_at", "json_time"},
		{`{"count":"tiga"}`, "count", "json_type"},
		{`{"nama":"x"}`, "nama", "unknown_field"},
		{`[]`, "", "json_object"},
		{`"x"`, "", "json_object"},
		{`{"name":`, "", "json_syntax"},
		{`{"name" "x"}`, "", "json_syntax"},
		{``, "", "json_syntax"},
		{`{"name":"x"} {}`, "", "json_trailing"},
	} {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tc.body))
		r.Header.Set("Content-Type", "application/json")
		var in input
		e := errs.As(DecodeJSON(httptest.NewRecorder(), r, &in))
		if e == nil {
			t.Errorf("%s: accepted", tc.body)
			continue
		}
		switch {
		case e.Code != errs.Invalid:
			t.Errorf("%s: %v, want a 422", tc.body, e)
		case tc.field == "" && (e.Key != tc.key || len(e.Fields) != 0):
			t.Errorf("%s: %s %v, want %s", tc.body, e.Key, e.Fields, tc.key)
		case tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Name != tc.field || e.Fields[0].Key != tc.key):
			t.Errorf("%s: %v, want %s: %s", tc.body, e.Fields, tc.field, tc.key)
		}
		if msg := e.Message(i18n.ID); strings.Contains(msg, "json:") || strings.Contains(msg, "parsing time") ||
			strings.Contains(msg, "Go value") || strings.Contains(msg, "err.") {
			t.Errorf("%s: the message is not in words: %s", tc.body, msg)
		}
	}
}
