package mail

import "testing"

// TestAuthenticatedReadsTheTrustedServersVerdict: a mail counts as from
// its From: address only when the trusted server found DMARC passing for
// its domain, in any of its headers, and nothing else of DMARC for it;
// text a sender slipped into the server's headers counts for nothing.
func TestAuthenticatedReadsTheTrustedServersVerdict(t *testing.T) {
	const mx, from = "mx.makassarkota.go.id", "nuraini@makassarkota.go.id"
	for _, tc := range []struct {
		name    string
		headers []string
		want    bool
	}{
		{"DMARC passed", []string{"mx.makassarkota.go.id; dmarc=pass (p=NONE dis=NONE) header.from=makassarkota.go.id"}, true},
		{"one header a check, as Postfix's milters write them", []string{
			"MX.makassarkota.go.id 1; spf=pass smtp.mailfrom=nuraini@makassarkota.go.id",
			"mx.makassarkota.go.id; dkim=pass header.d=makassarkota.go.id header.s=s1",
			"mx.makassarkota.go.id; dmarc=pass header.from=makassarkota.go.id"}, true},
		{"no header", nil, false},
		{"another server's pass", []string{"mx.evil.example; dmarc=pass header.from=makassarkota.go.id"}, false},
		{"DMARC failed", []string{"mx.makassarkota.go.id; dmarc=fail header.from=makassarkota.go.id"}, false},
		{"no DMARC record, DKIM passed", []string{"mx.makassarkota.go.id; dkim=pass header.d=makassarkota.go.id",
			"mx.makassarkota.go.id; dmarc=none header.from=makassarkota.go.id"}, false},
		{"DMARC passed for another domain", []string{"mx.makassarkota.go.id; dmarc=pass header.from=evil.example"}, false},
		{"a pass only in a comment", []string{"mx.makassarkota.go.id; dmarc=fail (dmarc=pass) header.from=makassarkota.go.id"}, false},
		{"a pass in a quoted sender", []string{`mx.makassarkota.go.id; spf=pass smtp.mailfrom="x;dmarc=pass header.from=makassarkota.go.id y"@evil.example`}, false},
		{"a pass slipped in beside the real fail", []string{
			`mx.makassarkota.go.id; dmarc=fail header.from=makassarkota.go.id; spf=pass (domain of "a) ; dmarc=pass header.from=makassarkota.go.id ("@evil.example) smtp.mailfrom=evil.example`}, false},
		{"a pass slipped in beside none", []string{"mx.makassarkota.go.id; spf=pass smtp.helo=x; dmarc=pass; dmarc=none header.from=makassarkota.go.id"}, false},
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
