package server_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

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

// follow runs actions that load a new page (a click on a link or a submit)
// and waits for sel on that new page. The old page is marked first, so an
// element that both pages have cannot satisfy the wait too early.
func follow(t *testing.T, ctx context.Context, step, sel string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	mark := chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.left = "1"`)
	wait := chromedp.WaitVisible(chromedp.CSS(`html:not([data-left]) ` + sel))
	do(t, ctx, step, append(append([]chromedp.Action[chromedp.Void]{mark}, actions...), wait)...)
}

// signIn opens path, is sent to the sign-in form, signs in through it and
// waits for the page it is sent back to.
func signIn(t *testing.T, ctx context.Context, h *servertest.Harness, path, email, password string) {
	t.Helper()
	do(t, ctx, "open "+path, chromedp.Navigate(h.URL+path), chromedp.WaitVisible(chromedp.ID("f-email")))
	follow(t, ctx, "sign in as "+email, "#sign-out",
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
		follow(t, ctx, "open the add form", "#f-name", chromedp.Click(chromedp.CSS(`main a[href^="/pegawai/baru"]`)))
		if p := look(t, ctx, "add form"); p.heading != "Tambah pegawai" || !strings.Contains(p.main, "Dinas Kesehatan") {
			t.Errorf("add form: %+v", p)
		}

		const short = "19900101201502200" // 17 digits
		follow(t, ctx, "save with a short NIP", "#e-nip",
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

		follow(t, ctx, "save with the NIP corrected", ".flash",
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

		do(t, ctx, "edit a person of Disdik",
			chromedp.Navigate(h.URL+"/pegawai/"+strconv.FormatInt(teacher.ID, 10)+"/ubah"), chromedp.WaitVisible(chromedp.CSS("h1")))
		// The page speaks the reader's language: no English status text.
		if p := look(t, ctx, "refused"); p.heading != "403 · Terjadi kesalahan" ||
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
		follow(t, ctx, "search aini", `#f-q[value="aini"]`,
			chromedp.SendKeys(chromedp.ID("f-q"), "aini"), chromedp.Submit(chromedp.ID("f-q")))
		if rows := texts(t, ctx, "results", "main tbody th"); !slices.Equal(rows, []string{"Nur'aini, S.E."}) {
			t.Errorf("search for aini found %q", rows)
		}
		if p := look(t, ctx, "results"); strings.Contains(p.main, nip) || strings.Contains(p.main, "nuraini@") {
			t.Errorf("the directory shows an employee private data: %s", p.main)
		}

		follow(t, ctx, "open her page", "#h-private", chromedp.Click(chromedp.CSS(`main tbody a[href^="/pegawai/"]`)))
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

		follow(t, ctx, "open Aplikasi", `a[href="/aplikasi/sipakainga"]`, chromedp.Click(chromedp.CSS(`header nav a[href="/aplikasi"]`)))
		follow(t, ctx, "open SIPAKAINGA", "#operator-mine", chromedp.Click(chromedp.CSS(`a[href="/aplikasi/sipakainga"]`)))
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

