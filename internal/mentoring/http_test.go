package mentoring_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/mentoring"
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

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestATrainerPlacedInAnAgencyMentorsAndTheSessionsReachTheLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		bapenda := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "pelatih@bapenda.go.id", Name: "Pelatih Bapenda", Role: policy.Trainer, Agency: "BAPENDA"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
			servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
		)
		dbtest.Competency(t, d, "keamanan-informasi", "Keamanan informasi")
		admin := h.Token(t, "admin@kominfo.go.id")
		mentor, otherMentor := h.AccountID(t, "pelatih@kominfo.go.id"), h.AccountID(t, "pelatih@bapenda.go.id")
		nur, dottorota := employeeID(t, d, "nuraini@kominfo.go.id"), employeeID(t, d, "dottorota@bapenda.go.id")

		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/mentoring", admin, mentoring.AssignInput{AgencyID: kominfo.ID,
			MentorAccountID: otherMentor, EmployeeID: dottorota}, ""), http.StatusUnprocessableEntity, "mentor_account_id", "employee_id")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/mentoring", admin, mentoring.AssignInput{AgencyID: bapenda.ID,
			MentorAccountID: otherMentor, EmployeeID: dottorota}, ""), http.StatusForbidden)
		var a mentoring.Assignment
		in := mentoring.AssignInput{AgencyID: kominfo.ID, MentorAccountID: mentor, EmployeeID: nur, Goal: "Mandiri mengelola akun webmail OPD"}
		r := h.Do(t, "POST", "/api/v1/mentoring", admin, in, "")
		r.JSON(t, &a)
		if r.Status != http.StatusCreated || a.MenteeName != "Nur'aini" || a.MentorName != "Pelatih Kominfo" {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/mentoring", admin, in, ""), http.StatusConflict)
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE kind LIKE 'mentoring.%'`); n != 2 {
			t.Errorf("%d notifications, want the trainer's and the mentee's", n)
		}

		// The trainer logs a session from the page; bad input is told by field.
		page := "/pendampingan/" + strconv.FormatInt(a.ID, 10)
		tp := h.SignIn(t, "pelatih@kominfo.go.id", pw["pelatih@kominfo.go.id"])
		tp.Get(page).Want(t, http.StatusOK, "assignment", "Catat sesi", "Mandiri mengelola akun webmail OPD")
		today := time.Now().In(time.FixedZone("WITA", 8*3600)).Format(time.DateOnly)
		tp.PostForm(page+"/sesi", url.Values{"date": {"2999-01-01"}, "time": {"09:00"}, "jp": {"9"}, "topic": {""},
			"level": {"2"}}).Want(t, http.StatusUnprocessableEntity, "bad session", "paling banyak 8 JP", "tidak boleh di masa depan")
		tp.PostForm(page+"/sesi", url.Values{"date": {today}, "time": {"00:00"}, "jp": {"2"}, "topic": {"Kata sandi & phishing"},
			"notes": {"Nur'aini sudah mengaktifkan verifikasi dua langkah."}, "competency_code": {"keamanan-informasi"},
			"level": {"2"}}).Redirects(t, "log", page)
		if jp := count(t, d, `SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE employee_id = $1
			AND source_kind = 'mentoring' AND kind = 'mentoring'`, nur); jp != 2 {
			t.Errorf("ledger holds %d JP of mentoring, want 2", jp)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE employee_id = $1 AND source = 'mentoring'
			AND level = 2 AND assessor_account_id = $2`, nur, mentor); n != 1 {
			t.Errorf("%d mentoring assessments, want 1", n)
		}

		// Another agency's trainer may not log; the mentee reads the
		// sessions, someone of another agency does not see them at all.
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/mentoring/"+strconv.FormatInt(a.ID, 10)+"/sessions",
			h.Token(t, "pelatih@bapenda.go.id"), mentoring.SessionInput{HeldAt: time.Now(), JP: 1, Topic: "x"}, ""), http.StatusForbidden)
		var seen mentoring.Assignment
		r = h.Do(t, "GET", "/api/v1/mentoring/"+strconv.FormatInt(a.ID, 10), h.Token(t, "nuraini@kominfo.go.id"), nil, "")
		r.JSON(t, &seen)
		if r.Status != http.StatusOK || len(seen.Sessions) != 1 || seen.JP != 2 || seen.Sessions[0].LevelSeen() != 2 {
			t.Errorf("the mentee's view: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/mentoring/"+strconv.FormatInt(a.ID, 10),
			h.Token(t, "dottorota@bapenda.go.id"), nil, ""), http.StatusNotFound)

		h.SignIn(t, "nuraini@kominfo.go.id", pw["nuraini@kominfo.go.id"]).Get("/pendampingan").
			Want(t, http.StatusOK, "the mentee's list", "Didampingi Pelatih Kominfo", "1 sesi · 2 JP")

		// A session logged by mistake goes, and its JP with it.
		tp.Get(page)
		tp.PostForm(page+"/sesi/"+strconv.FormatInt(seen.Sessions[0].ID, 10)+"/hapus", nil).Redirects(t, "delete", page)
		if n := count(t, d, `SELECT COUNT(*) FROM learning_records WHERE employee_id = $1`, nur); n != 0 {
			t.Errorf("%d records after deleting the session", n)
		}
		// The level it showed stays in her record but counts no longer.
		if n := count(t, d, `SELECT COUNT(*) FROM competency_assessments WHERE employee_id = $1 AND source = 'mentoring'
			AND expires_at <= $2`, nur, time.Now().UTC()); n != 1 {
			t.Errorf("%d lapsed mentoring assessments after deleting the session, want 1", n)
		}
		profile, err := competency.NewService(d).ProfileOf(context.Background(), policy.SystemActor("test"), nur)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range profile.Items {
			if it.Code == "keamanan-informasi" && it.Level != 0 {
				t.Errorf("level %d of %s still counts after deleting the only session that showed it", it.Level, it.Code)
			}
		}

		// The admin sees the agency's mentoring and ends it; no more sessions.
		ap := h.SignIn(t, "admin@kominfo.go.id", pw["admin@kominfo.go.id"])
		ap.Get("/pendampingan").Want(t, http.StatusOK, "agency", "Pendampingan di Dinas Komunikasi dan Informatika", "Nur&#39;aini", "Tugaskan pendampingan")
		ap.PostForm(page+"/selesai", nil).Redirects(t, "end", page)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/mentoring/"+strconv.FormatInt(a.ID, 10)+"/sessions",
			h.Token(t, "pelatih@kominfo.go.id"), mentoring.SessionInput{HeldAt: time.Now(), JP: 1, Topic: "Lanjutan"}, ""), http.StatusConflict)
		// An outsourced trainer, on a vendor's payroll, placed in the agency
		// by a trainer grant there, mentors its people too.
		vendor := dbtest.Agency(t, d, "VENDOR", "PT Mitra Digital Sulawesi", "other")
		outsourced, outsourcedAccount := dbtest.Person(t, d, vendor, "Andi Tenri Ajeng", "andi@mitradigital.co.id")
		if _, err := d.W.Exec(`UPDATE employees SET employment_type = 'outsourced' WHERE id = $1`, outsourced); err != nil {
			t.Fatal(err)
		}
		dbtest.Grant(t, d, outsourcedAccount, "trainer", kominfo.ID)
		if r := h.Do(t, "POST", "/api/v1/mentoring", admin, mentoring.AssignInput{AgencyID: kominfo.ID,
			MentorAccountID: outsourcedAccount, EmployeeID: nur}, ""); r.Status != http.StatusCreated {
			t.Errorf("an outsourced trainer: %d %s", r.Status, r.Body)
		}
		var list struct{ Items []mentoring.Assignment }
		h.Do(t, "GET", "/api/v1/mentoring?active=true", h.Token(t, "pelatih@kominfo.go.id"), nil, "").JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("active mentoring after the end: %+v", list.Items)
		}
	})
}

