package competency_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// gapCity is a small city for gap tests: two agencies, an application with
// its operating competency, two general competencies, a position.
type gapCity struct {
	d                  *db.DB
	dinas, camat       int64 // agencies
	app                int64
	literasi, keamanan int64 // general competencies
	sipd               int64 // sipd.operasi
	analis             int64 // a position
}

func newGapCity(t *testing.T, d *db.DB) gapCity {
	t.Helper()
	c := gapCity{d: d}
	c.dinas = dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	c.camat = dbtest.Agency(t, d, "KEC-TAMALATE", "Kecamatan Tamalate", "kecamatan")
	c.literasi = dbtest.Competency(t, d, "literasi-digital", "Literasi digital")
	c.keamanan = dbtest.Competency(t, d, "keamanan-informasi", "Kesadaran keamanan informasi")
	now := time.Now().UTC()
	var err error
	c.app, err = db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at,
		updated_at) VALUES ('sipd', 'SIPD', $1, 'active', $2, $2) RETURNING id`, c.dinas, now)
	must(t, err)
	c.sipd = dbtest.Competency(t, d, "sipd.operasi", "Mengoperasikan SIPD")
	c.exec(t, `UPDATE competencies SET app_id = $1, app_use = 'operate' WHERE id = $2`, c.app, c.sipd)
	c.analis, err = db.InsertID(context.Background(), d.W, `INSERT INTO positions (name, created_at) VALUES ('Analis Data', $1)
		RETURNING id`, now)
	must(t, err)
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (c gapCity) exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := c.d.W.Exec(q, args...); err != nil {
		t.Fatalf("%.60s: %v", q, err)
	}
}

// person adds someone to agency with the position (0: none) and returns
// their employee and account ids.
func (c gapCity) person(t testing.TB, agency int64, name string, position int64) (int64, int64) {
	t.Helper()
	var n int
	must(t, c.d.R.QueryRow(`SELECT COUNT(*) FROM employees`).Scan(&n))
	emp, acct := dbtest.Person(t, c.d, agency, name, fmt.Sprintf("orang%d@makassarkota.go.id", n+1))
	if position != 0 {
		c.exec(t, `UPDATE employees SET position_id = $1 WHERE id = $2`, position, emp)
	}
	return emp, acct
}

// require adds a requirement: kind is "position", "role" or "app".
func (c gapCity) require(t testing.TB, comp int64, level int, kind string, what any, agency int64) {
	t.Helper()
	c.exec(t, fmt.Sprintf(`INSERT INTO competency_requirements (competency_id, level, %s_id, agency_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, kind), comp, level, what, db.NullID(agency), time.Now().UTC())
}

