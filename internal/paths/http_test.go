package paths_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/paths"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func employeeID(t *testing.T, d *db.DB, email string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func activity(t *testing.T, d *db.DB, kind, title string, jp int) int64 {
	t.Helper()
	now := time.Now().UTC()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO activities (kind, title, jp, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, kind, title, jp, now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func finish(t *testing.T, d *db.DB, e ledger.Entry) {
	t.Helper()
	ctx := context.Background()
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return ledger.Record(ctx, tx, e) }); err != nil {
		t.Fatal(err)
	}
}

func TestAPathIsFollowedAssignedAndItsProgressReadFromTheLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "admin@bapenda.go.id", Name: "Admin Bapenda", Role: policy.AgencyAdmin, Agency: "BAPENDA"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
			servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
		)
		bimtek := activity(t, d, "bimtek", "Bimtek SIPD", 16)
		module := activity(t, d, "self_study", "Modul penganggaran", 4)
		trainer := h.Token(t, "pelatih@kominfo.go.id")
		nur, dottorota := employeeID(t, d, "nuraini@kominfo.go.id"), employeeID(t, d, "dottorota@bapenda.go.id")
		nurToken := h.Token(t, "nuraini@kominfo.go.id")

		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/paths", trainer,
			paths.Input{Title: " ", ActivityIDs: []int64{bimtek, bimtek}}, ""), http.StatusUnprocessableEntity, "title", "activity_ids")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/paths", trainer,
			paths.Input{Title: "Operator SIPD baru", ActivityIDs: []int64{999}}, ""), http.StatusUnprocessableEntity, "activity_ids")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/paths", nurToken, paths.Input{Title: "Jalur saya"}, ""), http.StatusForbidden)

		var open paths.Path
		r := h.Do(t, "POST", "/api/v1/paths", trainer, paths.Input{Title: "Operator SIPD baru", Open: true,
			Description: "Untuk operator SIPD yang **baru** ditunjuk.", ActivityIDs: []int64{bimtek, module}}, "")
		r.JSON(t, &open)
		if r.Status != http.StatusCreated || len(open.Steps) != 2 || open.Steps[0].ActivityID != bimtek {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		members := "/api/v1/paths/" + strconv.FormatInt(open.ID, 10) + "/members"

		// Nur'aini joins; the bimtek (recorded through its event) and the
		// module (recorded by activity) each count as a step done.
		if r := h.Do(t, "POST", members, nurToken, paths.MemberInput{EmployeeID: nur}, ""); r.Status != http.StatusCreated {
			t.Fatalf("join: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", members, nurToken, paths.MemberInput{EmployeeID: nur}, ""), http.StatusConflict)
		event := dbtest.Event(t, d, "Bimtek SIPD angkatan 1", 30, 16)
		if _, err := d.W.Exec(`UPDATE events SET activity_id = $1 WHERE id = $2`, bimtek, event); err != nil {
			t.Fatal(err)
		}
		enrolment := dbtest.Enrolment(t, d, event, nur, "completed")
		finish(t, d, ledger.Entry{EmployeeID: nur, Kind: "bimtek", Title: "Bimtek SIPD", JP: 16, EventID: event,
			SourceKind: ledger.SourceEnrolment, SourceID: enrolment, CompletedAt: time.Now()})
		var got paths.Path
		h.Do(t, "GET", "/api/v1/paths/"+strconv.FormatInt(open.ID, 10), nurToken, nil, "").JSON(t, &got)
		if got.Mine == nil || got.Mine.Done != 1 || !got.Steps[0].Done || got.Steps[1].Done {
			t.Fatalf("after the bimtek: %+v", got.Mine)
		}
		finish(t, d, ledger.Entry{EmployeeID: nur, Kind: "self_study", Title: "Modul penganggaran", JP: 4,
			ActivityID: module, SourceKind: ledger.SourceSelfStudy, SourceID: 77, CompletedAt: time.Now()})

		// Bapenda's admin assigns their own person from the page, not
		// another agency's.
		admin := h.SignIn(t, "admin@bapenda.go.id", pw["admin@bapenda.go.id"])
		page := "/pelatihan/jalur/" + strconv.FormatInt(open.ID, 10)
		admin.Get(page).Want(t, http.StatusOK, "page", "Tugaskan pegawai")
		admin.PostForm(page+"/peserta", url.Values{"person": {"tidak.ada@bapenda.go.id"}}).
			Want(t, http.StatusUnprocessableEntity, "unknown person", "tidak ada pegawai aktif")
		admin.PostForm(page+"/peserta", url.Values{"person": {"DOTTOROTA@bapenda.go.id"}}).Redirects(t, "assign", page)
		admin.PostForm(page+"/peserta", url.Values{"person": {"nuraini@kominfo.go.id"}}).
			Want(t, http.StatusForbidden, "another agency's person")
		var notes int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN accounts a ON a.id = n.account_id
			WHERE a.employee_id = $1 AND n.kind = 'paths.assigned'`, dottorota).Scan(&notes); err != nil || notes != 1 {
			t.Errorf("Dottoro'ta told %d times (%v), want once", notes, err)
		}
		dottoToken := h.Token(t, "dottorota@bapenda.go.id")
		servertest.Problem(t, h.Do(t, "DELETE", members+"/"+strconv.FormatInt(dottorota, 10), dottoToken, nil, ""),
			http.StatusConflict)

		// Managing the path shows no one more: the trainer sees the
		// members of their own agency; the agency admin their own.
		var list struct{ Items []paths.Progress }
		h.Do(t, "GET", members, trainer, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "Nur'aini" || list.Items[0].Done != 2 || list.Items[0].Percent != 100 {
			t.Errorf("members for the trainer: %+v", list.Items)
		}
		h.Do(t, "GET", members, h.Token(t, "admin@bapenda.go.id"), nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].EmployeeID != dottorota || list.Items[0].Source != paths.SourceAssigned {
			t.Errorf("members for Bapenda's admin: %+v", list.Items)
		}

		// A patch changes what it names and leaves the rest.
		servertest.Problem(t, h.Do(t, "PATCH", "/api/v1/paths/"+strconv.FormatInt(open.ID, 10), nurToken,
			map[string]any{"title": "Milik saya"}, "application/merge-patch+json"), http.StatusForbidden)
		servertest.ProblemFields(t, h.Do(t, "PATCH", "/api/v1/paths/"+strconv.FormatInt(open.ID, 10), trainer,
			map[string]any{"title": 5, "owner": "x"}, "application/merge-patch+json"), http.StatusUnprocessableEntity, "owner")
		var patched paths.Path
		r = h.Do(t, "PATCH", "/api/v1/paths/"+strconv.FormatInt(open.ID, 10), trainer,
			map[string]any{"title": "Operator SIPD baru (2026)"}, "application/merge-patch+json")
		r.JSON(t, &patched)
		if r.Status != http.StatusOK || patched.Title != "Operator SIPD baru (2026)" || len(patched.Steps) != 2 || !patched.Open {
			t.Errorf("patch: %d %s", r.Status, r.Body)
		}

		// The trainer reorders the steps on the page; the catalogue shows
		// Nur'aini's progress.
		tp := h.SignIn(t, "pelatih@kominfo.go.id", pw["pelatih@kominfo.go.id"])
		tp.Get(page).Want(t, http.StatusOK, "path for its trainer", "Ubah jalur belajar", "Turunkan Modul penganggaran")
		tp.PostForm(page+"/langkah/"+strconv.FormatInt(module, 10)+"/naik", nil).Redirects(t, "move", page)
		h.Do(t, "GET", "/api/v1/paths/"+strconv.FormatInt(open.ID, 10), nurToken, nil, "").JSON(t, &got)
		if got.Steps[0].ActivityID != module {
			t.Errorf("after moving the module up: %+v", got.Steps)
		}
		nurPage := h.SignIn(t, "nuraini@kominfo.go.id", pw["nuraini@kominfo.go.id"])
		nurPage.Get("/pelatihan/jalur?saya=1").Want(t, http.StatusOK, "mine", "Operator SIPD baru", "2 dari 2 langkah selesai")
		nurPage.Get(page).Want(t, http.StatusOK, "path", "<strong>baru</strong>", "Berhenti mengikuti")
	})
}

func TestAnAgencyAdminMakesAPathForTheirAgencyFromTheForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "admin@bapenda.go.id", Name: "Admin Bapenda", Role: policy.AgencyAdmin, Agency: "BAPENDA"},
			servertest.Person{Email: "staf@bapenda.go.id", Name: "Staf Bapenda", Role: policy.Employee, Agency: "BAPENDA"},
		)
		ojt := activity(t, d, "ojt", "Magang di loket pajak daerah", 6)
		admin := h.SignIn(t, "admin@bapenda.go.id", pw["admin@bapenda.go.id"])
		admin.Get("/pelatihan/jalur/baru").Want(t, http.StatusOK, "form", "Badan Pendapatan Daerah")
		admin.PostForm("/pelatihan/jalur/baru", url.Values{"title": {""}, "agency_id": {"1"}}).
			Want(t, http.StatusUnprocessableEntity, "no title", "wajib diisi")
		created := admin.PostForm("/pelatihan/jalur/baru", url.Values{"title": {"Petugas loket pajak"}, "agency_id": {"1"}, "open": {"1"}})
		if created.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %.300s", created.Status, created.Body)
		}
		admin.Get(created.Location).Want(t, http.StatusOK, "new path", "Petugas loket pajak", "Badan Pendapatan Daerah", "Magang di loket pajak daerah")
		admin.PostForm(created.Location+"/langkah", url.Values{"activity_id": {strconv.FormatInt(ojt, 10)}}).Redirects(t, "add step", created.Location)
		admin.PostForm(created.Location+"/langkah", url.Values{"activity_id": {strconv.FormatInt(ojt, 10)}}).
			Want(t, http.StatusUnprocessableEntity, "the same step twice", "hanya boleh muncul sekali")
		admin.Get(created.Location+"/ubah").Want(t, http.StatusOK, "edit form", "Petugas loket pajak")
		admin.PostForm(created.Location+"/ubah", url.Values{"title": {"Petugas loket pajak daerah"}}).Redirects(t, "edit", created.Location)
		var p paths.Path
		h.Do(t, "GET", "/api/v1/paths/"+created.Location[len("/pelatihan/jalur/"):], h.Token(t, "staf@bapenda.go.id"), nil, "").JSON(t, &p)
		if p.Title != "Petugas loket pajak daerah" || p.Open || len(p.Steps) != 1 || p.AgencyName != "Badan Pendapatan Daerah" {
			t.Errorf("after editing: %+v", p)
		}
		staff := h.SignIn(t, "staf@bapenda.go.id", pw["staf@bapenda.go.id"])
		staff.Get("/pelatihan/jalur/baru").Want(t, http.StatusForbidden, "a plain employee's form")
		staff.Get(created.Location).Lacks(t, "closed path", "Ikuti jalur ini", "Tambahkan langkah")
		staff.PostForm(created.Location+"/gabung", nil).Want(t, http.StatusConflict, "join a closed path", "tidak terbuka")
	})
}

func TestPathManagersAssignOnlyWhomTheyMayAndPagesSkipHiddenPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		bapenda := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "zulaikha@kominfo.go.id", Name: "Zulaikha", Role: policy.Employee, Agency: "DISKOMINFO"},
			servertest.Person{Email: "admin@bapenda.go.id", Name: "Admin Bapenda", Role: policy.AgencyAdmin, Agency: "BAPENDA"},
			servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
		)
		trainer := h.Token(t, "pelatih@kominfo.go.id")
		var city paths.Path
		if r := h.Do(t, "POST", "/api/v1/paths", trainer, paths.Input{Title: "Literasi data", Open: true}, ""); r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &city)
		}
		id := strconv.FormatInt(city.ID, 10)
		members := "/api/v1/paths/" + id + "/members"
		dottorota, zulaikha := employeeID(t, d, "dottorota@bapenda.go.id"), employeeID(t, d, "zulaikha@kominfo.go.id")

		// A trainer managing a city path may not assign another agency's person.
		servertest.Problem(t, h.Do(t, "POST", members, trainer, paths.MemberInput{EmployeeID: dottorota}, ""), http.StatusForbidden)
		if r := h.Do(t, "POST", members, h.Token(t, "zulaikha@kominfo.go.id"), paths.MemberInput{EmployeeID: zulaikha}, ""); r.Status != http.StatusCreated {
			t.Fatalf("join: %d %s", r.Status, r.Body)
		}

		// 51 people of Bapenda, before Zulaikha by name, none visible to the
		// trainer; the last reports to Dottoro'ta.
		var report int64
		for i := 0; i < 51; i++ {
			e, _ := dbtest.Person(t, d, bapenda.ID, "Anggota "+strconv.Itoa(100+i), "anggota"+strconv.Itoa(i)+"@bapenda.go.id")
			if _, err := d.W.Exec(`INSERT INTO learning_path_members (path_id, employee_id, source, created_at)
				VALUES ($1, $2, 'assigned', $3)`, city.ID, e, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			report = e
		}
		if _, err := d.W.Exec(`UPDATE employees SET supervisor_id = $1 WHERE id = $2`, dottorota, report); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []paths.Progress
			Next  string `json:"next"`
		}
		r := h.Do(t, "GET", members+"?limit=1", trainer, nil, "")
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 1 || list.Items[0].EmployeeID != zulaikha || list.Next != "" {
			t.Fatalf("a page after 51 hidden people: %d %s", r.Status, r.Body)
		}
		// An employee sees, of the 52, their direct report alone.
		r = h.Do(t, "GET", members, h.Token(t, "dottorota@bapenda.go.id"), nil, "")
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 1 || list.Items[0].EmployeeID != report {
			t.Fatalf("a supervisor's list: %d %s", r.Status, r.Body)
		}
		tp := h.SignIn(t, "pelatih@kominfo.go.id", pw["pelatih@kominfo.go.id"])
		page := "/pelatihan/jalur/" + id
		tp.Get(page+"?limit=1").Want(t, http.StatusOK, "the page", "Zulaikha")
		tp.Get(page).Lacks(t, "no end-assignment nor assign form for the trainer", "Akhiri penugasan", "Tugaskan pegawai")
		h.SignIn(t, "admin@bapenda.go.id", pw["admin@bapenda.go.id"]).Get(page).Want(t, http.StatusOK, "the admin's page",
			`aria-label="Akhiri penugasan Anggota 100"`, "Tugaskan pegawai")
	})
}
