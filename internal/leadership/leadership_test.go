package leadership_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

var zone = time.FixedZone("WITA", 8*3600)

// world is two agencies, the executive, a head and an admin of the first,
// and people in both.
type world struct {
	svc               *leadership.Service
	a, b              int64
	exec, head, admin *policy.Actor
	nur, ali, other   *policy.Actor
	nurEmp, otherEmp  int64
}

func person(t *testing.T, d *db.DB, agency int64, name, email string, roles ...policy.Grant) *policy.Actor {
	t.Helper()
	emp, acc := dbtest.Person(t, d, agency, name, email)
	dbtest.Grant(t, d, acc, "employee", agency)
	for _, g := range roles {
		dbtest.Grant(t, d, acc, string(g.Role), g.AgencyID)
	}
	return &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name,
		Grants: append([]policy.Grant{{Role: policy.Employee, AgencyID: agency}}, roles...)}
}

func newWorld(t *testing.T, d *db.DB) world {
	w := world{svc: leadership.NewService(d, zone)}
	w.a = dbtest.Agency(t, d, "DISKOMINFO", "Dinas Kominfo", "dinas")
	w.b = dbtest.Agency(t, d, "BAPPEDA", "Bappeda", "badan")
	w.exec = person(t, d, w.a, "Wali Kota", "wk@makassar.go.id", policy.Grant{Role: policy.Executive})
	w.head = person(t, d, w.a, "Kepala Dinas", "kadis@makassar.go.id", policy.Grant{Role: policy.AgencyHead, AgencyID: w.a})
	w.admin = person(t, d, w.a, "Admin Dinas", "admin@makassar.go.id", policy.Grant{Role: policy.AgencyAdmin, AgencyID: w.a})
	w.nur = person(t, d, w.a, "Nur'aini Dottoro'ta", "nur@makassar.go.id", policy.Grant{Role: policy.Operator, AgencyID: w.a})
	w.ali = person(t, d, w.a, "Ali", "ali@makassar.go.id")
	w.other = person(t, d, w.b, "Siti Bappeda", "siti@makassar.go.id")
	w.nurEmp, w.otherEmp = w.nur.EmployeeID, w.other.EmployeeID
	return w
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestVisionsAreVersionedAndScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		if _, err := w.svc.SetVision(ctx, w.exec, leadership.VisionInput{Vision: "Makassar kota dunia", Mission: "1. Melayani"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetVision(ctx, w.admin, leadership.VisionInput{AgencyID: w.a, Vision: "Kominfo Dottoro'ta", Mission: "- Belajar"}); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.SetVision(ctx, w.head, leadership.VisionInput{AgencyID: w.a, Vision: "Kominfo yang belajar", Mission: "- Berbagi", Term: "2025–2029"})
		if err != nil || v.ByName != "Kepala Dinas" || v.Term != "2025–2029" {
			t.Fatalf("set = %+v, %v", v, err)
		}
		_, err = w.svc.SetVision(ctx, w.nur, leadership.VisionInput{AgencyID: w.a, Vision: "x", Mission: "y"})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.SetVision(ctx, w.head, leadership.VisionInput{Vision: "kota", Mission: "y"})
		wantCode(t, err, errs.Forbidden) // a head does not speak for the city
		_, err = w.svc.SetVision(ctx, w.exec, leadership.VisionInput{Vision: " ", Mission: ""})
		wantCode(t, err, errs.Invalid)
		hist, err := w.svc.VisionHistory(ctx, w.ali, w.a)
		if err != nil || len(hist) != 2 || hist[0].Vision != "Kominfo yang belajar" || hist[1].Vision != "Kominfo Dottoro'ta" {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		all, err := w.svc.Visions(ctx, w.ali)
		if err != nil || len(all) != 2 || all[0].AgencyID != 0 || all[1].AgencyID != w.a {
			t.Fatalf("visions = %+v, %v", all, err)
		}
	})
}

func TestRegulationsRegistryAndInForce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		dbtest.Competency(t, d, "SIPD-OP", "Mengoperasikan SIPD")
		if _, err := d.W.Exec(`INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
			VALUES ('sipd', 'SIPD', $1, 'active', $2, $2)`, w.a, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		in := leadership.RegulationInput{Kind: "perwali", Number: "12/2026", Title: "Manajemen pengetahuan Dottoro'ta",
			SignedOn: "2026-01-10", InForceFrom: "2026-02-01", Obligations: []leadership.ObligationInput{
				{Text: "Setiap operator SIPD mengikuti bimtek", CompetencyCode: "SIPD-OP", JP: 8, AppSlug: "sipd"}, {Text: "Setiap OPD punya admin pengetahuan"}}}
		r, err := w.svc.CreateRegulation(ctx, w.exec, in)
		if err != nil || len(r.Obligations) != 2 || r.Obligations[0].CompetencyCode != "SIPD-OP" || r.Obligations[0].JP != 8 || r.Obligations[0].AppName != "SIPD" ||
			r.Title != "Manajemen pengetahuan Dottoro'ta" || r.Status != leadership.InForce {
			t.Fatalf("create = %+v, %v", r, err)
		}
		_, err = w.svc.CreateRegulation(ctx, w.exec, in)
		wantCode(t, err, errs.Invalid) // the same number twice
		bad := in
		bad.Number, bad.InForceUntil, bad.Kind = "13/2026", "2026-01-01", "law"
		bad.Obligations = []leadership.ObligationInput{{Text: "x", CompetencyCode: "NOPE"}}
		_, err = w.svc.CreateRegulation(ctx, w.exec, bad)
		if e := errs.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("bad = %v", err) // kind and until-before-from; the competency is checked after
		}
		_, err = w.svc.CreateRegulation(ctx, w.head, leadership.RegulationInput{Kind: "se", Number: "1", Title: "t",
			SignedOn: "2026-01-01", InForceFrom: "2026-01-01", AgencyID: w.b})
		wantCode(t, err, errs.Forbidden)
		ended, err := w.svc.CreateRegulation(ctx, w.head, leadership.RegulationInput{Kind: "sk", Number: "800/1", Title: "Tim SPBE",
			AgencyID: w.a, SignedOn: "2025-01-01", InForceFrom: "2025-01-01", InForceUntil: "2025-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		revoked, err := w.svc.CreateRegulation(ctx, w.exec, leadership.RegulationInput{Kind: "se", Number: "5/2026", Title: "Edaran lama",
			SignedOn: "2026-01-02", InForceFrom: "2026-01-02"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RevokeRegulation(ctx, w.exec, revoked.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.RevokeRegulation(ctx, w.exec, revoked.ID)
		wantCode(t, err, errs.Conflict)
		at := time.Date(2026, 3, 1, 0, 0, 0, 0, zone)
		list, err := leadership.RegulationsInForce(ctx, d.R, at)
		if err != nil || len(list) != 1 || list[0].ID != r.ID || len(list[0].Obligations) != 2 {
			t.Fatalf("in force = %+v, %v", list, err)
		}
		lastDay := time.Date(2025, 12, 31, 15, 0, 0, 0, zone)
		if list, _ := leadership.RegulationsInForce(ctx, d.R, lastDay); len(list) != 1 || list[0].ID != ended.ID {
			t.Fatalf("on its last day = %+v", list)
		}
		now, _, err := w.svc.Regulations(ctx, w.ali, leadership.RegulationFilter{InForce: true}, db.Page{})
		if err != nil || len(now) != 1 || now[0].ID != r.ID || !now[0].InForceNow {
			t.Fatalf("in force now = %+v, %v", now, err)
		}
		found, _, err := w.svc.Regulations(ctx, w.ali, leadership.RegulationFilter{Q: "dottoro'TA"}, db.Page{})
		if err != nil || len(found) != 1 || found[0].ID != r.ID {
			t.Fatalf("search = %+v, %v", found, err)
		}
		page, next, err := w.svc.Regulations(ctx, w.ali, leadership.RegulationFilter{}, db.Page{Limit: 2})
		if err != nil || len(page) != 2 || next == "" {
			t.Fatalf("page = %d, %q, %v", len(page), next, err)
		}
		rest, next, err := w.svc.Regulations(ctx, w.ali, leadership.RegulationFilter{}, db.Page{Limit: 2, After: next})
		if err != nil || len(rest) != 1 || next != "" || rest[0].ID != ended.ID {
			t.Fatalf("rest = %+v, %q, %v", rest, next, err)
		}
	})
}

func TestAnnouncementReceipts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		n, err := w.svc.Post(ctx, w.admin, leadership.AnnouncementInput{Title: "Bimtek SIPD", Body: "**Wajib** hadir",
			AgencyIDs: []int64{w.a}, Roles: []string{"operator"}})
		if err != nil || n.Recipients != 1 {
			t.Fatalf("post = %+v, %v", n, err)
		}
		all, err := w.svc.Post(ctx, w.exec, leadership.AnnouncementInput{Title: "Kota belajar", Body: "Untuk semua"})
		if err != nil || all.Recipients != 5 {
			t.Fatalf("city = %+v, %v", all, err)
		}
		_, err = w.svc.Post(ctx, w.head, leadership.AnnouncementInput{Title: "x", Body: "y", AgencyIDs: []int64{w.b}})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.Post(ctx, w.head, leadership.AnnouncementInput{Title: "x", Body: "y", AgencyIDs: []int64{w.a}, Roles: []string{"trainer"}})
		wantCode(t, err, errs.Invalid) // nobody holds the role there
		if c, _ := w.svc.UnreadAnnouncements(ctx, w.nur); c != 2 {
			t.Fatalf("unread = %d", c)
		}
		_, err = w.svc.Announcement(ctx, w.other, n.ID, true)
		wantCode(t, err, errs.NotFound)
		got, err := w.svc.Announcement(ctx, w.nur, n.ID, true)
		if err != nil || got.ReadAt == nil || got.Receipts != nil {
			t.Fatalf("open = %+v, %v", got, err)
		}
		if c, _ := w.svc.UnreadAnnouncements(ctx, w.nur); c != 1 {
			t.Fatalf("unread after = %d", c)
		}
		seen, err := w.svc.Announcement(ctx, w.exec, all.ID, false)
		if err != nil || seen.Read != 0 || len(seen.Receipts) != 2 || len(seen.Unread) != 5 {
			t.Fatalf("receipts = %+v, %v", seen, err)
		}
		mine, _, err := w.svc.Announcements(ctx, w.nur, leadership.AnnouncementFilter{Unread: true}, db.Page{})
		if err != nil || len(mine) != 1 || mine[0].ID != all.ID {
			t.Fatalf("mine = %+v, %v", mine, err)
		}
		var notes int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = 'announcement'`).Scan(&notes); err != nil || notes != 6 {
			t.Fatalf("notifications = %d, %v", notes, err) // 1 + 5: the poster is no recipient
		}
	})
}

func TestReviewsFollowUpsAndReminders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		r, err := w.svc.CreateReview(ctx, w.head, leadership.ReviewInput{AgencyID: w.a, Period: "2026-q3", Title: "Monev triwulan"})
		if err != nil || r.Period != "2026-Q3" {
			t.Fatalf("review = %+v, %v", r, err)
		}
		_, err = w.svc.CreateReview(ctx, w.admin, leadership.ReviewInput{AgencyID: w.a, Period: "2026-Q3", Title: "x"})
		wantCode(t, err, errs.Forbidden)
		_, err = w.svc.CreateReview(ctx, w.head, leadership.ReviewInput{AgencyID: w.a, Period: "Q3", Title: "x"})
		wantCode(t, err, errs.Invalid)
		r, err = w.svc.AddFinding(ctx, w.head, r.ID, leadership.FindingInput{Text: "SLA turun", Severity: "high"})
		if err != nil || len(r.Findings) != 1 {
			t.Fatalf("finding = %+v, %v", r, err)
		}
		_, err = w.svc.AddFinding(ctx, w.head, r.ID, leadership.FindingInput{Text: "x", Severity: "fatal"})
		wantCode(t, err, errs.Invalid)
		past := time.Now().In(zone).AddDate(0, 0, -2).Format(time.DateOnly)
		f, err := w.svc.AddFollowUp(ctx, w.head, r.ID, leadership.FollowUpInput{FindingID: r.Findings[0].ID,
			Action: "Latih ulang operator", AssigneeID: w.nurEmp, DueOn: past})
		if err != nil || !f.Overdue || f.AssigneeName != "Nur'aini Dottoro'ta" {
			t.Fatalf("follow-up = %+v, %v", f, err)
		}
		soon := time.Now().In(zone).AddDate(0, 0, 1).Format(time.DateOnly)
		if _, err := w.svc.AddFollowUp(ctx, w.head, r.ID, leadership.FollowUpInput{Action: "Tulis artikel",
			AssigneeID: w.ali.EmployeeID, DueOn: soon}); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.AddFollowUp(ctx, w.head, r.ID, leadership.FollowUpInput{Action: "x", AssigneeID: 999999, DueOn: "31-12-2026"})
		if e := errs.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("bad follow-up = %v", err)
		}
		if n, err := w.svc.Remind(ctx, time.Now()); err != nil || n != 2 {
			t.Fatalf("remind = %d, %v", n, err)
		}
		if n, err := w.svc.Remind(ctx, time.Now()); err != nil || n != 0 {
			t.Fatalf("remind again = %d, %v", n, err)
		}
		mine, err := w.svc.MyFollowUps(ctx, w.nur, false)
		if err != nil || len(mine) != 1 {
			t.Fatalf("mine = %+v, %v", mine, err)
		}
		if _, err := w.svc.Review(ctx, w.nur, r.ID); err != nil {
			t.Fatalf("the assignee reads the review: %v", err)
		}
		_, err = w.svc.Review(ctx, w.other, r.ID)
		wantCode(t, err, errs.NotFound)
		_, err = w.svc.Report(ctx, w.ali, f.ID, leadership.ProgressInput{Body: "bukan tugas saya", Status: "done"})
		wantCode(t, err, errs.Forbidden)
		done, err := w.svc.Report(ctx, w.nur, f.ID, leadership.ProgressInput{Body: "Sudah dilatih 12 orang", Status: "done"})
		if err != nil || done.Status != leadership.Done || len(done.Notes) != 1 || done.Overdue {
			t.Fatalf("report = %+v, %v", done, err)
		}
		p, _ := period.Parse("2026", zone)
		tables, err := leadership.ReviewTables(ctx, d.R, "id", w.a, p)
		if err != nil || len(tables) != 2 || len(tables[0].Rows) != 1 || len(tables[1].Rows) != 2 {
			t.Fatalf("tables = %+v, %v", tables, err)
		}
		other, _ := period.Parse("2025", zone)
		if tables, err := leadership.ReviewTables(ctx, d.R, "id", w.a, other); err != nil || tables != nil {
			t.Fatalf("another year = %+v, %v; want no tables", tables, err)
		}
		list, _, err := w.svc.Reviews(ctx, w.ali, leadership.ReviewFilter{}, db.Page{})
		if err != nil || len(list) != 1 || list[0].Open != 1 {
			t.Fatalf("reviews of an assignee = %+v, %v", list, err)
		}
		if list, _, _ := w.svc.Reviews(ctx, w.other, leadership.ReviewFilter{}, db.Page{}); len(list) != 0 {
			t.Fatalf("reviews of a stranger = %+v", list)
		}
	})
}

func TestRecognitionWall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		r, err := w.svc.Recognize(ctx, w.head, leadership.RecognitionInput{AgencyID: w.a, MemberIDs: []int64{w.nurEmp},
			Reason: "Menulis 10 artikel", Period: "2026-Q3"})
		if err != nil || len(r.Members) != 1 || r.Members[0].Name != "Nur'aini Dottoro'ta" {
			t.Fatalf("recognize = %+v, %v", r, err)
		}
		_, err = w.svc.Recognize(ctx, w.head, leadership.RecognitionInput{AgencyID: w.a, MemberIDs: []int64{w.nurEmp, w.ali.EmployeeID},
			Reason: "Tim", Period: "2026-Q3"})
		wantCode(t, err, errs.Invalid) // a team needs its name
		_, err = w.svc.Recognize(ctx, w.head, leadership.RecognitionInput{AgencyID: w.a, MemberIDs: []int64{w.otherEmp},
			Reason: "x", Period: "2026-Q3"})
		wantCode(t, err, errs.Invalid) // not of the agency
		_, err = w.svc.Recognize(ctx, w.admin, leadership.RecognitionInput{AgencyID: w.a, MemberIDs: []int64{w.nurEmp},
			Reason: "x", Period: "2026-Q3"})
		wantCode(t, err, errs.Forbidden)
		if _, err := w.svc.Recognize(ctx, w.exec, leadership.RecognitionInput{Team: "Tim Lapor", MemberIDs: []int64{w.nurEmp, w.otherEmp},
			Reason: "Help desk terbaik", Period: "2026"}); err != nil {
			t.Fatal(err)
		}
		wall, _, err := w.svc.Recognitions(ctx, w.other, leadership.RecognitionFilter{EmployeeID: w.nurEmp}, db.Page{})
		if err != nil || len(wall) != 2 || len(wall[0].Members) != 2 {
			t.Fatalf("wall = %+v, %v", wall, err)
		}
	})
}

func TestFollowUpOfAnAgencyReviewGoesToItsPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		due := time.Now().In(zone).AddDate(0, 0, 7).Format(time.DateOnly)
		r, err := w.svc.CreateReview(ctx, w.head, leadership.ReviewInput{AgencyID: w.a, Period: "2026-Q3", Title: "Monev"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.AddFollowUp(ctx, w.head, r.ID, leadership.FollowUpInput{Action: "x", AssigneeID: w.otherEmp, DueOn: due})
		if e := errs.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Name != "assignee_id" {
			t.Fatalf("an assignee of another agency = %v", err)
		}
		if _, err := w.svc.Review(ctx, w.other, r.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("the other agency's person reads the review: %v", err)
		}
		city, err := w.svc.CreateReview(ctx, w.exec, leadership.ReviewInput{Period: "2026", Title: "Monev kota"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AddFollowUp(ctx, w.exec, city.ID, leadership.FollowUpInput{Action: "x", AssigneeID: w.otherEmp, DueOn: due}); err != nil {
			t.Fatalf("the city's review goes to anyone: %v", err)
		}
	})
}

func TestConcurrentRevocationsAuditOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		r, err := w.svc.CreateRegulation(ctx, w.exec, leadership.RegulationInput{Kind: "se", Number: "5/2026", Title: "Edaran",
			SignedOn: "2026-01-02", InForceFrom: "2026-01-02"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errc := make(chan error, n)
		for range n {
			go func() { _, err := w.svc.RevokeRegulation(ctx, w.exec, r.ID); errc <- err }()
		}
		ok := 0
		for range n {
			if err := <-errc; err == nil {
				ok++
			} else {
				wantCode(t, err, errs.Conflict)
			}
		}
		var audits int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'revoke' AND entity = 'regulation'`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || audits != 1 {
			t.Fatalf("%d revocations succeeded, %d audited; want 1 and 1", ok, audits)
		}
	})
}

