package org_test

import (
	"context"
	"html"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestAgenciesPageInIndonesianThenEnglish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.signIn(t, "guru@makassarkota.go.id")
		p := b.Get("/opd")
		p.Want(t, 200, "agencies", "<title>Organisasi Perangkat Daerah", "Daftar OPD", "Dinas Kesehatan",
			"Dinas Pendidikan", html.EscapeString("UPT Puskesmas Dottoro'ta"), ">UPT<", ">Dinas<")
		p.Lacks(t, "agencies for an employee", `href="/opd/baru"`)
		p = b.Get("/opd?type=upt")
		p.Want(t, 200, "upt filter", html.EscapeString("UPT Puskesmas Dottoro'ta"), `<a href="/opd/`+id(c.dinkes.ID)+`">Dinas Kesehatan</a>`)
		p.Lacks(t, "upt filter", "Dinas Pendidikan")
		p = b.Get("/opd?q=pendidikan")
		p.Want(t, 200, "search", "Dinas Pendidikan")
		p.Lacks(t, "search", "Dinas Kesehatan")
		b.Get("/opd?type=ministry").Want(t, 422, "unknown type")

		p = b.Get("/opd/" + id(c.dinkes.ID))
		p.Want(t, 200, "agency page", "Dinas Kesehatan", html.EscapeString("UPT Puskesmas Dottoro'ta"),
			"Bidang Pelayanan", "/pegawai?agency_id="+id(c.dinkes.ID))
		p.Lacks(t, "agency page for an employee", "/ubah")

		if p = b.Get("/bahasa/en?next=/opd"); p.Status != 303 {
			t.Fatalf("language switch: %d", p.Status)
		}
		b.Get("/opd").Want(t, 200, "agencies in English", "<h1>Agencies</h1>", "Technical unit (UPT)")
	})
}

func TestSuperadminCreatesAndEditsAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		admin := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		admin.Get("/opd/baru").Want(t, 403, "agency form for an agency admin")

		b := c.signIn(t, "super@makassarkota.go.id")
		p := b.Submit("/opd/baru", url.Values{"code": {"UPT-PKM-2"}, "name": {"UPT Puskesmas Kassi-Kassi"}, "type": {"upt"}})
		p.Want(t, 422, "upt without parent", "jenis ini harus berada di bawah", `value="UPT Puskesmas Kassi-Kassi"`)
		p = b.Submit("/opd/baru", url.Values{"code": {"UPT-PKM-2"}, "name": {"UPT Puskesmas Kassi-Kassi"}, "type": {"upt"},
			"parent_id": {id(c.dinkes.ID)}})
		if p.Status != 303 {
			t.Fatalf("create: %d %.300s", p.Status, p.Body)
		}
		b.Get(p.Location).Want(t, 200, "new agency", "UPT Puskesmas Kassi-Kassi", "OPD ditambahkan.")

		p = b.Submit("/opd/"+id(c.disdik.ID)+"/ubah", url.Values{"code": {"DISDIK"}, "name": {"Dinas Pendidikan Kota Makassar"},
			"type": {"dinas"}})
		if p.Status != 303 {
			t.Fatalf("edit: %d %.300s", p.Status, p.Body)
		}
		b.Get("/opd/"+id(c.disdik.ID)).Want(t, 200, "edited agency", "Dinas Pendidikan Kota Makassar")
	})
}

func TestDirectorySearchAndAgencyFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.signIn(t, "guru@makassarkota.go.id")
		p := b.Get("/pegawai?q=nur")
		p.Want(t, 200, "search", html.EscapeString("Nur'aini"), "Dinas Kesehatan")
		p.Lacks(t, "search", html.EscapeString("Ärni Dottoro'ta"))
		p = b.Get("/pegawai?agency_id=" + id(c.disdik.ID))
		p.Want(t, 200, "agency filter", html.EscapeString("Ärni Dottoro'ta"), "Guru Disdik")
		p.Lacks(t, "agency filter", html.EscapeString("Nur'aini"))
		b.Get("/pegawai?agency_id=abc").Want(t, 422, "bad agency id")
	})
}

func TestNIPsShowOnlyToThoseAllowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		guru := c.signIn(t, "guru@makassarkota.go.id")
		p := guru.Get("/pegawai/" + id(c.nuraini.ID))
		p.Want(t, 200, "another person", html.EscapeString("Nur'aini"), "UU 27/2022")
		p.Lacks(t, "another person", nurainiNIP, "nuraini@makassarkota.go.id", "23 Apr 1991")
		guru.Get("/pegawai").Lacks(t, "directory for an employee", nurainiNIP)
		guru.Get("/pegawai?q="+nurainiNIP[:10]).Lacks(t, "NIP search for an employee", html.EscapeString("Nur'aini"))
		guru.Get("/pegawai/"+id(c.arni.ID)).Want(t, 200, "a colleague of the same agency")

		admin := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		p = admin.Get("/pegawai/" + id(c.nuraini.ID))
		p.Want(t, 200, "own agency's person", nurainiNIP, "nuraini@makassarkota.go.id", "23 Apr 1991", "Perempuan",
			"/pegawai/"+id(c.nuraini.ID)+"/nonaktif", "/pegawai/"+id(c.nuraini.ID)+"/mutasi", "Riwayat mutasi")
		admin.Get("/pegawai?agency_id="+id(c.dinkes.ID)).Want(t, 200, "own agency's list", nurainiNIP)
		p = admin.Get("/pegawai/" + id(c.arni.ID))
		p.Lacks(t, "another agency's person", arniNIP, "/ubah", "Riwayat mutasi")
	})
}

func TestCreatePersonByForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		b.Get("/pegawai/baru").Want(t, 200, "form", `<input type="hidden" name="agency_id" value="`+id(c.dinkes.ID)+`">`)
		form := url.Values{"agency_id": {id(c.dinkes.ID)}, "name": {"Andi Baso"}, "back_title": {"S.Kom., M.T."},
			"employment_type": {"pns"}, "nip": {"19850315"}, "email": {"andi.baso@makassarkota.go.id"}}
		p := b.Submit("/pegawai/baru", form)
		p.Want(t, 422, "malformed NIP", "NIP harus 18 digit", `aria-invalid="true"`, `id="e-nip"`, `value="Andi Baso"`)
		form.Set("nip", "198503152010011001")
		p = b.Submit("/pegawai/baru", form)
		if p.Status != 303 {
			t.Fatalf("create: %d %.300s", p.Status, p.Body)
		}
		b.Get(p.Location).Want(t, 200, "new person", "Andi Baso, S.Kom., M.T.", "198503152010011001", "Pegawai ditambahkan.")

		form.Set("agency_id", id(c.disdik.ID))
		form.Set("nip", "198503152010011002")
		form.Set("email", "andi2@makassarkota.go.id")
		b.Submit("/pegawai/baru", form).Want(t, 403, "person of another agency")
	})
}

func TestEditOfAnotherAgencysPersonIsForbidden(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		path := "/pegawai/" + id(c.nuraini.ID) + "/ubah"
		p := b.Submit(path, url.Values{"name": {"Nur'aini Rahman"}, "employment_type": {"pns"}, "nip": {nurainiNIP},
			"email": {"nuraini@makassarkota.go.id"}})
		if p.Status != 303 {
			t.Fatalf("edit own agency's person: %d %.300s", p.Status, p.Body)
		}
		b.Get("/pegawai/"+id(c.nuraini.ID)).Want(t, 200, "edited", html.EscapeString("Nur'aini Rahman"), nurainiNIP)

		b.Get("/pegawai/"+id(c.arni.ID)+"/ubah").Want(t, 403, "edit form of a Disdik person")
		token := servertest.CSRF(b.Get("/pegawai").Body)
		form := url.Values{"csrf": {token}, "name": {"Diganti"}, "employment_type": {"pns"}, "nip": {arniNIP}}
		b.PostForm("/pegawai/"+id(c.arni.ID)+"/ubah", form).Want(t, 403, "edit of a Disdik person")
		e, err := c.h.Svc.Org.GetEmployee(context.Background(), policy.SystemActor("test"), c.arni.ID)
		if err != nil || e.Name != "Ärni Dottoro'ta" {
			t.Errorf("Disdik person after the refused edit: %q, %v", e.Name, err)
		}
	})
}

func TestDeactivateByPageEndsTheirSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		staff := c.signIn(t, "staf.dinkes@makassarkota.go.id")
		staff.Get("/pegawai").Want(t, 200, "staff before")
		admin := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		path := "/pegawai/" + id(c.staff.ID) + "/nonaktif"
		admin.Get(path).Want(t, 200, "form", "mengakhiri semua sesi", "Mengundurkan diri", "Kontrak berakhir")
		admin.Submit(path, url.Values{"reason": {"fired"}}).Want(t, 422, "unknown reason", `id="e-reason"`)
		admin.Submit(path, url.Values{"reason": {"resigned"}, "ended_on": {"31/12/2024"}}).Want(t, 422, "bad date", `id="e-ended_on"`)
		p := admin.Submit(path, url.Values{"reason": {"resigned"}})
		if p.Status != 303 {
			t.Fatalf("deactivate: %d %.300s", p.Status, p.Body)
		}
		admin.Get(p.Location).Want(t, 200, "deactivated", "Tidak aktif", "Mengundurkan diri")
		if p = staff.Get("/pegawai"); p.Status != 303 || p.Location != "/masuk?next=%2Fpegawai" {
			t.Errorf("staff after deactivation: %d %s", p.Status, p.Location)
		}
		admin.Get(path).Want(t, 409, "deactivate twice")
	})
}

func TestTransferByPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		path := "/pegawai/" + id(c.nuraini.ID) + "/mutasi"
		b.Submit(path, url.Values{}).Want(t, 422, "no target", `id="e-to_agency_id"`)
		p := b.Submit(path, url.Values{"to_agency_id": {id(c.disdik.ID)}, "unit_name": {"Bidang SD"}, "decree": {"800/123/BKPSDM"}})
		if p.Status != 303 {
			t.Fatalf("transfer: %d %.300s", p.Status, p.Body)
		}
		super := c.signIn(t, "super@makassarkota.go.id")
		super.Get(p.Location).Want(t, 200, "after transfer", "Dinas Pendidikan", "Bidang SD", "800/123/BKPSDM")
		b.Get(path).Want(t, 403, "transfer form of a person now in Disdik")
	})
}

func TestImportPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		people := func() int {
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM employees`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := people()
		c.signIn(t, "guru@makassarkota.go.id").Get("/pegawai/impor").Want(t, 403, "import for an employee")
		b := c.signIn(t, "admin.dinkes@makassarkota.go.id")
		b.Get("/pegawai/impor").Want(t, 200, "form", "Periksa saja", `name="dry_run" value="1" checked`,
			"1,98503E", `accept=".csv,.xlsx`, "Dinas Kesehatan")

		upload := func(file string, fields url.Values) servertest.Page {
			return b.Upload("/pegawai/impor", fields, "file", file)
		}
		p := upload("testdata/simpeg_id.csv", url.Values{"dry_run": {"1"}, "agency_id": {id(c.dinkes.ID)}})
		p.Want(t, 200, "dry run", "Uji coba, tidak ada yang disimpan. 4 baris: 4 pegawai baru")
		if n := people(); n != before {
			t.Errorf("dry run wrote: %d people, had %d", n, before)
		}
		p = upload("testdata/simpeg_bad_row.csv", url.Values{"dry_run": {"1"}, "agency_id": {id(c.dinkes.ID)}})
		p.Want(t, 422, "bad file", `id="import-errors"`, "<td data-label=\"Baris\">3</td>", "alamat email tidak valid",
			"tidak ada data yang diimpor")
		p = upload("testdata/simpeg_id.csv", url.Values{"agency_id": {id(c.disdik.ID)}})
		p.Want(t, 403, "import into another agency")
		p = upload("testdata/simpeg_id.csv", url.Values{"agency_id": {id(c.dinkes.ID)}})
		p.Want(t, 200, "import", "4 baris diimpor: 4 pegawai baru")
		if n := people(); n != before+4 {
			t.Errorf("import: %d people, want %d", n, before+4)
		}
	})
}
