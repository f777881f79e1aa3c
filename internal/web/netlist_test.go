package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/reqctx"
)

func TestClientIP(t *testing.T) {
	proxies, err := parseNetList("10.0.0.1, 192.168.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{proxies: proxies}
	for _, tc := range []struct{ name, remote, xff, want string }{
		{"direct client, header ignored", "203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},
		{"through the proxy", "10.0.0.1:5000", "198.51.100.7", "198.51.100.7"},
		{"spoofed left-most entry ignored", "10.0.0.1:5000", "1.2.3.4, 198.51.100.7", "198.51.100.7"},
		{"two trusted hops", "10.0.0.1:5000", "198.51.100.7, 192.168.1.5", "198.51.100.7"},
		{"garbage stops the walk", "10.0.0.1:5000", "nonsense, 192.168.1.5", "192.168.1.5"},
		{"no header", "10.0.0.1:5000", "", "10.0.0.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("%s: clientIP = %s, want %s", tc.name, got, tc.want)
		}
	}
	if _, err := parseNetList("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}

func TestLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/opd": true, "/pegawai?agency_id=3&q=Nur%27aini": true, "//evil.example": false, "/\\evil": false,
		"https://x": false, "": false, "/\t/evil.example": false, "/%09/evil.example": true, "/\n//evil": false,
	} {
		if localPath(p) != want {
			t.Errorf("localPath(%q) = %v", p, !want)
		}
	}
}

// TestRequestIDFromAProxy: a trusted proxy's X-Request-ID is kept when it is
// short printable ASCII, and replaced otherwise, as it is from anyone else:
// it goes into every audit entry, which PostgreSQL refuses in invalid UTF-8.
func TestRequestIDFromAProxy(t *testing.T) {
	proxies, err := parseNetList("10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{proxies: proxies}
	var seen string
	h := s.withInfo(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = reqctx.From(r.Context()).ID }))
	for _, tc := range []struct {
		name, remote, id string
		kept             bool
	}{
		{"from the proxy", "10.0.0.1:5000", "nginx-4f2a9c", true},
		{"from a client", "203.0.113.9:5000", "nginx-4f2a9c", false},
		{"Latin-1 from the proxy", "10.0.0.1:5000", "caf\xe9", false},
		{"a control character from the proxy", "10.0.0.1:5000", "a\x7fb", false},
		{"too long from the proxy", "10.0.0.1:5000", strings.Repeat("a", 65), false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		r.Header.Set("X-Request-ID", tc.id)
		h.ServeHTTP(httptest.NewRecorder(), r)
		if (seen == tc.id) != tc.kept || seen == "" || !utf8.ValidString(seen) {
			t.Errorf("%s: the request's id is %q", tc.name, seen)
		}
	}
}