// TestAFollowUpDoneTwiceAtOnceTellsOnce: the same "done" reported many
// times at once keeps every note, and the review's holder hears of it once.
func TestAFollowUpDoneTwiceAtOnceTellsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, w := context.Background(), newWorld(t, d)
		r, err := w.svc.CreateReview(ctx, w.head, leadership.ReviewInput{AgencyID: w.a, Period: "2026-Q3", Title: "Monev"})
		if err != nil {
			t.Fatal(err)
		}
		due := time.Now().In(zone).AddDate(0, 0, 7).Format(time.DateOnly)
		f, err := w.svc.AddFollowUp(ctx, w.head, r.ID, leadership.FollowUpInput{Action: "Latih ulang operator",
			AssigneeID: w.nurEmp, DueOn: due})
		if err != nil {
			t.Fatal(err)
		}
		const n = 10
		errc := make(chan error, n)
		for range n {
			go func() {
				_, err := w.svc.Report(ctx, w.nur, f.ID, leadership.ProgressInput{Body: "Selesai", Status: leadership.Done})
				errc <- err
			}()
		}
		for range n {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		var notes, told int
		if err := d.R.QueryRow(`SELECT count(*) FROM follow_up_notes WHERE follow_up_id = $1`, f.ID).Scan(&notes); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'followup.done'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if notes != n || told != 1 {
			t.Errorf("%d notes and %d notices of the follow-up done, want %d and 1", notes, told, n)
		}
	})
}
