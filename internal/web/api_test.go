package web

import (
	"net/http/httptest"
	"slices"
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
	// field is "" for an error of the whole body, with key; else the
	// member named, and the keys it may be named with: which of two faults
	// comes first and whether a number where a time belongs is a wrong
	// type or a wrong time differ between Go's versions of encoding/json.
	for _, tc := range []struct {
		body, field string
		keys        []string
	}{
		{`{"name":"x","expires_at":"2026-02-30T00:00:00Z"}`, "expires_at", []string{"json_time"}},
		{`{"expires_at":"2027-01-01"}`, "expires_at", []string{"json_time"}},
		{`{"name":"x","starts_at":17}`, "starts_at", []string{"json_time", "json_type"}},
		// Two members wrong: either is named, each for its own fault.
		{`{"count":"tiga","starts_at":"2026-13-01"}`, "count|starts_at", nil},
		{`{"count":"tiga"}`, "count", []string{"json_type"}},
		{`{"nama":"x"}`, "nama", []string{"unknown_field"}},
		{`[]`, "", []string{"json_object"}},
		{`"x"`, "", []string{"json_object"}},
		{`{"name":`, "", []string{"json_syntax"}},
		{`{"name" "x"}`, "", []string{"json_syntax"}},
		{``, "", []string{"json_syntax"}},
		{`{"name":"x"} {}`, "", []string{"json_trailing"}},
	} {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tc.body))
		r.Header.Set("Content-Type", "application/json")
		var in input
		e := errs.As(DecodeJSON(httptest.NewRecorder(), r, &in))
		if e == nil {
			t.Errorf("%s: accepted", tc.body)
			continue
		}
		fault := map[string]string{"count": "json_type", "starts_at": "json_time"} // for two members wrong
		switch {
		case e.Code != errs.Invalid:
			t.Errorf("%s: %v, want a 422", tc.body, e)
		case tc.field == "" && (!slices.Contains(tc.keys, e.Key) || len(e.Fields) != 0):
			t.Errorf("%s: %s %v, want %v", tc.body, e.Key, e.Fields, tc.keys)
		case tc.field != "" && len(e.Fields) != 1:
			t.Errorf("%s: %v, want one field", tc.body, e.Fields)
		case tc.keys == nil && fault[e.Fields[0].Name] != e.Fields[0].Key:
			t.Errorf("%s: %v, want a member named for its own fault", tc.body, e.Fields)
		case tc.keys != nil && tc.field != "" && (e.Fields[0].Name != tc.field || !slices.Contains(tc.keys, e.Fields[0].Key)):
			t.Errorf("%s: %v, want %s: %v", tc.body, e.Fields, tc.field, tc.keys)
		}
		if msg := e.Message(i18n.ID); strings.Contains(msg, "json:") || strings.Contains(msg, "parsing time") ||
			strings.Contains(msg, "Go value") || strings.Contains(msg, "err.") {
			t.Errorf("%s: the message is not in words: %s", tc.body, msg)
		}
	}
}
