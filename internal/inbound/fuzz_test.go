package inbound

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/org"
)

// FuzzParseText reads any text an SMS or WhatsApp sender may send, as
// Receive does (cleaned first), and checks what parse makes of
// it: a command about a ticket carries a number the help desk reads, a
// reply carries text, a malformed command a usage with an answer in both
// languages, and the answer's language is one the catalogs have. The
// ticket a text opens has a one-line subject of bounded length, and the
// sender's number is normalised to one form or refused.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"BANTUAN", "Help", "?", "status T-000123", "CEK t-5.", "NILAI T-000001 5 terima kasih",
		"rate T-000001 9", "nilai T-000001 abc", "RATE T-000001", "T-000001", "T-000001: Sudah padam tiga malam, Pak.",
		"bantuan printer rusak", "halo", "", "Aplikasi SIMPEG tidak bisa dibuka sejak pagi, muncul galat 500",
		"T-+1 x", "T-99999999999999999999 x", "\xff\xfe T-1 \x00"} {
		f.Add(s, "081234567890")
	}
	f.Add("status", "+62 411 123456")
	f.Add("RATE T-1 5", "6285255501234")
	f.Fuzz(func(t *testing.T, body, from string) {
		body = Clean(strings.TrimSpace(body))
		if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
			t.Fatalf("Clean left %q", body)
		}
		for _, lang := range []string{i18n.ID, i18n.EN} {
			checkCommand(t, body, parse(body, lang))
		}
		subject := subjectOf(body)
		if n := utf8.RuneCountInString(subject); n > subjectRunes+1 || strings.ContainsAny(subject, "\r\n") {
			t.Fatalf("subjectOf(%q) = %q: %d runes or a line break", body, subject, n)
		}
		if c := clip(body, bodyRunes); utf8.RuneCountInString(c) > bodyRunes || !strings.HasPrefix(body, c) {
			t.Fatalf("clip(%q) = %q", body, c)
		}
		if phone, ok := org.NormalizePhone(from); ok {
			again, ok := org.NormalizePhone(phone)
			if !ok || again != phone || !strings.HasPrefix(phone, "+62") || strings.Trim(phone[1:], "0123456789") != "" {
				t.Fatalf("NormalizePhone(%q) = %q, which normalises to %q, %v", from, phone, again, ok)
			}
		}
	})
}

// checkCommand fails unless c is a reading of body that Texts can act on.
func checkCommand(t *testing.T, body string, c command) {
	t.Helper()
	if c.lang != i18n.ID && c.lang != i18n.EN {
		t.Fatalf("parse(%q): language %q", body, c.lang)
	}
	switch c.verb {
	case verbStatus, verbRate, verbReply:
		if _, err := helpdesk.ParseNumber(c.number); err != nil {
			t.Fatalf("parse(%q): verb %d about %q, which is no ticket number", body, c.verb, c.number)
		}
	case verbUsage:
		if !i18n.Has(i18n.ID, c.usage) || !i18n.Has(i18n.EN, c.usage) {
			t.Fatalf("parse(%q): usage %q without an answer", body, c.usage)
		}
	case verbHelp, verbUnknown, verbTicket:
	default:
		t.Fatalf("parse(%q): verb %d", body, c.verb)
	}
	if c.verb == verbReply && (c.text == "" || !strings.Contains(body, c.text)) {
		t.Fatalf("parse(%q): a reply of %q", body, c.text)
	}
	if c.verb == verbTicket && len(strings.Fields(body)) < 2 {
		t.Fatalf("parse(%q): a ticket of fewer than two words", body)
	}
}
