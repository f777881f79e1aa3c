package impact_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// world is an event that taught SIPD to a group of operators of one
// agency, with colleagues who did not attend, and what they all did
// before and after.
type world struct {
	agency, other    int64
	app, otherApp    int64
	competency       int64
	event, unstarted int64
	attendees        []int64 // accounts
	comparison       []int64 // accounts
	outsider         int64   // another position in another agency
	trainedElsewhere int64   // same position, trained in the same competency by another event
	starts, ends     time.Time
}

func exec(t testing.TB, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.W.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func insert(t testing.TB, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

// person adds an employee with an account in a position and returns the
// account.
func person(t testing.TB, d *db.DB, agency, position int64, name, email string) (employee, account int64) {
	t.Helper()
	employee, account = dbtest.Person(t, d, agency, name, email)
	exec(t, d, `UPDATE employees SET position_id = $1 WHERE id = $2`, position, employee)
	return employee, account
}

// ticket files a ticket by account about app at at.
func ticket(t testing.TB, d *db.DB, account, app, agency int64, at time.Time) {
	t.Helper()
	exec(t, d, `INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id, agency_id, priority, status,
		first_response_due, resolution_due, created_at, updated_at) VALUES ('Tidak bisa masuk SIPD', $1, 'web',
		'application', $2, $3, 'normal', 'closed', $4, $4, $4, $4)`, account, app, agency, at)
}

// finishedEvent makes an event that started at starts, lasted a day and
// finished, teaching competency.
func finishedEvent(t testing.TB, d *db.DB, title string, competency int64, starts time.Time) int64 {
	t.Helper()
	id := dbtest.Event(t, d, title, 100, 8)
	exec(t, d, `UPDATE events SET starts_at = $1, ends_at = $2, finished_at = $2 WHERE id = $3`,
		starts, starts.Add(8*time.Hour), id)
	exec(t, d, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, 2)`, id, competency)
	return id
}

func newWorld(t testing.TB, d *db.DB, attendees, colleagues int) world {
	t.Helper()
	now := time.Now().UTC()
	w := world{starts: now.AddDate(0, 0, -60)}
	w.ends = w.starts.Add(8 * time.Hour)
	w.agency = dbtest.Agency(t, d, "BAPENDA", "Badan Pendapatan Daerah", "badan")
	w.other = dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas")
	w.app = insert(t, d, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
		VALUES ('sipd', 'SIPD', $1, 'active', $2, $2) RETURNING id`, w.agency, now)
	w.otherApp = insert(t, d, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
		VALUES ('srikandi', 'Srikandi', $1, 'active', $2, $2) RETURNING id`, w.agency, now)
	w.competency = dbtest.Competency(t, d, "SIPD-OP", "Mengoperasikan SIPD")
	exec(t, d, `UPDATE competencies SET app_id = $1, app_use = 'operate' WHERE id = $2`, w.app, w.competency)
	operator := insert(t, d, `INSERT INTO positions (name, created_at) VALUES ('Operator SIPD', $1) RETURNING id`, now)
	clerk := insert(t, d, `INSERT INTO positions (name, created_at) VALUES ('Pengadministrasi Umum', $1) RETURNING id`, now)
	w.event = finishedEvent(t, d, "Bimtek SIPD untuk Dottoro'ta & rekan", w.competency, w.starts)
	w.unstarted = dbtest.Event(t, d, "Bimtek SIPD lanjutan", 30, 8)

	for i := range attendees {
		emp, acc := person(t, d, w.agency, operator, "Peserta "+string(rune('A'+i)), "peserta"+string(rune('a'+i))+"@bapenda.go.id")
		dbtest.Enrolment(t, d, w.event, emp, "completed")
		w.attendees = append(w.attendees, acc)
		// Three SIPD tickets in the 90 days before, none after.
		for k := range 3 {
			ticket(t, d, acc, w.app, w.agency, w.starts.AddDate(0, 0, -10-20*k))
		}
		ticket(t, d, acc, w.otherApp, w.agency, w.ends.AddDate(0, 0, 5)) // another application: not counted
	}
	for i := range colleagues {
		_, acc := person(t, d, w.agency, operator, "Rekan "+string(rune('A'+i)), "rekan"+string(rune('a'+i))+"@bapenda.go.id")
		w.comparison = append(w.comparison, acc)
		// Three before, three after (a higher rate: the after window is 60 days).
		for k := range 3 {
			ticket(t, d, acc, w.app, w.agency, w.starts.AddDate(0, 0, -5-20*k))
			ticket(t, d, acc, w.app, w.agency, w.ends.AddDate(0, 0, 3+15*k+i%3))
		}
	}
	_, w.outsider = person(t, d, w.other, clerk, "Nur'aini", "nuraini@disdik.go.id")
	emp, acc := person(t, d, w.agency, operator, "Dilatih di tempat lain", "lain@bapenda.go.id")
	w.trainedElsewhere = acc
	elsewhere := finishedEvent(t, d, "Bimtek SIPD gelombang 2", w.competency, w.starts.AddDate(0, 0, 10))
	dbtest.Enrolment(t, d, elsewhere, emp, "completed")
	return w
}

// answer posts an answer by account to a question of asker at at,
// accepted or not.
func answer(t testing.TB, d *db.DB, asker, account int64, at time.Time, accepted bool) {
	t.Helper()
	space := insert(t, d, `INSERT INTO spaces (name, level, created_at, updated_at) VALUES ('Kota', 'city', $1, $1)
		RETURNING id`, at)
	thread := insert(t, d, `INSERT INTO threads (space_id, title, author_account_id, question, last_post_at, created_at,
		updated_at) VALUES ($1, 'Bagaimana cara posting SPJ?', $2, TRUE, $3, $3, $3) RETURNING id`, space, asker, at)
	exec(t, d, `INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at) VALUES ($1, $2, 'Tanya', $3, $3)`,
		thread, asker, at)
	post := insert(t, d, `INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
		VALUES ($1, $2, 'Begini caranya', $3, $3) RETURNING id`, thread, account, at)
	if accepted {
		exec(t, d, `UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, post, thread)
	}
}
