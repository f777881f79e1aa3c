package server_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// The journeys below walk the key task of each role in a real headless
// Chromium, through the pages only (no JavaScript of ours runs), and check
// both what the person sees and what the database then holds.

// submitButton is the submit button of a page's main form; the header's
// sign-out form has one too.
const submitButton = chromedp.CSS(`main form.stack button[type=submit]`)

// signIn opens path, is sent to the sign-in form, signs in through it and
// waits for the page it is sent back to.
func signIn(t *testing.T, ctx context.Context, h *servertest.Harness, path, email, password string) {
	t.Helper()
	browsertest.Do(t, ctx, "open "+path, chromedp.Navigate(h.URL+path), chromedp.WaitVisible(chromedp.ID("f-email")))
	browsertest.Follow(t, ctx, "sign in as "+email, "#sign-out",
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
}

// texts returns the visible text of every element matching css.
func texts(t *testing.T, ctx context.Context, step, css string) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(`+strconv.Quote(css)+`)].map(e => e.innerText.trim())`))
	if err != nil {
		browsertest.Screenshot(t, ctx, step)
		t.Fatalf("%s: %v", step, err)
	}
	return out
}

// value returns the current value of a form field.
func value(t *testing.T, ctx context.Context, step, id string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		browsertest.Screenshot(t, ctx, step)
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// count runs a SELECT count(*) … on the database.
func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// employee adds a person as the system would (seed data for a journey).
func employee(t *testing.T, h *servertest.Harness, in org.EmployeeInput) org.Employee {
	t.Helper()
	e, err := h.Svc.Org.CreateEmployee(context.Background(), policy.SystemActor("test"), in)
	if err != nil {
		t.Fatalf("seed %s: %v", in.Name, err)
	}
	return e
}

// TestJourneyAgencyAdminAddsPerson: the admin of Dinas Kesehatan adds a
// person, is told in Indonesian what is wrong with the NIP without losing
// what they typed, corrects it, and cannot edit a person of another agency.
func TestJourneyAgencyAdminAddsPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		teacher := employee(t, h, org.EmployeeInput{AgencyID: disdik.ID, Name: "Muhammad Ilham", NIP: "198503152010011001",
			EmploymentType: "pns"})
		password := h.User(t, "siti.admin@makassarkota.go.id", "Siti Rahmawati", policy.AgencyAdmin, "DINKES")
		ctx := browsertest.New(t)

		signIn(t, ctx, h, "/pegawai", "siti.admin@makassarkota.go.id", password)
		if p := look(t, ctx, "directory"); p.heading != "Direktori pegawai" || !strings.HasSuffix(p.url, "/pegawai") {
			t.Errorf("directory: %+v", p)
		}
		browsertest.Follow(t, ctx, "open the add form", "#f-name", chromedp.Click(chromedp.CSS(`main a[href^="/pegawai/baru"]`)))
		if p := look(t, ctx, "add form"); p.heading != "Tambah pegawai" || !strings.Contains(p.main, "Dinas Kesehatan") {
			t.Errorf("add form: %+v", p)
		}

		const short = "19900101201502200" // 17 digits
		browsertest.Follow(t, ctx, "save with a short NIP", "#e-nip",
			chromedp.SendKeys(chromedp.ID("f-name"), "Nur'aini"),
			chromedp.SendKeys(chromedp.ID("f-back_title"), "S.E."),
			chromedp.SendKeys(chromedp.ID("f-nip"), short),
			chromedp.SendKeys(chromedp.ID("f-email"), "nuraini@makassarkota.go.id"),
			chromedp.SendKeys(chromedp.ID("f-position_name"), "Analis Kebijakan"),
			chromedp.Click(submitButton))
		if got := texts(t, ctx, "NIP error", "#e-nip"); !slices.Equal(got, []string{"NIP harus 18 digit"}) {
			t.Errorf("NIP error beside the field: %q", got)
		}
		invalid, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("f-nip"), "aria-invalid"))
		if err != nil || invalid.Value != "true" {
			t.Errorf("NIP field aria-invalid = %+v, %v", invalid, err)
		}
		for id, want := range map[string]string{"f-name": "Nur'aini", "f-back_title": "S.E.", "f-nip": short,
			"f-email": "nuraini@makassarkota.go.id", "f-position_name": "Analis Kebijakan"} {
			if got := value(t, ctx, "kept "+id, id); got != want {
				t.Errorf("after the error %s = %q, want %q", id, got, want)
			}
		}
		if n := count(t, d, `SELECT count(*) FROM employees WHERE name = $1`, "Nur'aini"); n != 0 {
			t.Fatalf("a refused form wrote %d people", n)
		}

		browsertest.Follow(t, ctx, "save with the NIP corrected", ".flash",
			chromedp.Clear(chromedp.ID("f-nip")),
			chromedp.SendKeys(chromedp.ID("f-nip"), "199001012015022002"),
			chromedp.Click(submitButton))
		p := look(t, ctx, "person page")
		if p.heading != "Nur'aini, S.E." || !strings.HasPrefix(p.main, "Pegawai ditambahkan.") ||
			!strings.Contains(p.main, "199001012015022002") || !regexp.MustCompile(`/pegawai/\d+$`).MatchString(p.url) {
			t.Errorf("person page: %+v", p)
		}
		var nip, email, agencyID string
		if err := d.R.QueryRow(`SELECT nip, email, agency_id FROM employees WHERE name = $1`, "Nur'aini").
			Scan(&nip, &email, &agencyID); err != nil {
			t.Fatal(err)
		}
		if nip != "199001012015022002" || email != "nuraini@makassarkota.go.id" || agencyID != strconv.FormatInt(dinkes.ID, 10) {
			t.Errorf("stored: nip %s, email %s, agency %s", nip, email, agencyID)
		}
		if !strings.HasSuffix(p.url, "/pegawai/"+strconv.FormatInt(idOf(t, d, "Nur'aini"), 10)) {
			t.Errorf("person page of another person: %s", p.url)
		}

		browsertest.Do(t, ctx, "edit a person of Disdik",
			chromedp.Navigate(h.URL+"/pegawai/"+strconv.FormatInt(teacher.ID, 10)+"/ubah"), chromedp.WaitVisible(chromedp.CSS("h1")))
		// The page speaks the reader's language: no English status text.
		if p := look(t, ctx, "refused"); p.heading != "403 · Akses ditolak" ||
			!strings.Contains(p.main, "Anda tidak berwenang melakukan ini") || strings.Contains(p.main, "Muhammad Ilham") {
			t.Errorf("edit of another agency's person: %+v", p)
		}
	})
}

// idOf returns the id of the person named name.
func idOf(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM employees WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("id of %s: %v", name, err)
	}
	return id
}

// TestJourneyEmployeeFindsColleagueAndOperator: an employee finds a
// colleague by part of her name without seeing her NIP, then finds who
// operates an application in their own agency.
func TestJourneyEmployeeFindsColleagueAndOperator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		ctx0, sys := context.Background(), policy.SystemActor("test")
		kominfo := h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		const nip = "199001012015022002"
		employee(t, h, org.EmployeeInput{AgencyID: dinkes.ID, Name: "Nur'aini", BackTitle: "S.E.", NIP: nip,
			EmploymentType: "pns", Email: "nuraini@makassarkota.go.id", PositionName: "Analis Kebijakan"})
		employee(t, h, org.EmployeeInput{AgencyID: dinkes.ID, Name: "Andi Baso", EmploymentType: "contract"})
		password := h.User(t, "rudi@makassarkota.go.id", "Rudi Hartono", policy.Employee, "DINKES")
		h.User(t, "operator.dinkes@makassarkota.go.id", "Ärni Dottoro'ta", policy.Employee, "DINKES")
		app, err := h.Svc.Apps.CreateApp(ctx0, sys, apps.AppInput{Slug: "sipakainga", Name: "SIPAKAINGA",
			OwnerAgencyID: kominfo.ID, Status: "active", Description: "Layanan pengaduan warga."})
		if err != nil {
			t.Fatal(err)
		}
		opAccount, err := h.Svc.Auth.AccountIDByEmail(ctx0, "operator.dinkes@makassarkota.go.id")
		if err == nil {
			err = h.Svc.Apps.SetUsers(ctx0, sys, app.ID, []int64{dinkes.ID})
		}
		if err == nil {
			err = h.Svc.Apps.AddOperator(ctx0, sys, app.ID, dinkes.ID, opAccount)
		}
		if err != nil {
			t.Fatal(err)
		}
		audited := count(t, d, `SELECT count(*) FROM audit_log`)
		ctx := browsertest.New(t)

		signIn(t, ctx, h, "/pegawai", "rudi@makassarkota.go.id", password)
		browsertest.Follow(t, ctx, "search aini", `#f-q[value="aini"]`,
			chromedp.SendKeys(chromedp.ID("f-q"), "aini"), chromedp.Submit(chromedp.ID("f-q")))
		if rows := texts(t, ctx, "results", "main tbody th"); !slices.Equal(rows, []string{"Nur'aini, S.E."}) {
			t.Errorf("search for aini found %q", rows)
		}
		if p := look(t, ctx, "results"); strings.Contains(p.main, nip) || strings.Contains(p.main, "nuraini@") {
			t.Errorf("the directory shows an employee private data: %s", p.main)
		}

		browsertest.Follow(t, ctx, "open her page", "#h-private", chromedp.Click(chromedp.CSS(`main tbody a[href^="/pegawai/"]`)))
		p := look(t, ctx, "her page")
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		if p.heading != "Nur'aini, S.E." || !strings.Contains(p.main, "Analis Kebijakan") ||
			!strings.Contains(p.main, "disembunyikan sesuai UU 27/2022") {
			t.Errorf("colleague's page: %+v", p)
		}
		if strings.Contains(html, nip) || strings.Contains(html, "nuraini@") || strings.Contains(p.main, "1990") {
			t.Errorf("the colleague's page carries her NIP, email or birth year")
		}

		browsertest.Follow(t, ctx, "open Aplikasi", `a[href="/aplikasi/sipakainga"]`, chromedp.Click(chromedp.CSS(`header nav a[href="/aplikasi"]`)))
		browsertest.Follow(t, ctx, "open SIPAKAINGA", "#operator-mine", chromedp.Click(chromedp.CSS(`a[href="/aplikasi/sipakainga"]`)))
		if p := look(t, ctx, "app"); p.heading != "SIPAKAINGA" || !strings.Contains(p.main, "Layanan pengaduan warga.") {
			t.Errorf("app page: %+v", p)
		}
		mine := texts(t, ctx, "operators", "#operator-mine h3, #operator-mine li")
		if len(mine) != 2 || !strings.HasPrefix(mine[0], "Operator di OPD Anda") || mine[1] != "Ärni Dottoro'ta" {
			t.Errorf("operators in my agency: %q", mine)
		}
		// Reading writes nothing; only the sign-in is recorded.
		if n, signIns := count(t, d, `SELECT count(*) FROM audit_log`), count(t, d,
			`SELECT count(*) FROM audit_log WHERE actor = $1 AND action = 'sign_in'`, "rudi@makassarkota.go.id"); n != audited+1 || signIns != 1 {
			t.Errorf("the journey wrote %d audit entries, %d of them the sign-in", n-audited, signIns)
		}
	})
}
