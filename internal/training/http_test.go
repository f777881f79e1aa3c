package training_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/training"
)

const (
	admin   = "admin@dinkes.makassarkota.go.id"
	head    = "kepala@dinkes.makassarkota.go.id"
	trainer = "pelatih@kominfo.makassarkota.go.id"
	nur     = "nur.aini@dinkes.makassarkota.go.id"
	daeng   = "daeng@dinkes.makassarkota.go.id"
	andi    = "andi@dinkes.makassarkota.go.id"
)

// site is a running server with the health office's admin, head and
// staff and a Kominfo trainer.
type site struct {
	h   *servertest.Harness
	pw  map[string]string
	emp map[string]int64
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: admin, Name: "Admin Dinkes", Role: policy.AgencyAdmin, Agency: "DINKES"},
		servertest.Person{Email: head, Name: "Kepala Dinkes", Role: policy.AgencyHead, Agency: "DINKES"},
		servertest.Person{Email: trainer, Name: "Daeng Pelatih", Role: policy.Trainer, Agency: "KOMINFO"},
		servertest.Person{Email: nur, Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DINKES"},
		servertest.Person{Email: daeng, Name: "Daeng Ngasseng", Role: policy.Employee, Agency: "DINKES"},
		servertest.Person{Email: andi, Name: "Andi Baso", Role: policy.Employee, Agency: "DINKES"})
	s := &site{h: h, pw: pw, emp: map[string]int64{}}
	for email := range pw {
		var id int64
		if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		s.emp[email] = id
	}
	return s
}

func (s *site) createEvent(t *testing.T, token string, body map[string]any) training.Event {
	t.Helper()
	r := s.h.Do(t, "POST", "/api/v1/events", token, body, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("create event: %d %s", r.Status, r.Body)
	}
	var e training.Event
	r.JSON(t, &e)
	return e
}