func (c gapCity) requireRole(t testing.TB, comp int64, level int, role string, agency int64) {
	t.Helper()
	c.exec(t, `INSERT INTO competency_requirements (competency_id, level, role, agency_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, comp, level, role, db.NullID(agency), time.Now().UTC())
}

// evidence records a level through RecordEvidence, as every part does.
func (c gapCity) evidence(t testing.TB, e competency.Evidence) {
	t.Helper()
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	must(t, c.d.Tx(context.Background(), func(tx *sql.Tx) error { return competency.RecordEvidence(context.Background(), tx, e) }))
}

func TestHeldLevelsFollowAssessments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newGapCity(t, d)
		emp, _ := c.person(t, c.dinas, "Nur'aini", c.analis)
		c.require(t, c.literasi, 3, "position", c.analis, 0)
		svc := competency.NewGapService(d)
		gapOf := func() competency.Gap {
			t.Helper()
			gaps, _, err := svc.PersonGaps(context.Background(), policy.SystemActor("test"), emp, true, db.Page{})
			must(t, err)
			if len(gaps) != 1 {
				t.Fatalf("%d gaps, want 1: %+v", len(gaps), gaps)
			}
			return gaps[0]
		}
		if g := gapOf(); g.CurrentLevel != 0 || g.Gap != 3 {
			t.Fatalf("before any evidence: %+v", g)
		}
		// A self-assessment is shown, never counted.
		c.evidence(t, competency.Evidence{EmployeeID: emp, CompetencyID: c.literasi, Level: 4, Source: competency.SourceSelf})
		if g := gapOf(); g.CurrentLevel != 0 || g.SelfLevel == nil || *g.SelfLevel != 4 {
			t.Fatalf("after self-assessment: %+v", g)
		}
		// A certificate at level 4 that lapsed yesterday does not count; a
		// supervisor's level 2 does.
		c.exec(t, `UPDATE competencies SET validity_months = 12 WHERE id = $1`, c.literasi)
		c.evidence(t, competency.Evidence{EmployeeID: emp, CompetencyID: c.literasi, Level: 4, Source: competency.SourceCertificate,
			EvidenceKind: "certificate", EvidenceRef: "ABCD", At: time.Now().UTC().AddDate(-1, 0, -1)})
		c.evidence(t, competency.Evidence{EmployeeID: emp, CompetencyID: c.literasi, Level: 2, Source: competency.SourceSupervisor})
		if g := gapOf(); g.CurrentLevel != 2 || g.Gap != 1 || g.LapsesAt == nil {
			t.Fatalf("after a lapsed certificate and a supervisor's level: %+v", g)
		}
		// A session at level 3 closes the gap.
		c.evidence(t, competency.Evidence{EmployeeID: emp, CompetencyID: c.literasi, Level: 3, Source: competency.SourceSession,
			EvidenceKind: "session", EvidenceRef: "12"})
		if g := gapOf(); g.CurrentLevel != 3 || g.Gap != 0 {
			t.Fatalf("after a session: %+v", g)
		}
		gaps, _, err := svc.PersonGaps(context.Background(), policy.SystemActor("test"), emp, false, db.Page{})
		must(t, err)
		if len(gaps) != 0 {
			t.Errorf("gaps listed after closing: %+v", gaps)
		}
	})
}

func TestPersonGapsRankedWithReasonsAndProposals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		emp, acct := c.person(t, c.dinas, "Dottoro'ta", c.analis)
		dbtest.Grant(t, d, acct, "operator", c.dinas)
		c.exec(t, `UPDATE role_grants SET app_id = $1 WHERE account_id = $2`, c.app, acct)
		c.require(t, c.literasi, 2, "position", c.analis, 0)
		c.require(t, c.sipd, 4, "app", c.app, 0)
		c.requireRole(t, c.keamanan, 3, "operator", c.dinas)
		c.requireRole(t, c.keamanan, 4, "operator", c.camat) // another agency's: not theirs
		c.evidence(t, competency.Evidence{EmployeeID: emp, CompetencyID: c.sipd, Level: 1, Source: competency.SourceTrainer})

		// Proposals: an activity reaching level 4 in SIPD, one reaching only
		// 2, an upcoming event, a past one, a cancelled one.
		now := time.Now().UTC()
		act := func(title string, comp int64, level int) {
			id, err := db.InsertID(ctx, d.W, `INSERT INTO activities (kind, title, jp, created_at, updated_at)
				VALUES ('course', $1, 8, $2, $2) RETURNING id`, title, now)
			must(t, err)
			c.exec(t, `INSERT INTO activity_competencies (activity_id, competency_id, level) VALUES ($1, $2, $3)`, id, comp, level)
		}
		act("Kursus SIPD lanjutan", c.sipd, 4)
		act("Pengenalan SIPD", c.sipd, 2)
		event := func(title string, starts time.Time, cancelled bool) int64 {
			id := dbtest.Event(t, d, title, 30, 16)
			c.exec(t, `UPDATE events SET starts_at = $1, ends_at = $2 WHERE id = $3`, starts, starts.Add(8*time.Hour), id)
			if cancelled {
				c.exec(t, `UPDATE events SET cancelled_at = $1 WHERE id = $2`, now, id)
			}
			c.exec(t, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, 4)`, id, c.sipd)
			return id
		}
		upcoming := event("Bimtek SIPD Desember", now.Add(72*time.Hour), false)
		event("Bimtek SIPD lalu", now.Add(-72*time.Hour), false)
		event("Bimtek SIPD batal", now.Add(96*time.Hour), true)

		gaps, next, err := competency.NewGapService(d).PersonGaps(ctx, policy.SystemActor("test"), emp, false, db.Page{})
		must(t, err)
		if next != "" || len(gaps) != 3 {
			t.Fatalf("gaps %+v next %q, want 3 on one page", gaps, next)
		}
		// Ranked by levels lacking: SIPD 3, security 3 (required 3), literacy 2.
		want := []struct {
			code        string
			gap, req    int
			reasonKinds string
		}{{"sipd.operasi", 3, 4, "app"}, {"keamanan-informasi", 3, 3, "role"}, {"literasi-digital", 2, 2, "position"}}
		for i, w := range want {
			g := gaps[i]
			if g.Competency.Code != w.code || g.Gap != w.gap || g.RequiredLevel != w.req {
				t.Errorf("gap %d: %s short %d of %d, want %s short %d of %d", i, g.Competency.Code, g.Gap, g.RequiredLevel,
					w.code, w.gap, w.req)
			}
			if len(g.RequiredBy) != 1 || g.RequiredBy[0].Kind != w.reasonKinds {
				t.Errorf("%s required by %+v, want one %s", w.code, g.RequiredBy, w.reasonKinds)
			}
		}
		if r := gaps[0].RequiredBy[0]; r.Name != "SIPD" {
			t.Errorf("app requirement named %q, want SIPD", r.Name)
		}
		if r := gaps[2].RequiredBy[0]; r.Name != "Analis Data" {
			t.Errorf("position requirement named %q", r.Name)
		}
		props := gaps[0].Proposals
		if len(props) != 2 || props[0].Kind != "event" || props[0].ID != upcoming || props[1].Title != "Kursus SIPD lanjutan" {
			t.Errorf("proposals for SIPD: %+v, want the upcoming event then the level-4 course", props)
		}
		if props[0].URL != fmt.Sprintf("/pelatihan/acara/%d", upcoming) {
			t.Errorf("event link %q", props[0].URL)
		}
	})
}

func TestAgencyAndCityRankWhoLacksWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		c.require(t, c.literasi, 3, "position", c.analis, 0)
		c.require(t, c.keamanan, 2, "position", c.analis, c.camat) // only in the kecamatan
		var dinasPeople []int64
		for i := range 3 {
			emp, _ := c.person(t, c.dinas, fmt.Sprintf("Pegawai Dinas %d", i), c.analis)
			dinasPeople = append(dinasPeople, emp)
		}
		camat, _ := c.person(t, c.camat, "Pegawai Camat", c.analis)
		c.person(t, c.camat, "Tanpa Jabatan", 0)
		gone, _ := c.person(t, c.dinas, "Sudah Pensiun", c.analis)
		c.exec(t, `UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, gone)
		c.evidence(t, competency.Evidence{EmployeeID: dinasPeople[0], CompetencyID: c.literasi, Level: 3, Source: competency.SourceTest})
		c.evidence(t, competency.Evidence{EmployeeID: dinasPeople[1], CompetencyID: c.literasi, Level: 2, Source: competency.SourceTest})
		svc, actor := competency.NewGapService(d), policy.SystemActor("test")

		items, _, err := svc.AgencyGaps(ctx, actor, c.dinas, db.Page{})
		must(t, err)
		if len(items) != 1 || items[0].Competency.Code != "literasi-digital" || items[0].People != 3 || items[0].Lacking != 2 ||
			items[0].LevelsShort != 4 || items[0].ShortBy != [4]int{1, 0, 1, 0} {
			t.Fatalf("dinas: %+v", items)
		}
		city, _, err := svc.CityGaps(ctx, actor, db.Page{})
		must(t, err)
		if len(city) != 2 || city[0].Competency.Code != "literasi-digital" || city[0].Lacking != 3 || city[1].Lacking != 1 {
			t.Fatalf("city: %+v", city)
		}
		agencies, _, err := svc.CityAgencies(ctx, actor, db.Page{})
		must(t, err)
		if len(agencies) != 2 || agencies[0].Agency.Code != "KEC-TAMALATE" || agencies[0].LevelsShort != 5 ||
			agencies[1].Agency.Code != "DISKOMINFO" || agencies[1].LevelsShort != 4 {
			t.Fatalf("agencies: %+v", agencies)
		}
		// Who lacks what, a page of two at a time, through the cursor.
		var rows []competency.PersonGapRow
		p := db.Page{Limit: 2}
		for {
			page, next, err := svc.CityPeople(ctx, actor, competency.GapFilter{}, p)
			must(t, err)
			rows = append(rows, page...)
			if next == "" {
				break
			}
			p.After = next
		}
		if len(rows) != 4 || rows[0].Employee.ID != dinasPeople[2] || rows[0].Gap != 3 || rows[1].Employee.ID != camat ||
			rows[1].Employee.Name != "Pegawai Camat" || rows[3].Gap != 1 {
			t.Fatalf("people: %+v", rows)
		}
		code := "keamanan-informasi"
		only, _, err := svc.AgencyPeople(ctx, actor, c.camat, competency.GapFilter{Competency: &code}, db.Page{})
		must(t, err)
		if len(only) != 1 || only[0].Employee.ID != camat || only[0].Competency.Code != code {
			t.Fatalf("kecamatan lacking %s: %+v", code, only)
		}
		bad := "tidak-ada"
		if _, _, err := svc.CityPeople(ctx, actor, competency.GapFilter{Competency: &bad}, db.Page{}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("unknown competency: %v, want invalid", err)
		}
		if _, _, err := svc.CityPeople(ctx, actor, competency.GapFilter{}, db.Page{After: "garbage!"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("bad cursor: %v, want invalid", err)
		}
		if _, _, err := svc.AgencyGaps(ctx, actor, 999_999, db.Page{}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown agency: %v, want not found", err)
		}
	})
}

func TestHelpdeskProcedureTicketsShowANeedToOperate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		now := time.Now().UTC()
		var reporters []int64
		for i := range 3 {
			_, acct := c.person(t, c.dinas, fmt.Sprintf("Pelapor %d", i), 0)
			reporters = append(reporters, acct)
		}
		operator, opAcct := c.person(t, c.dinas, "Operator SIPD", 0)
		dbtest.Grant(t, d, opAcct, "operator", c.dinas)
		c.exec(t, `UPDATE role_grants SET app_id = $1 WHERE account_id = $2`, c.app, opAcct)
		skilled, skilledAcct := c.person(t, c.dinas, "Sudah Mahir", 0)
		c.evidence(t, competency.Evidence{EmployeeID: skilled, CompetencyID: c.sipd, Level: 3, Source: competency.SourceTrainer})
		file := func(acct, agency int64, category string, ago time.Duration) {
			c.exec(t, `INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id, agency_id, priority, status,
				first_response_due, resolution_due, created_at, updated_at)
				VALUES ('Cara input anggaran?', $1, 'web', $2, $3, $4, 'normal', 'open', $5, $5, $5, $5)`,
				acct, category, c.app, agency, now.Add(-ago))
		}
		svc, actor := competency.NewGapService(d), policy.SystemActor("test")
		signalled := func(agency int64) *competency.CompetencyGap {
			items, _, err := svc.AgencyGaps(ctx, actor, agency, db.Page{})
			must(t, err)
			for i := range items {
				if items[i].Competency.Code == "sipd.operasi" && len(items[i].Helpdesk) > 0 {
					return &items[i]
				}
			}
			return nil
		}
		// Four procedure tickets from three people, plus noise that does not
		// count: another category, a ticket older than the window.
		for i := range 4 {
			file(reporters[i%3], c.dinas, "procedure", time.Duration(i+1)*24*time.Hour)
		}
		file(reporters[0], c.dinas, "application", time.Hour)
		file(reporters[1], c.dinas, "procedure", 100*24*time.Hour)
		if g := signalled(c.dinas); g != nil {
			t.Fatalf("signal below the threshold: %+v", g)
		}
		file(skilledAcct, c.dinas, "procedure", time.Hour) // the fifth, by a fourth person
		g := signalled(c.dinas)
		if g == nil {
			t.Fatal("no signal after five procedure tickets from four people")
		}
		if h := g.Helpdesk[0]; h.Tickets != 5 || h.Reporters != 4 || h.AgencyID != c.dinas || h.Days != 90 {
			t.Errorf("signal %+v", h)
		}
		// The three reporters and the operator lack level 3; the skilled one does not.
		if g.Lacking != 4 || g.Inferred != 4 || g.RequiredLevel != competency.HelpdeskLevel {
			t.Errorf("lacking %d inferred %d at level %d, want 4, 4, %d", g.Lacking, g.Inferred, g.RequiredLevel, competency.HelpdeskLevel)
		}
		if signalled(c.camat) != nil {
			t.Error("another agency shows the signal")
		}
		gaps, _, err := svc.PersonGaps(ctx, actor, operator, false, db.Page{})
		must(t, err)
		if len(gaps) != 1 || gaps[0].Helpdesk == nil || gaps[0].Gap != competency.HelpdeskLevel || len(gaps[0].RequiredBy) != 0 {
			t.Errorf("operator's gaps: %+v", gaps)
		}
	})
}

func TestGapsAreSeenByThoseWhoMay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		boss, bossAcct := c.person(t, c.dinas, "Kepala Bidang", 0)
		staff, staffAcct := c.person(t, c.dinas, "Staf", 0)
		c.exec(t, `UPDATE employees SET supervisor_id = $1 WHERE id = $2`, boss, staff)
		other, otherAcct := c.person(t, c.camat, "Staf Camat", 0)
		_, adminAcct := c.person(t, c.dinas, "Admin Dinas", 0)
		_, expertAcct := c.person(t, c.dinas, "Tim Ahli", 0)
		actor := func(acct, emp, agency int64, grants ...policy.Grant) *policy.Actor {
			return &policy.Actor{AccountID: acct, EmployeeID: emp, AgencyID: agency, Grants: grants}
		}
		staffA := actor(staffAcct, staff, c.dinas, policy.Grant{Role: policy.Employee, AgencyID: c.dinas})
		bossA := actor(bossAcct, boss, c.dinas, policy.Grant{Role: policy.Employee, AgencyID: c.dinas})
		otherA := actor(otherAcct, other, c.camat, policy.Grant{Role: policy.Employee, AgencyID: c.camat})
		adminA := actor(adminAcct, 0, c.dinas, policy.Grant{Role: policy.AgencyAdmin, AgencyID: c.dinas})
		expertA := actor(expertAcct, 0, c.dinas, policy.Grant{Role: policy.Expert})
		svc := competency.NewGapService(d)
		person := func(a *policy.Actor, emp int64) errs.Code {
			_, _, err := svc.PersonGaps(ctx, a, emp, false, db.Page{})
			return codeOf(err)
		}
		agency := func(a *policy.Actor, id int64) errs.Code {
			_, _, err := svc.AgencyGaps(ctx, a, id, db.Page{})
			return codeOf(err)
		}
		city := func(a *policy.Actor) errs.Code {
			_, _, err := svc.CityGaps(ctx, a, db.Page{})
			return codeOf(err)
		}
		for _, tc := range []struct {
			name string
			got  errs.Code
			want errs.Code
		}{
			{"own gaps", person(staffA, staff), ""},
			{"direct supervisor", person(bossA, staff), ""},
			{"not one's supervisor", person(staffA, boss), errs.Forbidden},
			{"another agency's person", person(otherA, staff), errs.Forbidden},
			{"agency admin, own agency's person", person(adminA, staff), ""},
			{"agency admin, another agency's person", person(adminA, other), errs.Forbidden},
			{"agency admin, own agency", agency(adminA, c.dinas), ""},
			{"agency admin, another agency", agency(adminA, c.camat), errs.Forbidden},
			{"employee, own agency", agency(staffA, c.dinas), errs.Forbidden},
			{"expert, any agency", agency(expertA, c.camat), ""},
			{"expert, the city", city(expertA), ""},
			{"agency admin, the city", city(adminA), errs.Forbidden},
			{"nobody signed in", city(nil), errs.Unauthorized},
			{"unknown person", person(expertA, 999_999), errs.NotFound},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
			}
		}
	})
}

func codeOf(err error) errs.Code {
	if err == nil {
		return ""
	}
	return errs.CodeOf(err)
}

func TestConcurrentEvidenceForOnePersonKeepsEveryLevel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		emp, _ := c.person(t, c.dinas, "Nur'aini", c.analis)
		var comps []int64
		for i := range 16 {
			id := dbtest.Competency(t, d, fmt.Sprintf("k-%d", i), fmt.Sprintf("Kompetensi %d", i))
			c.require(t, id, 2, "position", c.analis, 0)
			comps = append(comps, id)
		}
		errc := make(chan error, len(comps))
		for _, comp := range comps {
			go func() {
				errc <- d.Tx(ctx, func(tx *sql.Tx) error {
					return competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: emp, CompetencyID: comp, Level: 2,
						Source: competency.SourceTrainer, At: time.Now().UTC()})
				})
			}()
		}
		for range comps {
			must(t, <-errc)
		}
		gaps, _, err := competency.NewGapService(d).PersonGaps(ctx, policy.SystemActor("test"), emp, false, db.Page{})
		must(t, err)
		if len(gaps) != 0 {
			t.Errorf("%d competencies lost their level: %+v", len(gaps), gaps[0].Competency)
		}
	})
}
