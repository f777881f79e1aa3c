package certificate_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

// world is a finished bimtek of the city's Kominfo with two people who
// completed it, one still enrolled, a trainer and competencies.
type world struct {
	d                          *db.DB
	kominfo, dinkes            int64
	event                      int64
	trainer, admin, outsider   *policy.Actor
	otherAdmin, boss, expert   *policy.Actor
	nuraini, andi, waiting     int64 // employees
	nurainiActor, andiActor    *policy.Actor
	nurainiEnrol, waitingEnrol int64
	security, webmail          int64 // competencies
}

func setup(t *testing.T, d *db.DB) world {
	t.Helper()
	w := world{d: d}
	w.kominfo = dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	w.dinkes = dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
	person := func(agency int64, name, email string, roles ...policy.Grant) (int64, *policy.Actor) {
		emp, acc := dbtest.Person(t, d, agency, name, email)
		for _, g := range roles {
			dbtest.Grant(t, d, acc, string(g.Role), g.AgencyID)
		}
		return emp, &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name, Grants: roles}
	}
	var bossID int64
	bossID, w.boss = person(w.dinkes, "Hj. Andi Bau", "bau@makassarkota.go.id")
	_, w.trainer = person(w.kominfo, "Rahmat Trainer", "rahmat@makassarkota.go.id", policy.Grant{Role: policy.Trainer, AgencyID: w.kominfo})
	_, w.admin = person(w.kominfo, "Admin Kominfo", "admin@makassarkota.go.id", policy.Grant{Role: policy.AgencyAdmin, AgencyID: w.kominfo})
	_, w.otherAdmin = person(w.dinkes, "Admin Dinkes", "admin.dinkes@makassarkota.go.id", policy.Grant{Role: policy.AgencyAdmin, AgencyID: w.dinkes})
	_, w.outsider = person(w.kominfo, "Orang Lain", "lain@makassarkota.go.id", policy.Grant{Role: policy.Trainer, AgencyID: w.kominfo})
	_, w.expert = person(w.kominfo, "Tim Ahli", "ahli@makassarkota.go.id", policy.Grant{Role: policy.Expert})
	w.nuraini, w.nurainiActor = person(w.dinkes, "Nur'aini", "Nuraini@MakassarKota.go.id")
	w.andi, w.andiActor = person(w.dinkes, "Andi Dottoro'ta", "")
	w.waiting, _ = person(w.dinkes, "Masih Menunggu", "tunggu@makassarkota.go.id")
	exec(t, d, `UPDATE employees SET supervisor_id = $1 WHERE id = $2`, bossID, w.nuraini)
	exec(t, d, `UPDATE employees SET email = NULL, front_title = 'Dr.', back_title = 'S.Kom.' WHERE id = $1`, w.andi)

	w.security = dbtest.Competency(t, d, "keamanan-informasi", "Keamanan informasi")
	w.webmail = dbtest.Competency(t, d, "webmail", "Webmail")
	exec(t, d, `UPDATE competencies SET validity_months = 24 WHERE id = $1`, w.security)
	w.event = dbtest.Event(t, d, "Bimtek Keamanan Informasi & Webmail", 30, 16)
	exec(t, d, `UPDATE events SET created_by = $1, place = 'Ruang Rapat Kominfo' WHERE id = $2`, w.admin.AccountID, w.event)
	exec(t, d, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, 2), ($1, $3, 3)`,
		w.event, w.security, w.webmail)
	exec(t, d, `INSERT INTO event_trainers (event_id, account_id) VALUES ($1, $2)`, w.event, w.trainer.AccountID)
	w.nurainiEnrol = dbtest.Enrolment(t, d, w.event, w.nuraini, "completed")
	dbtest.Enrolment(t, d, w.event, w.andi, "completed")
	w.waitingEnrol = dbtest.Enrolment(t, d, w.event, w.waiting, "enrolled")
	return w
}

func (w world) finish(t *testing.T) {
	t.Helper()
	exec(t, w.d, `UPDATE events SET finished_at = $1 WHERE id = $2`, time.Now().UTC(), w.event)
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.W.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.W.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
