package mail

import "testing"

// TestAuthenticatedReadsTheTrustedServersVerdict: a mail counts as from
// its From: address only by the trusted server's first header, and only
// for a check that passed for that address's domain.
func TestAuthenticatedReadsTheTrustedServersVerdict(t *testing.T) {
	const mx, from = "mx.makassarkota.go.id", "nuraini@makassarkota.go.id"
	for _, tc := range []struct {
		name    string
		headers []string
		want    bool
	}{
		{"DMARC passed", []string{"mx.makassarkota.go.id; dmarc=pass (p=NONE dis=NONE) header.from=makassarkota.go.id"}, true},
		{"DKIM signed by the domain", []string{"MX.makassarkota.go.id 1; dkim=pass header.d=makassarkota.go.id header.s=s1; spf=none"}, true},
		{"SPF for a sender of the domain", []string{`mx.makassarkota.go.id; spf=pass (sender ok) smtp.mailfrom="bounce@mail.makassarkota.go.id"`}, true},
		{"DKIM of a parent domain", []string{"mx.makassarkota.go.id; dkim=pass header.d=go.id"}, true},
		{"no header", nil, false},
		{"another server's pass", []string{"mx.evil.example; dmarc=pass header.from=makassarkota.go.id"}, false},
		{"DMARC failed", []string{"mx.makassarkota.go.id; dmarc=fail header.from=makassarkota.go.id; spf=softfail smtp.mailfrom=x@evil.example"}, false},
		{"DMARC passed for another domain", []string{"mx.makassarkota.go.id; dmarc=pass header.from=evil.example"}, false},
		{"DKIM of another domain", []string{"mx.makassarkota.go.id; dkim=pass header.d=evil.example"}, false},
		{"a sibling domain", []string{"mx.makassarkota.go.id; dkim=pass header.d=jakarta.go.id.example"}, false},
		{"a pass only in a comment", []string{"mx.makassarkota.go.id; dkim=fail (dkim=pass header.d=makassarkota.go.id) header.d=evil.example"}, false},
		{"the server's first header decides", []string{"mx.makassarkota.go.id; dmarc=fail header.from=makassarkota.go.id",
			"mx.makassarkota.go.id; dmarc=pass header.from=makassarkota.go.id"}, false},
		{"no results", []string{"mx.makassarkota.go.id; none"}, false},
	} {
		if got := authenticated(tc.headers, mx, from); got != tc.want {
			t.Errorf("%s: authenticated = %v, want %v", tc.name, got, tc.want)
		}
	}
	if authenticated([]string{"mx.makassarkota.go.id; dmarc=pass"}, "", from) {
		t.Error("no trusted server: nothing authenticates")
	}
}