// TestJourneySuperadminCreatesAgencyAdmin: the superadmin adds the admin of
// Dinas Kesehatan and sees the generated password once; the new admin signs
// in with it in a browser of their own; the audit log shows the account.
func TestJourneySuperadminCreatesAgencyAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		const super, email = "andi.baso@makassarkota.go.id", "hasna.dinkes@makassarkota.go.id"
		ctx := browsertest.New(t)

		signIn(t, ctx, h, "/", super, h.User(t, super, "Andi Baso Dottoro'ta", policy.Superadmin, "KOMINFO"))
		follow(t, ctx, "open Pengguna & peran", `main a[href="/admin/pengguna/baru"]`,
			chromedp.Click(chromedp.CSS(`header nav a[href="/admin/pengguna"]`)))
		follow(t, ctx, "open the add form", "#f-role", chromedp.Click(chromedp.CSS(`main a[href="/admin/pengguna/baru"]`)))
		follow(t, ctx, "add the admin of Dinkes", "#f-password",
			chromedp.SendKeys(chromedp.ID("f-email"), "Hasna.Dinkes@MakassarKota.go.id"),
			chromedp.SendKeys(chromedp.ID("f-name"), "Hasna Dottoro'ta"),
			chromedp.SetValue(chromedp.ID("f-role"), "agency_admin"),
			chromedp.SetValue(chromedp.ID("f-agency"), "DINKES"),
			chromedp.Click(submitButton))
		p := look(t, ctx, "created")
		password := value(t, ctx, "password", "f-password")
		if p.heading != "Pengguna ditambahkan" || !strings.Contains(p.main, "Akun untuk "+email+" telah dibuat.") ||
			!strings.Contains(p.main, "Admin OPD") || len(password) < 12 {
			t.Errorf("created page: %+v, password %q", p, password)
		}
		var accountID int64
		var role, agency string
		if err := d.R.QueryRow(`SELECT a.id, g.role, ag.code FROM accounts a JOIN employees e ON e.id = a.employee_id
			JOIN role_grants g ON g.account_id = a.id JOIN agencies ag ON ag.id = g.agency_id WHERE e.email = $1`, email).
			Scan(&accountID, &role, &agency); err != nil {
			t.Fatalf("the new account: %v", err)
		}
		if role != "agency_admin" || agency != "DINKES" {
			t.Errorf("the new account holds %s in %s", role, agency)
		}
		follow(t, ctx, "open the account", "main dl", chromedp.Click(chromedp.CSS(`main a[href="/admin/pengguna/`+strconv.FormatInt(accountID, 10)+`"]`)))
		if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil || strings.Contains(html, password) {
			t.Errorf("the password is shown again (or %v)", err)
		}

		other := browsertest.New(t)
		signIn(t, other, h, "/", email, password)
		if p := look(t, other, "home of the new admin"); p.heading != "Selamat datang, Hasna Dottoro'ta" {
			t.Errorf("new admin's home: %+v", p)
		}
		if cards := texts(t, other, "cards", "main .card h2"); !slices.Contains(cards, "OPD Anda") {
			t.Errorf("new admin's cards: %q", cards)
		}

		follow(t, ctx, "open the audit log", "#f-entity", chromedp.Click(chromedp.CSS(`header nav a[href="/admin/audit"]`)))
		id := strconv.FormatInt(accountID, 10)
		follow(t, ctx, "filter to the account", `#f-entity-id[value="`+id+`"]`,
			chromedp.SetValue(chromedp.ID("f-entity"), "account"),
			chromedp.SendKeys(chromedp.ID("f-entity-id"), id),
			chromedp.Submit(chromedp.ID("f-entity-id")))
		// Newest first: the new admin's sign-in, the role, the account.
		rows := texts(t, ctx, "audit rows", "main tbody tr")
		var actions []string
		for _, r := range rows {
			if cells := strings.Split(r, "\t"); len(cells) > 3 {
				actions = append(actions, cells[1]+" "+cells[2]+" "+cells[3])
			}
		}
		if want := []string{email + " sign_in account #" + id, super + " grant account #" + id,
			super + " create account #" + id}; !slices.Equal(actions, want) {
			t.Errorf("audit log of the account:\n got %q\nwant %q", actions, want)
		}
		var after string
		if err := d.R.QueryRow(`SELECT after_json FROM audit_log WHERE entity = 'account' AND entity_id = $1 AND action = 'create'
			AND actor = $2`, id, super).Scan(&after); err != nil {
			t.Fatalf("audit record: %v", err)
		}
		if strings.Contains(after, password) {
			t.Errorf("the audit log keeps the password: %s", after)
		}
	})
}