func TestTheAPICreatesEventsAndRefusesBadOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		token := s.h.Token(t, trainer)
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
		e := s.createEvent(t, token, map[string]any{"title": "Bimtek SIPD", "kind": "bimtek",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(8 * time.Hour).Format(time.RFC3339),
			"capacity": 30, "jp": 16})
		if e.Capacity != 30 || e.JP != 16 || len(e.Sessions) != 1 || !e.StartsAt.Equal(start) {
			t.Errorf("event = %+v", e)
		}
		servertest.ProblemFields(t, s.h.Do(t, "POST", "/api/v1/events", token, map[string]any{"title": "X",
			"kind": "bimtek", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(-time.Hour).Format(time.RFC3339),
			"capacity": 10, "jp": 2}, ""), http.StatusUnprocessableEntity, "ends_at")
		servertest.ProblemFields(t, s.h.Do(t, "POST", "/api/v1/events", token, map[string]any{"title": "X",
			"kind": "seminar", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
			"capacity": 10, "jp": 2}, ""), http.StatusUnprocessableEntity, "kind")
		servertest.Problem(t, s.h.Do(t, "POST", "/api/v1/events", s.h.Token(t, nur), map[string]any{"title": "X",
			"kind": "bimtek", "starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
			"capacity": 10, "jp": 2}, ""), http.StatusForbidden)
		if r := s.h.Do(t, "GET", "/api/v1/events", token, nil, ""); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"items"`) {
			t.Errorf("list: %d %s", r.Status, r.Body)
		}
		if r := s.h.Do(t, "GET", "/api/v1/openapi.json", "", nil, ""); !strings.Contains(string(r.Body), "/api/v1/sessions/{id}/attendance") {
			t.Error("the OpenAPI document lacks the attendance route")
		}
	})
}

func TestConcurrentAPIEnrolmentsFillTheSeatsAndWaitlistTheRest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		token := s.h.Token(t, trainer)
		start := time.Now().Add(48 * time.Hour)
		e := s.createEvent(t, token, map[string]any{"title": "Workshop Website", "kind": "workshop",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(4 * time.Hour).Format(time.RFC3339),
			"capacity": 2, "jp": 4})
		people := []string{nur, daeng, andi, admin, head}
		statuses := make([]string, len(people))
		var wg sync.WaitGroup
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := s.h.Do(t, "POST", fmt.Sprintf("/api/v1/events/%d/enrolments", e.ID), token,
					map[string]any{"employee_id": s.emp[p]}, "")
				var n training.Enrolment
				if r.Status == http.StatusCreated {
					r.JSON(t, &n)
				}
				statuses[i] = fmt.Sprint(r.Status, " ", n.Status)
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, st := range statuses {
			count[st]++
		}
		if count["201 enrolled"] != 2 || count["201 waitlisted"] != 3 {
			t.Errorf("answers = %v, want 2 enrolled and 3 waitlisted", count)
		}
	})
}

// TestNominateApproveAttendFinish walks the steps the browser test takes:
// the agency admin nominates two people, the head approves, the trainer
// marks attendance on the phone sheet, someone checks in with a code,
// and finishing records their JP.
func TestNominateApproveAttendFinish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		token := s.h.Token(t, trainer)
		start := time.Now().Add(-30 * time.Minute)
		e := s.createEvent(t, token, map[string]any{"title": "Bimtek Keamanan Informasi", "kind": "bimtek",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(6 * time.Hour).Format(time.RFC3339),
			"capacity": 2, "jp": 8})
		event := training.EventLink(e.ID)

		// The admin nominates Nur'aini and Daeng.
		adm := s.h.SignIn(t, admin, s.pw[admin])
		adm.Get(event).Want(t, http.StatusOK, "event page for the admin", `id="add-people"`)
		adm.Get(event+"/tambah").Want(t, http.StatusOK, "add page", fmt.Sprintf(`id="pick-%d"`, s.emp[nur]), "Nur&#39;aini Dottoro&#39;ta")
		adm.PostForm(event+"/tambah", url.Values{"employee_id": {fmt.Sprint(s.emp[nur]), fmt.Sprint(s.emp[daeng])}}).
			Redirects(t, "nominate two", event)
		adm.Get(event).Want(t, http.StatusOK, "event after nominating", "Menunggu persetujuan kepala OPD")
		adm.PostForm(event+"/tambah", url.Values{"employee_id": {fmt.Sprint(s.emp[nur])}}).
			Want(t, http.StatusConflict, "nominating again", `id="add-failed"`)

		// The head approves both.
		hd := s.h.SignIn(t, head, s.pw[head])
		page := hd.Get("/pelatihan/persetujuan")
		page.Want(t, http.StatusOK, "approvals", "Nur&#39;aini Dottoro&#39;ta", "Daeng Ngasseng")
		var ids []int64
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM enrolments WHERE event_id = $1`, e.ID).Scan(new(int)); err != nil {
			t.Fatal(err)
		}
		rows, err := d.R.Query(`SELECT id FROM enrolments WHERE event_id = $1 ORDER BY id`, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if !strings.Contains(page.Body, fmt.Sprintf(`id="approve-%d"`, id)) {
				t.Fatalf("approvals page lacks approve-%d", id)
			}
			hd.PostForm(fmt.Sprintf("/pelatihan/persetujuan/%d", id), url.Values{"decision": {"approve"}}).
				Redirects(t, "approve", training.ApprovalsLink)
		}
		hd.Get("/pelatihan/persetujuan").Want(t, http.StatusOK, "approvals after", `id="approvals-none"`)

		// The trainer marks Nur'aini present on the sheet; Andi, not
		// enrolled, is refused by the API.
		tr := s.h.SignIn(t, trainer, s.pw[trainer])
		sid := e.Sessions[0].ID
		sheet := fmt.Sprintf("%s/sesi/%d", event, sid)
		tr.Get(event).Want(t, http.StatusOK, "event for the trainer", fmt.Sprintf(`id="attendance-%d"`, sid))
		tr.Get(sheet).Want(t, http.StatusOK, "sheet", fmt.Sprintf(`id="mark-%d"`, s.emp[nur]), `aria-pressed="false"`)
		tr.PostForm(sheet+"/hadir", url.Values{"employee_id": {fmt.Sprint(s.emp[nur])}, "present": {"1"}}).
			Redirects(t, "mark present", fmt.Sprintf("%s#p-%d", sheet, s.emp[nur]))
		tr.Get(sheet).Want(t, http.StatusOK, "sheet after marking", `aria-pressed="true"`, "1 dari 2 peserta hadir")
		servertest.ProblemFields(t, s.h.Do(t, "POST", fmt.Sprintf("/api/v1/sessions/%d/attendance", sid), token,
			map[string]any{"employee_id": s.emp[andi]}, ""), http.StatusUnprocessableEntity, "employee_id")
		var list struct {
			Items []training.AttendanceRow `json:"items"`
		}
		s.h.Do(t, "GET", fmt.Sprintf("/api/v1/sessions/%d/attendance", sid), token, nil, "").JSON(t, &list)
		if len(list.Items) != 2 || !list.Items[1].Present || list.Items[1].EmployeeName != "Nur'aini Dottoro'ta" {
			t.Errorf("attendance by the API: %+v", list.Items)
		}

		// Daeng checks in with the code shown in the room; again is 409.
		tr.PostForm(sheet+"/kode", url.Values{"minutes": {"15"}}).Redirects(t, "make a code", sheet+"#code")
		var code string
		if err := d.R.QueryRow(`SELECT code FROM session_codes WHERE session_id = $1`, sid).Scan(&code); err != nil {
			t.Fatal(err)
		}
		tr.Get(sheet).Want(t, http.StatusOK, "sheet with the code", `id="checkin-code"`, code)
		dg := s.h.SignIn(t, daeng, s.pw[daeng])
		dg.Get("/pelatihan/hadir").Want(t, http.StatusOK, "check-in page", `id="checkin-submit"`)
		dg.PostForm("/pelatihan/hadir", url.Values{"code": {strings.ToLower(code)}}).Redirects(t, "check in", event)
		dg.PostForm("/pelatihan/hadir", url.Values{"code": {code}}).Want(t, http.StatusConflict, "check in again")
		dg.PostForm("/pelatihan/hadir", url.Values{"code": {"QQQQQQ"}}).Want(t, http.StatusUnprocessableEntity, "unknown code", `id="e-code"`)
		servertest.Problem(t, s.h.Do(t, "POST", "/api/v1/checkin", s.h.Token(t, daeng), map[string]any{"code": code}, ""), http.StatusConflict)

		// Scores: out of range is refused with the field named.
		tr.PostForm(event+"/nilai", url.Values{fmt.Sprintf("pre_%d", ids[0]): {"140"}}).
			Want(t, http.StatusUnprocessableEntity, "a score of 140", fmt.Sprintf(`id="e-pre_%d"`, ids[0]))
		tr.PostForm(event+"/nilai", url.Values{fmt.Sprintf("pre_%d", ids[0]): {"50"}, fmt.Sprintf("post_%d", ids[0]): {"90"}}).
			Redirects(t, "scores", event+"/nilai")
		servertest.ProblemFields(t, s.h.Do(t, "POST", fmt.Sprintf("/api/v1/enrolments/%d/scores", ids[0]), token,
			map[string]any{"post_score": -1}, ""), http.StatusUnprocessableEntity, "post_score")

		// Daeng evaluates; the trainer finishes; the certificates link shows.
		dg.Get(event).Want(t, http.StatusOK, "event for a participant", `id="go-evaluation"`)
		dg.PostForm(event+"/evaluasi", url.Values{"relevance": {"5"}, "content": {"4"}, "trainer": {"5"}, "usefulness": {"9"}}).
			Want(t, http.StatusUnprocessableEntity, "a rating of 9", `id="e-usefulness"`)
		dg.PostForm(event+"/evaluasi", url.Values{"relevance": {"5"}, "content": {"4"}, "trainer": {"5"}, "usefulness": {"5"}}).
			Redirects(t, "evaluate", event)
		tr.PostForm(event+"/selesai", nil).Redirects(t, "finish", event)
		tr.Get(event).Want(t, http.StatusOK, "finished event", `id="certificates"`, "/pelatihan/acara/"+fmt.Sprint(e.ID)+"/sertifikat",
			`id="reaction-too-few"`, "Baru 1 peserta yang mengisi evaluasi")
		// The certificates' page is for those who run the event: a
		// participant is not offered a link that would answer 403.
		dg.Get(event).Lacks(t, "finished event for a participant", `id="certificates"`)
		var jp int
		if err := d.R.QueryRow(`SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE event_id = $1`, e.ID).Scan(&jp); err != nil {
			t.Fatal(err)
		}
		if jp != 16 {
			t.Errorf("JP recorded = %d, want 2 × 8", jp)
		}
		cal := tr.Get(event + "/kalender.ics")
		if cal.Status != http.StatusOK || !strings.HasPrefix(cal.Header.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(cal.Body, fmt.Sprintf("training-session-%d@lontara", sid)) {
			t.Errorf("calendar: %d %s", cal.Status, cal.Body)
		}
		dg.Get("/pelatihan").Want(t, http.StatusOK, "training home", "Bimtek Keamanan Informasi", "Selesai")
	})
}

