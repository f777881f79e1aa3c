package org_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// city is a small city: two dinas, a UPT under one, people in both, and
// accounts for the roles the pages treat differently.
type city struct {
	h              *servertest.Harness
	dinkes, disdik org.Agency
	upt            org.Agency
	nuraini, arni  org.Employee // Dinkes and Disdik people with NIPs
	staff          org.Employee // a Dinkes employee with an account
	pw             map[string]string
}

const (
	nurainiNIP = "199104232016022001"
	arniNIP    = "199305122018032001"
)

func newCity(t *testing.T, d *db.DB) *city {
	t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	h := servertest.Start(t, d)
	c := &city{h: h, pw: map[string]string{}}
	c.dinkes = h.Agency(t, "DINKES", "Dinas Kesehatan", org.TypeDinas)
	c.disdik = h.Agency(t, "DISDIK", "Dinas Pendidikan", org.TypeDinas)
	var err error
	if c.upt, err = h.Svc.Org.CreateAgency(ctx, sys, org.AgencyInput{Code: "UPT-PKM-1", Name: "UPT Puskesmas Dottoro'ta",
		Type: org.TypeUPT, ParentID: &c.dinkes.ID}); err != nil {
		t.Fatal(err)
	}
	person := func(agency int64, nip, name, email string) org.Employee {
		e, err := h.Svc.Org.CreateEmployee(ctx, sys, org.EmployeeInput{AgencyID: agency, NIP: nip, Name: name,
			Email: email, EmploymentType: org.EmploymentPNS, UnitName: "Bidang Pelayanan", PositionName: "Analis"})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	c.nuraini = person(c.dinkes.ID, nurainiNIP, "Nur'aini", "nuraini@makassarkota.go.id")
	c.arni = person(c.disdik.ID, arniNIP, "Ärni Dottoro'ta", "arni@makassarkota.go.id")
	for _, u := range []struct {
		email, name string
		role        policy.Role
		agency      string
	}{
		{"super@makassarkota.go.id", "Super Admin", policy.Superadmin, ""},
		{"admin.dinkes@makassarkota.go.id", "Admin Dinkes", policy.AgencyAdmin, "DINKES"},
		{"staf.dinkes@makassarkota.go.id", "Staf Dinkes", policy.Employee, "DINKES"},
		{"guru@makassarkota.go.id", "Guru Disdik", policy.Employee, "DISDIK"},
	} {
		c.pw[u.email] = h.User(t, u.email, u.name, u.role, u.agency)
	}
	if c.staff, err = h.Svc.Org.GetEmployeeByEmail(ctx, "staf.dinkes@makassarkota.go.id"); err != nil {
		t.Fatal(err)
	}
	return c
}

// browser is a signed-in browser without JavaScript.
type browser struct {
	t   *testing.T
	c   *http.Client
	url string
}

func (c *city) signIn(t *testing.T, email string) *browser {
	t.Helper()
	token, _, _, err := c.h.Svc.Auth.SignIn(context.Background(), email, c.pw[email], "", "")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	b := &browser{t: t, c: servertest.Browser(), url: c.h.URL}
	u, _ := url.Parse(c.h.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "lontara_session", Value: token, Path: "/"}})
	return b
}

type page struct {
	Status   int
	Location string
	Body     string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.url+path, nil)
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the token from the form on the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfField.FindStringSubmatch(p.Body)
	if p.Status != 200 || m == nil {
		b.t.Fatalf("GET %s: %d, no csrf field", path, p.Status)
	}
	return m[1]
}

// post sends the form at path as a browser would after opening it.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	form.Set("csrf", b.csrf(path))
	req, _ := http.NewRequest("POST", b.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts the import form with file.
func (b *browser) upload(file string, fields url.Values) page {
	b.t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		b.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fields.Set("csrf", b.csrf("/pegawai/impor"))
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", file[strings.LastIndex(file, "/")+1:])
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.url+"/pegawai/impor", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func must(t *testing.T, p page, status int, what string, wants ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, p.Status, status, p.Body)
	}
	for _, w := range wants {
		if !strings.Contains(p.Body, w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
}

func mustNot(t *testing.T, p page, what string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(p.Body, u) {
			t.Errorf("%s: page shows %q", what, u)
		}
	}
}

// postRaw sends form as it is, for a request whose form page the user may
// not open.
func (b *browser) postRaw(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}
