package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

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
		browsertest.Follow(t, ctx, "open Pengguna & peran", `main a[href="/admin/pengguna/baru"]`,
			chromedp.Click(chromedp.CSS(`header nav a[href="/admin/pengguna"]`)))
		browsertest.Follow(t, ctx, "open the add form", "#f-role", chromedp.Click(chromedp.CSS(`main a[href="/admin/pengguna/baru"]`)))
		browsertest.Follow(t, ctx, "add the admin of Dinkes", "#f-password",
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
		browsertest.Follow(t, ctx, "open the account", "main dl", chromedp.Click(chromedp.CSS(`main a[href="/admin/pengguna/`+strconv.FormatInt(accountID, 10)+`"]`)))
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

		browsertest.Follow(t, ctx, "open the audit log", "#f-entity", chromedp.Click(chromedp.CSS(`header nav a[href="/admin/audit"]`)))
		id := strconv.FormatInt(accountID, 10)
		browsertest.Follow(t, ctx, "filter to the account", `#f-entity-id[value="`+id+`"]`,
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
		if want := []string{email + " masuk Akun #" + id, super + " memberi peran Akun #" + id,
			super + " membuat Akun #" + id}; !slices.Equal(actions, want) {
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
		browsertest.Follow(t, ctx, "open the import from the home card", "#f-file", chromedp.Click(chromedp.CSS(`main a[href="/pegawai/impor"]`)))
		checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("f-dry_run").checked`))
		if err != nil || !checked {
			t.Errorf("dry run is not checked at first (%v)", err)
		}
		browsertest.Follow(t, ctx, "check the file", "#import-counts",
			chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}), chromedp.Click(submitButton))
		want := "Uji coba, tidak ada yang disimpan. 3 baris: 3 pegawai baru, 0 akan diperbarui, 0 tidak berubah"
		if got := texts(t, ctx, "dry run", "main .flash"); !slices.Equal(got, []string{want}) {
			t.Errorf("dry run says %q", got)
		}
		if n := people(); n != 1 {
			t.Fatalf("a dry run left %d people in Dinkes, want only the admin", n)
		}

		browsertest.Follow(t, ctx, "import the file", "#import-counts",
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
