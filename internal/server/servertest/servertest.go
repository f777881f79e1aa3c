// Package servertest starts the whole Lontara web server for end-to-end
// tests — the same wiring as `lontara serve`, over a fresh database on a real
// loopback port — and offers the few helpers those tests share: agencies,
// people with accounts, tokens, and JSON requests.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server"
)

// Harness is a running server.
type Harness struct {
	URL string
	DB  *db.DB
	Svc *server.Services
	cli *policy.Actor
}

// quietLogs keeps the per-request log lines out of test output; warnings
// and errors still show.
var quietLogs sync.Once

// Start serves Lontara over d until the test ends.
func Start(t testing.TB, d *db.DB) *Harness { return StartWith(t, d, nil) }

// StartWith is Start with a configuration changed by edit.
func StartWith(t testing.TB, d *db.DB, edit func(*config.Config)) *Harness {
	t.Helper()
	quietLogs.Do(func() {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	})
	cfg := config.Default()
	cfg.DB = d.DSN
	if edit != nil {
		edit(&cfg)
	}
	srv, svc, err := server.New(cfg, d)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	h, err := srv.Handler()
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Harness{URL: ts.URL, DB: d, Svc: svc, cli: policy.SystemActor("test")}
}

// At is a Harness for a Lontara that runs elsewhere over d — other
// processes, behind a proxy — and answers at url: its helpers create
// agencies and people through services of its own over d, and its
// clients browse url.
func At(t testing.TB, url string, d *db.DB) *Harness {
	t.Helper()
	cfg := config.Default()
	cfg.DB = d.DSN
	return &Harness{URL: url, DB: d, Svc: server.NewServices(cfg, d), cli: policy.SystemActor("test")}
}

// Agency creates an agency and returns it.
func (h *Harness) Agency(t testing.TB, code, name, typ string) org.Agency {
	t.Helper()
	a, err := h.Svc.Org.CreateAgency(context.Background(), h.cli, org.AgencyInput{Code: code, Name: name, Type: typ})
	if err != nil {
		t.Fatalf("servertest: agency %s: %v", code, err)
	}
	return a
}

// User creates a person with an account holding role (in the agency with
// code agencyCode for agency-scoped roles) and returns the password.
func (h *Harness) User(t testing.TB, email, name string, role policy.Role, agencyCode string) string {
	t.Helper()
	password := auth.GeneratePassword()
	_, err := h.Svc.Auth.CreateUser(context.Background(), h.cli, auth.UserInput{
		Email: email, Name: name, Role: role, AgencyCode: agencyCode, Password: password})
	if err != nil {
		t.Fatalf("servertest: user %s: %v", email, err)
	}
	return password
}

// Person is someone for Users to create: their role is in the agency with
// code Agency for agency-scoped roles.
type Person struct {
	Email, Name string
	Role        policy.Role
	Agency      string
}

// Users creates each person with an account, as User does, and returns
// their passwords by email.
func (h *Harness) Users(t testing.TB, people ...Person) map[string]string {
	t.Helper()
	pw := make(map[string]string, len(people))
	for _, p := range people {
		pw[p.Email] = h.User(t, p.Email, p.Name, p.Role, p.Agency)
	}
	return pw
}

// AccountID returns the id of the account of email.
func (h *Harness) AccountID(t testing.TB, email string) int64 {
	t.Helper()
	id, err := h.Svc.Auth.AccountIDByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("servertest: account of %s: %v", email, err)
	}
	return id
}

// Token creates an API token for the account of email.
func (h *Harness) Token(t testing.TB, email string) string {
	t.Helper()
	plain, _, err := h.Svc.Auth.CreateToken(context.Background(), h.cli, h.AccountID(t, email), "test", nil)
	if err != nil {
		t.Fatalf("servertest: token for %s: %v", email, err)
	}
	return plain
}

// Response is an answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("servertest: %d %s: not JSON: %v", r.Status, r.Body, err)
	}
}

// Do sends a request with the token (if any); body is JSON-encoded unless it
// is already a []byte or string, sent as it is with contentType.
func (h *Harness) Do(t testing.TB, method, path, token string, body any, contentType string) Response {
	t.Helper()
	return h.DoWith(t, nil, method, path, token, body, contentType)
}

// DoWith is Do with more request headers (If-Match, …).
func (h *Harness) DoWith(t testing.TB, header http.Header, method, path, token string, body any, contentType string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
		if contentType == "" {
			contentType = "application/json"
		}
	}
	req, err := http.NewRequest(method, h.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("servertest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// Browser returns an HTTP client with a cookie jar that does not follow
// redirects, to walk pages as a browser without JavaScript would.
func Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
