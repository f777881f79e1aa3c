package spbe_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/spbe"
)

var expert = &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Expert}}}

// june is a day inside 2025, the period the tests read.
var june = time.Date(2025, 6, 15, 3, 0, 0, 0, time.UTC)

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

// seed records a year of each indicator's work in 2025 (and one thing in
// 2024, which the period leaves out).
func seed(t testing.TB, d *db.DB) {
	t.Helper()
	agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	emp, acc := dbtest.Person(t, d, agency, "Dottoro'ta", "dottorota@kominfo.go.id")
	_, other := dbtest.Person(t, d, agency, "Nur'aini", "nuraini@kominfo.go.id")
	// Knowledge: one article published after a review, one returned, one published in 2024.
	cat := insert(t, d, `INSERT INTO article_categories (name, created_at, updated_at) VALUES ('Panduan SIPD', $1, $1) RETURNING id`, june)
	exec(t, d, `INSERT INTO article_category_reviewers (category_id, account_id) VALUES ($1, $2)`, cat, acc)
	a1 := insert(t, d, `INSERT INTO articles (title, status, category_id, created_at, updated_at)
		VALUES ('Cara posting SPJ di SIPD', 'published', $1, $2, $2) RETURNING id`, cat, june)
	a2 := insert(t, d, `INSERT INTO articles (title, status, created_at, updated_at) VALUES ('Draf reset sandi', 'draft', $1, $1) RETURNING id`, june)
	a3 := insert(t, d, `INSERT INTO articles (title, status, created_at, updated_at) VALUES ('Artikel lama', 'published', $1, $1) RETURNING id`, june)
	for _, ev := range []struct {
		article  int64
		from, to string
		at       time.Time
	}{{a1, "draft", "review", june}, {a1, "review", "published", june.Add(time.Hour)},
		{a2, "draft", "review", june}, {a2, "review", "draft", june.Add(2 * time.Hour)},
		{a3, "review", "published", june.AddDate(-1, 0, 0)}} {
		exec(t, d, `INSERT INTO article_events (article_id, from_status, to_status, actor_account_id, created_at)
			VALUES ($1, $2, $3, $4, $5)`, ev.article, ev.from, ev.to, acc, ev.at)
	}
	space := insert(t, d, `INSERT INTO spaces (name, level, created_at, updated_at) VALUES ('Kota', 'city', $1, $1) RETURNING id`, june)
	thread := insert(t, d, `INSERT INTO threads (space_id, title, author_account_id, question, last_post_at, created_at, updated_at)
		VALUES ($1, 'Bagaimana cara posting SPJ?', $2, TRUE, $3, $3, $3) RETURNING id`, space, acc, june)
	post := insert(t, d, `INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
		VALUES ($1, $2, 'Begini', $3, $3) RETURNING id`, thread, other, june)
	exec(t, d, `UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, post, thread)
	// Competence: a framework with a competency, a new version, an event finished with 1 of 2 completing.
	comp := dbtest.Competency(t, d, "SIPD-OP", "Mengoperasikan SIPD")
	exec(t, d, `UPDATE competencies SET created_at = $1 WHERE id = $2`, june.AddDate(0, -3, 0), comp)
	exec(t, d, `UPDATE competency_frameworks SET created_at = $1`, june.AddDate(0, -3, 0))
	exec(t, d, `INSERT INTO competency_framework_revisions (framework_id, version, name, note, created_at)
		SELECT framework_id, 2, 'Test', 'Menambah SIPD', $1 FROM competencies WHERE id = $2`, june, comp)
	event := dbtest.Event(t, d, "Bimtek SIPD", 30, 16)
	exec(t, d, `UPDATE events SET starts_at = $1, ends_at = $2, finished_at = $2 WHERE id = $3`, june, june.Add(8*time.Hour), event)
	dbtest.Enrolment(t, d, event, emp, "completed")
	exec(t, d, `INSERT INTO learning_records (employee_id, kind, title, jp, event_id, source_kind, source_id, completed_at, created_at)
		VALUES ($1, 'bimtek', 'Bimtek SIPD', 16, $2, 'enrolment', 1, $3, $3)`, emp, event, june.Add(8*time.Hour))
	for _, source := range []string{"self", "trainer", "session"} {
		exec(t, d, `INSERT INTO competency_assessments (employee_id, competency_id, level, source, assessed_at, created_at)
			VALUES ($1, $2, 2, $3, $4, $4)`, emp, comp, source, june)
	}
	exec(t, d, `INSERT INTO jp_targets (year, jp, updated_at) VALUES (2025, 20, $1)`, june)
	// Service: two tickets, one resolved in time and one late; a problem record.
	for _, late := range []bool{false, true} {
		resolved := june.Add(2 * time.Hour)
		if late {
			resolved = june.Add(48 * time.Hour)
		}
		exec(t, d, `INSERT INTO tickets (subject, reporter_account_id, channel, category, agency_id, priority, status,
			first_response_due, resolution_due, first_responded_at, resolved_at, created_at, updated_at)
			VALUES ('SIPD tidak bisa dibuka', $1, 'web', 'application', $2, 'normal', 'resolved', $3, $4, $5, $6, $7, $6)`,
			acc, agency, june.Add(4*time.Hour), june.Add(24*time.Hour), june.Add(time.Hour), resolved, june)
	}
	exec(t, d, `INSERT INTO problems (title, status, created_at, updated_at) VALUES ('SIPD lambat tiap akhir bulan', 'resolved', $1, $1)`, june)
}

func figure(t *testing.T, list []spbe.Figure, key string) *float64 {
	t.Helper()
	for _, f := range list {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("no figure %s in %+v", key, list)
	return nil
}

func TestThePackHoldsEachIndicatorsRecordsAndFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seed(t, d)
		svc := spbe.NewService(d, helpdesk.NewService(d), time.UTC)
		p, err := period.Parse("2025", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		pack, err := svc.Evidence(context.Background(), expert, p, "id")
		if err != nil {
			t.Fatal(err)
		}
		k := pack.Knowledge
		if len(k.Published) != 1 || k.Published[0].Title != "Cara posting SPJ di SIPD" || k.Published[0].Category != "Panduan SIPD" {
			t.Errorf("published: %+v", k.Published)
		}
		if len(k.Reviews) != 2 || k.Reviews[0].Outcome != "published" || k.Reviews[1].Outcome != "returned" {
			t.Errorf("reviews: %+v", k.Reviews)
		}
		for key, want := range map[string]float64{"articles_live": 2, "questions_asked": 1, "questions_accepted": 1, "answers_posted": 1} {
			if v := figure(t, k.Figures, key); v == nil || *v != want {
				t.Errorf("%s: %v, want %v", key, v, want)
			}
		}
		c := pack.Competence
		if len(c.Events) != 1 || c.Events[0].Completed != 1 || c.Events[0].JP != 16 || len(c.Revisions) != 1 {
			t.Errorf("events %+v revisions %+v", c.Events, c.Revisions)
		}
		for key, want := range map[string]float64{"assessments": 3, "assessments_verified": 2, "jp_total": 16,
			"people_learning": 1, "employees_active": 2, "jp_per_employee": 8, "jp_target": 20, "competencies": 1} {
			if v := figure(t, c.Figures, key); v == nil || *v != want {
				t.Errorf("%s: %v, want %v", key, v, want)
			}
		}
		s := pack.Service
		if v := figure(t, s.Figures, "tickets"); v == nil || *v != 2 {
			t.Errorf("tickets: %v", v)
		}
		if v := figure(t, s.Figures, "resolution_met"); v == nil || *v != 50 {
			t.Errorf("resolution within SLA: %v, want 50", v)
		}
		if v := figure(t, s.Figures, "satisfaction"); v != nil {
			t.Errorf("satisfaction without ratings: %v, want no data", *v)
		}
		if len(s.Problems) != 1 || len(s.Policies) != 4 || pack.Registry {
			t.Errorf("problems %+v, SLA policies %d, registry %v", s.Problems, len(s.Policies), pack.Registry)
		}
		if len(spbe.Tables("id", time.UTC, pack)) != 14 {
			t.Errorf("tables: want 14")
		}
	})
}

func TestTheRegistrysRegulationsComeFirstAndOnlyTheCityReadsThePack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := spbe.NewService(d, helpdesk.NewService(d), time.UTC)
		signed := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		var asked time.Time
		svc.SetPolicies(func(_ context.Context, _ db.Querier, at time.Time) ([]spbe.Policy, error) {
			asked = at
			return []spbe.Policy{{Indicator: spbe.ServiceManagement, Kind: "Perwali", Number: "12/2024",
				Title: "Layanan bantuan TIK 24 jam", Signed: &signed, Issuer: "Wali Kota Makassar"},
				{Kind: "Perwali", Number: "7/2023", Title: "Sistem Pemerintahan Berbasis Elektronik Kota Makassar"}}, nil
		})
		p, _ := period.Parse("2025-Q2", time.UTC)
		pack, err := svc.Evidence(context.Background(), expert, p, "id")
		if err != nil {
			t.Fatal(err)
		}
		if !pack.Registry || len(pack.Service.Policies) != 6 || pack.Service.Policies[0].Number != "12/2024" ||
			pack.Service.Policies[1].Number != "7/2023" {
			t.Errorf("policies: %+v", pack.Service.Policies)
		}
		if k := pack.Knowledge.Policies; len(k) != 2 || k[0].Number != "7/2023" || k[0].Indicator != spbe.KnowledgeManagement {
			t.Errorf("a regulation for every indicator is listed under knowledge too: %+v", k)
		}
		if !asked.Before(p.End) || asked.Before(p.End.Add(-time.Minute)) {
			t.Errorf("the registry was asked about %v, want the period's last moment", asked)
		}
		head := &policy.Actor{AccountID: 2, AgencyID: 1, Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: 1}}}
		if _, err := svc.Evidence(context.Background(), head, p, "id"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an agency head: %v, want Forbidden", err)
		}
		if _, err := svc.Period("2025-Q5"); !errs.Is(err, errs.Invalid) {
			t.Errorf("a bad period: %v, want Invalid", err)
		}
	})
}

func TestAPastPeriodReadsTheRulesAndHeadcountAtItsEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seed(t, d)
		later := time.Date(2026, 2, 10, 3, 0, 0, 0, time.UTC) // after the period
		agency := dbtest.Agency(t, d, "BKPSDM", "Badan Kepegawaian", "badan")
		// Left in January 2026: active at the end of 2025. Left in March 2025: not.
		for i, ended := range []string{"2026-01-10", "2025-03-01"} {
			emp, _ := dbtest.Person(t, d, agency, "Mantan "+string(rune('A'+i)), "mantan"+string(rune('a'+i))+"@bkpsdm.go.id")
			exec(t, d, `UPDATE employees SET active = FALSE, end_reason = 'retired', ended_on = $1 WHERE id = $2`, ended, emp)
		}
		// The framework's version 3 and a new competency, and an article
		// published and another withdrawn, all after the period.
		exec(t, d, `INSERT INTO competency_framework_revisions (framework_id, version, name, note, created_at)
			SELECT id, 3, 'Kerangka baru', 'Ganti nama', $1 FROM competency_frameworks`, later)
		exec(t, d, `UPDATE competency_frameworks SET version = 3, name = 'Kerangka baru'`)
		c2 := dbtest.Competency(t, d, "SRIKANDI-OP", "Mengoperasikan Srikandi")
		exec(t, d, `UPDATE competencies SET created_at = $1 WHERE id = $2`, later, c2)
		var acc int64
		if err := d.R.QueryRow(`SELECT MIN(id) FROM accounts`).Scan(&acc); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Baru", "Baru lagi"} {
			fresh := insert(t, d, `INSERT INTO articles (title, status, created_at, updated_at) VALUES ($1, 'published', $2, $2)
				RETURNING id`, title, later)
			exec(t, d, `INSERT INTO article_events (article_id, from_status, to_status, actor_account_id, created_at)
				VALUES ($1, 'review', 'published', $2, $3)`, fresh, acc, later)
		}
		exec(t, d, `UPDATE articles SET status = 'draft' WHERE title = 'Cara posting SPJ di SIPD'`)
		exec(t, d, `INSERT INTO article_events (article_id, from_status, to_status, actor_account_id, created_at)
			SELECT id, 'published', 'draft', $1, $2 FROM articles WHERE title = 'Cara posting SPJ di SIPD'`, acc, later)

		svc := spbe.NewService(d, helpdesk.NewService(d), time.UTC)
		p, _ := period.Parse("2025", time.UTC)
		pack, err := svc.Evidence(context.Background(), expert, p, "en")
		if err != nil {
			t.Fatal(err)
		}
		c := pack.Competence
		if len(c.Frameworks) != 1 || c.Frameworks[0].Version != 2 || c.Frameworks[0].Name != "Test" || c.Frameworks[0].Competencies != 1 {
			t.Errorf("frameworks at the end of 2025: %+v; want Test, version 2, one competency", c.Frameworks)
		}
		for key, want := range map[string]float64{"employees_active": 3, "competencies": 1} {
			if v := figure(t, c.Figures, key); v == nil || *v != want {
				t.Errorf("%s: %v, want %v", key, v, want)
			}
		}
		if v := figure(t, c.Figures, "jp_per_employee"); v == nil || *v < 5.3 || *v > 5.4 {
			t.Errorf("jp per employee: %v, want 16 over the 3 active at the period's end", v)
		}
		if v := figure(t, pack.Knowledge.Figures, "articles_live"); v == nil || *v != 2 {
			t.Errorf("articles live at the end of 2025: %v, want 2 (not the two published since; the one withdrawn since)", v)
		}
		var text string
		for _, pol := range append(pack.Service.Policies, pack.Knowledge.Policies...) {
			text += pol.Title + "\n"
		}
		if n := strings.Count(text, "as of generation"); n != 5 {
			t.Errorf("the SLA policies and the reviewers are labelled as of generation %d times, want 5:\n%s", n, text)
		}
	})
}
