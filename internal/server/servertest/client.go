package servertest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/web"
)

// Client walks the pages as a browser without JavaScript would: its own
// cookie jar, no redirects followed, and the CSRF token of the last page it
// read, which PostForm puts into forms that carry none.
type Client struct {
	HTTP *http.Client // for requests the methods below do not make
	t    testing.TB
	url  string
	csrf string
}

// Page is a page (or any answer) read whole, as text.
type Page struct {
	Status   int
	Header   http.Header
	Location string // where a redirect leads
	Body     string
}

// Client returns a new browser that is not signed in.
func (h *Harness) Client(t testing.TB) *Client {
	return &Client{HTTP: Browser(), t: t, url: h.URL}
}

// SignIn returns a new browser signed in as email through the sign-in page.
func (h *Harness) SignIn(t testing.TB, email, password string) *Client {
	t.Helper()
	c := h.Client(t)
	c.SignIn(email, password)
	return c
}

// SignIn signs in through the sign-in form, failing the test unless it
// redirects, and then opens the page it leads to, as a browser would, so
// the new session's CSRF token is known.
func (c *Client) SignIn(email, password string) {
	c.t.Helper()
	c.Get("/masuk")
	p := c.PostForm("/masuk", url.Values{"email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		c.t.Fatalf("servertest: sign in as %s: %d %.400s", email, p.Status, p.Body)
	}
	c.Get(p.Location)
}

// Do sends req and reads the answer, remembering the page's CSRF token.
func (c *Client) Do(req *http.Request) Page {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("servertest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("servertest: %s %s: %v", req.Method, req.URL, err)
	}
	p := Page{Status: resp.StatusCode, Header: resp.Header, Location: resp.Header.Get("Location"), Body: string(body)}
	if token := CSRF(p.Body); token != "" {
		c.csrf = token
	}
	return p
}

// Get opens the page at path.
func (c *Client) Get(path string) Page {
	c.t.Helper()
	return c.Do(c.request("GET", path, nil, ""))
}

// PostForm sends form to path with the CSRF token of the last page read.
// A form with a csrf member of its own is sent as it is: {"csrf": {""}}
// sends an empty token, {"csrf": nil} none at all. A nil form is empty.
func (c *Client) PostForm(path string, form url.Values) Page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	return c.Do(c.request("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"))
}

// Submit opens the form page at path, failing the test unless it shows a
// form, and posts form to it with that form's token — a person filling in
// the form.
func (c *Client) Submit(path string, form url.Values) Page {
	c.t.Helper()
	c.open(path)
	return c.PostForm(path, form)
}

// Upload opens the form page at path and posts fields and the file on
// disk as the form's member field, by multipart as a browser uploads.
func (c *Client) Upload(path string, fields url.Values, field, file string) Page {
	c.t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		c.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.open(path))
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, filepath.Base(file))
	_, _ = fw.Write(content)
	_ = mw.Close()
	return c.Do(c.request("POST", path, &buf, mw.FormDataContentType()))
}

// open reads the form page at path and returns its CSRF token.
func (c *Client) open(path string) string {
	c.t.Helper()
	p := c.Get(path)
	token := CSRF(p.Body)
	if p.Status != http.StatusOK || token == "" {
		c.t.Fatalf("servertest: GET %s: %d, no form with a csrf token", path, p.Status)
	}
	return token
}

func (c *Client) request(method, path string, body io.Reader, contentType string) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF returns the token of the first form in an HTML page, "" if it has
// none.
func CSRF(body string) string {
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// Want fails the test unless the page has status and shows every one of
// texts (as they stand in the HTML); what names the page in messages.
func (p Page) Want(t testing.TB, status int, what string, texts ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, p.Status, status, p.Body)
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s: the page does not show %q", what, s)
		}
	}
}

// Lacks fails the test if the page shows any of texts.
func (p Page) Lacks(t testing.TB, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			t.Errorf("%s: the page shows %q", what, s)
		}
	}
}

// Redirects fails the test unless the page is a 303 to location.
func (p Page) Redirects(t testing.TB, what, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Location != location {
		t.Fatalf("%s: %d to %q, want 303 to %q", what, p.Status, p.Location, location)
	}
}

// Problem fails the test unless r is an application/problem+json answer
// with status, and returns the problem.
func Problem(t testing.TB, r Response, status int) web.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	var p web.Problem
	r.JSON(t, &p)
	return p
}

// ProblemFields is Problem for an answer that names exactly fields (in any
// order), each with a message.
func ProblemFields(t testing.TB, r Response, status int, fields ...string) web.Problem {
	t.Helper()
	p := Problem(t, r, status)
	var got []string
	for _, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("field %s without a message", e.Field)
		}
		got = append(got, e.Field)
	}
	slices.Sort(got)
	if want := slices.Sorted(slices.Values(fields)); !slices.Equal(got, want) {
		t.Errorf("problem fields %v, want %v: %s", got, want, r.Body)
	}
	return p
}

// PageLatency asks for path once (reported as cold-ms: what a first reader
// waits) and then once per b.Loop, and reports the p50-ms and p99-ms of
// those: the page benchmarks' one measure. Every answer must be 200.
func (c *Client) PageLatency(b *testing.B, path string) {
	b.Helper()
	get := func() time.Duration {
		t0 := time.Now()
		resp, err := c.HTTP.Get(c.url + path)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		return time.Since(t0)
	}
	cold := get()
	var all []time.Duration
	for b.Loop() {
		all = append(all, get())
	}
	slices.Sort(all)
	b.ReportMetric(float64(cold.Microseconds())/1000, "cold-ms")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}
