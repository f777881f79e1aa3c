package web

import (
	"net/http/httptest"
	"testing"
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