func TestMentoringRightsEndWithTheTrainerRoleAndFollowTheMentee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		bapenda := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		h.Users(t,
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
			servertest.Person{Email: "admin@bapenda.go.id", Name: "Admin Bapenda", Role: policy.AgencyAdmin, Agency: "BAPENDA"},
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
		)
		admin, trainer := h.Token(t, "admin@kominfo.go.id"), h.Token(t, "pelatih@kominfo.go.id")
		mentor, nur := h.AccountID(t, "pelatih@kominfo.go.id"), employeeID(t, d, "nuraini@kominfo.go.id")
		var a mentoring.Assignment
		r := h.Do(t, "POST", "/api/v1/mentoring", admin, mentoring.AssignInput{AgencyID: kominfo.ID, MentorAccountID: mentor,
			EmployeeID: nur, Goal: "Mengelola situs OPD"}, "")
		r.JSON(t, &a)
		if r.Status != http.StatusCreated {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		one := "/api/v1/mentoring/" + strconv.FormatInt(a.ID, 10)
		held := time.Now().Add(-time.Hour).Truncate(time.Minute)
		session := mentoring.SessionInput{HeldAt: held, JP: 2, Topic: "Menyunting halaman"}
		if r := h.Do(t, "POST", one+"/sessions", trainer, session, ""); r.Status != http.StatusCreated {
			t.Fatalf("log: %d %s", r.Status, r.Body)
		}
		// The same session submitted twice is recorded once.
		servertest.Problem(t, h.Do(t, "POST", one+"/sessions", trainer, session, ""), http.StatusConflict)
		if n := count(t, d, `SELECT COUNT(*) FROM learning_records WHERE employee_id = $1`, nur); n != 1 {
			t.Errorf("%d records after a double submit, want 1", n)
		}

		// The trainer role taken away, the trainer logs no more.
		system := policy.SystemActor("test")
		if err := h.Svc.Auth.RevokeRole(context.Background(), system, mentor, policy.Grant{Role: policy.Trainer, AgencyID: kominfo.ID}); err != nil {
			t.Fatal(err)
		}
		servertest.Problem(t, h.Do(t, "POST", one+"/sessions", trainer,
			mentoring.SessionInput{HeldAt: held.Add(-time.Hour), JP: 1, Topic: "Lanjutan"}, ""), http.StatusForbidden)
		if err := h.Svc.Auth.GrantRole(context.Background(), system, mentor, policy.Grant{Role: policy.Trainer, AgencyID: kominfo.ID}); err != nil {
			t.Fatal(err)
		}

		// Nur'aini moves to Bapenda: the old agency's trainer and admin lose
		// her; Bapenda's admin reads and ends the assignment.
		if _, err := d.W.Exec(`UPDATE employees SET agency_id = $1 WHERE id = $2`, bapenda.ID, nur); err != nil {
			t.Fatal(err)
		}
		servertest.Problem(t, h.Do(t, "POST", one+"/sessions", trainer,
			mentoring.SessionInput{HeldAt: held.Add(-2 * time.Hour), JP: 1, Topic: "Setelah pindah"}, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "GET", one, admin, nil, ""), http.StatusNotFound)
		other := h.Token(t, "admin@bapenda.go.id")
		if r := h.Do(t, "GET", one, other, nil, ""); r.Status != http.StatusOK {
			t.Errorf("the new agency's admin: %d %s", r.Status, r.Body)
		}
		var list struct{ Items []mentoring.Assignment }
		h.Do(t, "GET", "/api/v1/mentoring?agency_id="+strconv.FormatInt(bapenda.ID, 10), other, nil, "").JSON(t, &list)
		if len(list.Items) != 1 {
			t.Errorf("the new agency's list: %+v", list.Items)
		}

		// Ended from two tabs at once: once, the other told it has ended.
		statuses := make([]int, 4)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() { statuses[i] = h.Do(t, "POST", one+"/end", other, nil, "").Status })
		}
		wg.Wait()
		ok := 0
		for _, st := range statuses {
			switch st {
			case http.StatusOK:
				ok++
			case http.StatusConflict:
			default:
				t.Errorf("ending at once: %d", st)
			}
		}
		if ok != 1 {
			t.Errorf("ended %d times, want once", ok)
		}
	})
}

func TestTheAssignFormAsksForATrainer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
		)
		ap := h.SignIn(t, "admin@kominfo.go.id", pw["admin@kominfo.go.id"])
		ap.Get("/pendampingan").Want(t, http.StatusOK, "the form", `<option value="">Pilih pelatih</option>`)
		ap.PostForm("/pendampingan", url.Values{"agency_id": {strconv.FormatInt(kominfo.ID, 10)}, "mentor_account_id": {""},
			"employee_id": {strconv.FormatInt(employeeID(t, d, "nuraini@kominfo.go.id"), 10)}}).
			Want(t, http.StatusUnprocessableEntity, "no trainer chosen", "wajib diisi")
	})
}