// simpegCSV is a SIMPEG export as Excel saves it in an Indonesian locale:
// semicolons, CRLF, Windows-1252, a title row above the header.
const simpegCSV = "DAFTAR PEGAWAI DINAS KESEHATAN;;;;;;;;;;;\r\n" +
	"NIP;Nama;Gelar Depan;Gelar Belakang;Email;Telepon;Kode OPD;Unit;Jabatan;Golongan;Jenis Pegawai;NIP Atasan\r\n" +
	"199001012015022002;Nur'aini;;S.E.;nuraini@makassarkota.go.id;0812-3456-7890;DINKES;Bidang Pelayanan Kesehatan;Analis Kebijakan;III/b;PNS;\r\n" +
	"199207172019031003;Ärni Dottoro'ta;;S.Kep., Ns.;arni@makassarkota.go.id;;DINKES;Seksi Gizi;Perawat;III/a;PPPK;199001012015022002\r\n" +
	";Budi Santoso;;;budi.santoso@makassarkota.go.id;;DINKES;;Pengemudi;;Kontrak;\r\n"

// TestJourneyAgencyAdminImportsCSV: the admin of Dinas Kesehatan checks a
// SIMPEG export first (nothing is written), then imports it.
func TestJourneyAgencyAdminImportsCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		password := h.User(t, "siti.admin@makassarkota.go.id", "Siti Rahmawati", policy.AgencyAdmin, "DINKES")
		raw, err := charmap.Windows1252.NewEncoder().String(simpegCSV)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "pegawai dinkes.csv")
		if err := os.WriteFile(file, []byte(raw), 0o644); err != nil {
			t.Fatal(err)
		}
		people := func() int {
			return count(t, d, `SELECT count(*) FROM employees WHERE agency_id = $1`, dinkes.ID)
		}
		ctx := browsertest.New(t)

		signIn(t, ctx, h, "/", "siti.admin@makassarkota.go.id", password)
		follow(t, ctx, "open the import from the home card", "#f-file", chromedp.Click(chromedp.CSS(`main a[href="/pegawai/impor"]`)))
		checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("f-dry_run").checked`))
		if err != nil || !checked {
			t.Errorf("dry run is not checked at first (%v)", err)
		}
		follow(t, ctx, "check the file", "#import-counts",
			chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}), chromedp.Click(submitButton))
		want := "Uji coba, tidak ada yang disimpan. 3 baris: 3 pegawai baru, 0 akan diperbarui, 0 tidak berubah"
		if got := texts(t, ctx, "dry run", "main .flash"); !slices.Equal(got, []string{want}) {
			t.Errorf("dry run says %q", got)
		}
		if n := people(); n != 1 {
			t.Fatalf("a dry run left %d people in Dinkes, want only the admin", n)
		}

		follow(t, ctx, "import the file", "#import-counts",
			chromedp.Click(chromedp.ID("f-dry_run")),
			chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}), chromedp.Click(submitButton))
		want = "3 baris diimpor: 3 pegawai baru, 0 diperbarui, 0 tidak berubah"
		if got := texts(t, ctx, "import", "main .flash"); !slices.Equal(got, []string{want}) {
			t.Errorf("import says %q", got)
		}
		rows, err := d.R.Query(`SELECT e.name, COALESCE(e.nip, ''), e.employment_type, COALESCE(b.name, '')
			FROM employees e LEFT JOIN employees b ON b.id = e.supervisor_id WHERE e.agency_id = $1 AND e.email <> $2 ORDER BY e.name`,
			dinkes.ID, "siti.admin@makassarkota.go.id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var name, nip, typ, boss string
			if err := rows.Scan(&name, &nip, &typ, &boss); err != nil {
				t.Fatal(err)
			}
			got = append(got, strings.Join([]string{name, nip, typ, boss}, "|"))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		wantRows := []string{"Budi Santoso||contract|", "Nur'aini|199001012015022002|pns|",
			"Ärni Dottoro'ta|199207172019031003|pppk|Nur'aini"}
		if !slices.Equal(got, wantRows) {
			t.Errorf("imported people:\n got %q\nwant %q", got, wantRows)
		}
	})
}

// phone is the viewport of a common phone, in CSS pixels.
const phoneWidth, phoneHeight = 390, 844

// navTarget is one link or button of the page header as a phone shows it.
type navTarget struct {
	Label string  `json:"label"`
	Left  float64 `json:"left"`
	Right float64 `json:"right"`
	H     float64 `json:"h"`
	Hit   bool    `json:"hit"` // a tap on its centre lands on it
}

// headerTargets scrolls to each header link and button and reports where it is.
const headerTargets = `[...document.querySelectorAll("header a, header button")].map(e => {
	e.scrollIntoView({block: "center", inline: "nearest"});
	const r = e.getBoundingClientRect();
	const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	return {label: e.innerText.trim(), left: r.left, right: r.right, h: r.height, hit: hit === e || e.contains(hit)};
})`

// checkPhone asserts the page fits the phone's width and every header
// target can be seen and tapped.
func checkPhone(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if width > phoneWidth+2 {
		browsertest.Screenshot(t, ctx, step+".png")
		t.Errorf("%s: the page is %vpx wide on a %dpx screen", step, width, phoneWidth)
	}
	targets, err := chromedp.Run(ctx, chromedp.Evaluate[[]navTarget](headerTargets))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	for _, n := range targets {
		if n.Left < 0 || n.Right > phoneWidth || n.H < 24 || !n.Hit {
			t.Errorf("%s: header target %q cannot be tapped: %+v", step, n.Label, n)
		}
	}
	do(t, ctx, step+": back to top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
}

// TestJourneyPhoneSignInAndDirectory: on a phone the sign-in, the main menu
// and the staff directory fit the screen and work.
func TestJourneyPhoneSignInAndDirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		employee(t, h, org.EmployeeInput{AgencyID: dinkes.ID, Name: "Nur'aini", BackTitle: "S.E.", NIP: "199001012015022002",
			EmploymentType: "pns", Email: "nuraini@makassarkota.go.id", Phone: "081234567890",
			UnitName: "Bidang Pelayanan Kesehatan dan Sumber Daya Kesehatan", PositionName: "Analis Kebijakan Ahli Muda"})
		password := h.User(t, "siti.admin@makassarkota.go.id", "Siti Rahmawati", policy.AgencyAdmin, "DINKES")
		ctx := browsertest.New(t)
		do(t, ctx, "phone screen", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch),
			chromedp.Navigate(h.URL+"/pegawai"), chromedp.WaitVisible(chromedp.ID("f-email")))
		checkPhone(t, ctx, "sign-in")

		follow(t, ctx, "sign in", "#sign-out",
			chromedp.SendKeys(chromedp.ID("f-email"), "siti.admin@makassarkota.go.id"),
			chromedp.SendKeys(chromedp.ID("f-password"), password),
			chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		if p := look(t, ctx, "directory"); p.heading != "Direktori pegawai" {
			t.Errorf("after sign-in: %+v", p)
		}
		checkPhone(t, ctx, "directory")
		links := texts(t, ctx, "menu", "header nav a")
		if want := []string{"Beranda", "OPD", "Pegawai", "Aplikasi", "Pengguna & peran", "Log audit"}; !slices.Equal(links, want) {
			t.Errorf("menu on a phone: %q, want %q", links, want)
		}

		follow(t, ctx, "search", `#f-q[value="aini"]`,
			chromedp.SendKeys(chromedp.ID("f-q"), "aini"), chromedp.Click(chromedp.CSS(`main form.filters button[type=submit]`)))
		checkPhone(t, ctx, "results")
		if rows := texts(t, ctx, "results", "main tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "Nur'aini, S.E.") ||
			!strings.Contains(rows[0], "199001012015022002") {
			t.Errorf("results on a phone: %q", rows)
		}
		// On a phone each cell is a line of its own, named by its data-label.
		layout, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.querySelector("main thead")).display,
			getComputedStyle(document.querySelector("main tbody td")).display,
			getComputedStyle(document.querySelector("main tbody td"), "::before").content]`))
		if err != nil || layout[0] != "none" || layout[1] != "block" || !strings.Contains(layout[2], "OPD") {
			t.Errorf("table layout on a phone: %q (%v)", layout, err)
		}
		follow(t, ctx, "tap Aplikasi", `main #f-status`, chromedp.Click(chromedp.CSS(`header nav a[href="/aplikasi"]`)))
		if p := look(t, ctx, "apps"); p.heading != "Katalog aplikasi" {
			t.Errorf("apps on a phone: %+v", p)
		}
		checkPhone(t, ctx, "apps")
	})
}