func TestTrainingPagesRender(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		tr := s.h.SignIn(t, trainer, s.pw[trainer])
		tr.Get("/pelatihan").Want(t, http.StatusOK, "home", `id="new-event"`)
		tr.Get("/pelatihan/aktivitas").Want(t, http.StatusOK, "activities", `id="new-activity"`)
		tr.Get("/pelatihan/aktivitas/baru").Want(t, http.StatusOK, "new activity form", `id="save-activity"`)
		p := tr.PostForm("/pelatihan/aktivitas/baru", url.Values{"title": {"Operator SIPD Dasar"}, "kind": {"course"}, "jp": {"12"}, "agency_id": {"0"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("create activity: %d %.600s", p.Status, p.Body)
		}
		tr.Get(p.Location).Want(t, http.StatusOK, "activity", "Operator SIPD Dasar", `id="schedule-activity"`)
		form := tr.Get("/pelatihan/acara/baru?aktivitas=" + strings.TrimPrefix(p.Location, "/pelatihan/aktivitas/"))
		form.Want(t, http.StatusOK, "event form from the activity", `value="Operator SIPD Dasar"`)
		tomorrow := time.Now().Add(24 * time.Hour).Format(time.DateOnly)
		tr.PostForm("/pelatihan/acara/baru", url.Values{"title": {"Operator SIPD Dasar"}, "kind": {"course"},
			"date": {tomorrow}, "start": {"08:00"}, "end": {"07:00"}, "capacity": {"20"}, "jp": {"12"}, "days": {"1"}}).
			Want(t, http.StatusUnprocessableEntity, "an end before the start", `id="e-ends_at"`)
		created := tr.PostForm("/pelatihan/acara/baru", url.Values{"title": {"Operator SIPD Dasar"}, "kind": {"course"},
			"date": {tomorrow}, "start": {"08:00"}, "end": {"16:00"}, "capacity": {"20"}, "jp": {"12"}, "days": {"3"}, "self_enrol": {"1"}})
		if created.Status != http.StatusSeeOther {
			t.Fatalf("create event: %d %.800s", created.Status, created.Body)
		}
		tr.Get(created.Location).Want(t, http.StatusOK, "the new event", "3 sesi", `id="edit-event"`)
		tr.Get("/pelatihan").Want(t, http.StatusOK, "home of the trainer", `id="h-training"`)
		tr.Get(created.Location+"/ubah").Want(t, http.StatusOK, "edit form", `id="save-event"`, `value="20"`)
		tr.PostForm(created.Location+"/ubah", url.Values{"title": {"Operator SIPD Dasar (Dottoro'ta)"}, "kind": {"course"},
			"capacity": {"25"}, "jp": {"12"}, "self_enrol": {"1"}}).Redirects(t, "edit", created.Location)
		tr.Get(created.Location).Want(t, http.StatusOK, "after the edit", "Operator SIPD Dasar (Dottoro&#39;ta)", "0 dari 25 kursi terisi")
		tr.Get(p.Location+"/ubah").Want(t, http.StatusOK, "activity edit form", `value="Operator SIPD Dasar"`)
		tr.PostForm(p.Location+"/arsip", nil).Redirects(t, "retire the activity", p.Location)
		tr.Get(p.Location).Want(t, http.StatusOK, "a retired activity", `id="activity-retired"`)
		tr.PostForm("/pelatihan/acara/baru", url.Values{"activity_id": {strings.TrimPrefix(p.Location, "/pelatihan/aktivitas/")},
			"title": {"Lagi"}, "kind": {"course"}, "date": {tomorrow}, "start": {"08:00"}, "end": {"16:00"}, "capacity": {"20"},
			"jp": {"12"}}).Want(t, http.StatusUnprocessableEntity, "an event of a retired activity")
		emp := s.h.SignIn(t, andi, s.pw[andi])
		emp.Get(created.Location).Want(t, http.StatusOK, "event for an employee", `id="enrol-self"`)
		emp.PostForm(created.Location+"/daftar", nil).Redirects(t, "self-enrol", created.Location)
		emp.Get(created.Location).Want(t, http.StatusOK, "after enrolling", `id="cancel-mine"`)
		emp.Get("/pelatihan/persetujuan").Want(t, http.StatusForbidden, "approvals for an employee")
		emp.Get("/pelatihan/acara/baru").Want(t, http.StatusForbidden, "the event form for an employee")
		if ics := emp.Get("/pelatihan/saya.ics"); ics.Status != http.StatusOK || strings.Count(ics.Body, "BEGIN:VEVENT") != 3 {
			t.Errorf("my calendar: %d, %d entries", ics.Status, strings.Count(ics.Body, "BEGIN:VEVENT"))
		}
	})
}
