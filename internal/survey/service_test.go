package survey_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
)

var wita = time.FixedZone("WITA", 8*3600)

// executive leads the city.
func executive() *policy.Actor {
	return &policy.Actor{AccountID: 0, Label: "test", Grants: []policy.Grant{{Role: policy.Executive}}}
}

// tokens reads the one-time links the invitations sent, by account.
func tokens(t testing.TB, d *db.DB) map[int64]string {
	t.Helper()
	rows, err := d.R.Query(`SELECT account_id, link FROM notifications WHERE kind = 'survey.invited'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var a int64
		var link string
		if err := rows.Scan(&a, &link); err != nil {
			t.Fatal(err)
		}
		_, tok, _ := strings.Cut(link, "token=")
		out[a] = tok
	}
	return out
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// threeAgencies makes two dinas and a kecamatan: big, other and small.
func threeAgencies(t *testing.T, d *db.DB) (big, other, small int64) {
	t.Helper()
	return dbtest.Agency(t, d, "DISKES", "Dinas Kesehatan", "dinas"),
		dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas"),
		dbtest.Agency(t, d, "KEC-UJUNG", "Kecamatan Ujung Pandang", "kecamatan")
}

func answers(ins survey.Instrument, value func(i int) int) []survey.Answer {
	var out []survey.Answer
	for i, it := range ins.Items {
		out = append(out, survey.Answer{ItemID: it.ID, Value: value(i)})
	}
	return out
}

// campaign opens an LO campaign over the agencies, with people persons in
// each, and returns it, the instrument and each person's token.
func campaign(t *testing.T, d *db.DB, s *survey.Service, people map[int64]int) (survey.Campaign, survey.Instrument, []string) {
	t.Helper()
	ctx := context.Background()
	if _, err := survey.EnsureLO(ctx, d); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var accounts []int64
	for a, n := range people {
		ids = append(ids, a)
		for i := range n {
			_, acc := dbtest.Person(t, d, a, fmt.Sprintf("Nur'aini %d-%d", a, i), fmt.Sprintf("p%d-%d@example.id", a, i))
			accounts = append(accounts, acc)
		}
	}
	today := time.Now().In(wita).Format(time.DateOnly)
	c, err := s.CreateCampaign(ctx, executive(), survey.CampaignInput{Period: "2026-Q3", AgencyIDs: ids, OpensOn: today,
		ClosesOn: time.Now().In(wita).AddDate(0, 0, 7).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = s.OpenCampaign(ctx, executive(), c.ID); err != nil {
		t.Fatal(err)
	}
	ins, err := s.Instruments(ctx, executive())
	if err != nil || len(ins) != 1 || len(ins[0].Items) != 21 {
		t.Fatalf("instruments %v, %v", ins, err)
	}
	tok := tokens(t, d)
	var list []string
	for _, a := range accounts {
		list = append(list, tok[a])
	}
	return c, ins[0], list
}

func TestAnsweringStoresAllOrNothingAndOnlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		a := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		c, ins, toks := campaign(t, d, s, map[int64]int{a: 2})
		if c.Status != survey.Open || c.Invited != 2 || len(toks) != 2 || toks[0] == "" {
			t.Fatalf("campaign %+v, tokens %v", c, toks)
		}
		good := answers(ins, func(i int) int { return 1 + i%6 })
		for _, tc := range []struct {
			name  string
			token string
			given []survey.Answer
			code  errs.Code
		}{
			{"value over 6", toks[0], answers(ins, func(i int) int { return 7 }), errs.Invalid},
			{"value 0", toks[0], answers(ins, func(i int) int { return 0 }), errs.Invalid},
			{"incomplete", toks[0], good[:20], errs.Invalid},
			{"duplicate item", toks[0], append(good[:20:20], good[0]), errs.Invalid},
			{"unknown item", toks[0], append(good[:21:21], survey.Answer{ItemID: 999999, Value: 3}), errs.Invalid},
			{"forged token", "bukan-token-yang-benar", good, errs.NotFound},
			{"empty token", "", good, errs.NotFound},
		} {
			if err := s.Submit(ctx, tc.token, 0, tc.given); errs.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if n := count(t, d, `SELECT count(*) FROM survey_pending`) + count(t, d, `SELECT count(*) FROM survey_invitations WHERE answered`); n != 0 {
			t.Fatalf("bad answers stored %d rows", n)
		}
		if err := s.Submit(ctx, toks[0], c.ID+1, good); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("token of another campaign: %v", err)
		}
		if err := s.Submit(ctx, toks[0], c.ID, good); err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, toks[0], 0, good); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("reused token: %v", err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_pending`); n != 1 {
			t.Errorf("held %d, want 1", n)
		}
		if n := count(t, d, `SELECT count(*) FROM audit_log WHERE entity LIKE 'survey%' AND action NOT IN ('create','open','close')`); n != 0 {
			t.Errorf("answering wrote %d audit rows", n)
		}
		if _, err := s.CloseCampaign(ctx, executive(), c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, toks[1], 0, good); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("closed campaign: %v", err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_answers`); n != 21 {
			t.Errorf("answers %d, want 21 after the close moved them", n)
		}
	})
}

func TestHeldAnswersMoveInGroupsOfFiveAndResultsWaitForTheClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		big, other, small := threeAgencies(t, d)
		c, ins, _ := campaign(t, d, s, map[int64]int{big: 6, other: 5, small: 2})
		byAgency := map[int64][]string{}
		rows, err := d.R.Query(`SELECT e.agency_id, n.link FROM notifications n JOIN accounts a ON a.id = n.account_id
			JOIN employees e ON e.id = a.employee_id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a int64
			var link string
			if err := rows.Scan(&a, &link); err != nil {
				t.Fatal(err)
			}
			_, tok, _ := strings.Cut(link, "token=")
			byAgency[a] = append(byAgency[a], tok)
		}
		rows.Close()
		for i, tok := range byAgency[big] { // three items per dimension: 4,5,6 shifted by the person
			if err := s.Submit(ctx, tok, 0, answers(ins, func(j int) int { return 1 + (i+j%3)%6 })); err != nil {
				t.Fatal(err)
			}
		}
		for _, tok := range append(byAgency[other][:4], byAgency[small][:1]...) {
			if err := s.Submit(ctx, tok, 0, answers(ins, func(int) int { return 4 })); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Tick(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_responses`); n != 6 {
			t.Errorf("moved %d responses, want the 6 of the agency that reached five", n)
		}
		r, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{}, "id")
		if err != nil || !r.Suppressed || r.Dimensions != nil || r.Answered != 11 || r.Invited != 13 {
			t.Fatalf("open campaign's results = %+v, %v", r, err)
		}
		if _, err := s.CloseCampaign(ctx, executive(), c.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_pending`); n != 0 {
			t.Errorf("%d answers still held after the close", n)
		}
		city, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{}, "en")
		if err != nil || city.Suppressed || city.Respondents != 11 || len(city.Dimensions) != 7 {
			t.Fatalf("city = %+v, %v", city, err)
		}
		b, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{AgencyID: &big}, "id")
		if err != nil || b.Suppressed || b.Respondents != 6 {
			t.Fatalf("big = %+v, %v", b, err)
		}
		d0 := b.Dimensions[0]
		if d0.Alpha == nil || d0.AlphaN != 6 || d0.Score < 1 || d0.Score > 6 || len(d0.Items) != 3 {
			t.Errorf("dimension = %+v", d0)
		}
		// Dinas Pendidikan has 4 and the kecamatan 1: at the close both
		// are pooled, stored without their agency, and without their type
		// since fewer than five pooled responses share either; so the
		// invitations (who answered where) tie no one to a response. Both
		// agencies are hidden, the kecamatan type too; the dinas type is
		// Kesehatan's 6 alone, and the city (11) minus the published (6) is
		// the pool of 5: enough.
		if n := count(t, d, fmt.Sprintf(`SELECT count(*) FROM survey_responses WHERE agency_id IN (%d, %d)`, other, small)); n != 0 {
			t.Errorf("%d responses of groups under five kept their agency", n)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_responses WHERE agency_id IS NULL AND agency_type = ''`); n != 5 {
			t.Errorf("pooled without a type: %d, want 5", n)
		}
		for _, f := range []survey.Filter{{AgencyID: &other}, {AgencyID: &small}, {AgencyType: "kecamatan"}} {
			r, err := s.GroupResults(ctx, executive(), c.ID, f, "id")
			if err != nil || !r.Suppressed || r.Dimensions != nil || r.Respondents != 0 || !strings.Contains(r.Reason, "5") {
				t.Errorf("%+v = %+v, %v", f, r, err)
			}
		}
		// The index shows how many answered a hidden agency (participation)
		// though its responses are pooled without it, and no scores.
		sc, err := survey.LOScores(ctx, d.R, time.Now().Add(time.Minute))
		if o := sc[other]; err != nil || !o.Suppressed || o.Respondents != 4 || len(o.Dimensions) != 0 {
			t.Errorf("LO index input of the hidden agency = %+v, %v", o, err)
		}
		// An admin changing an agency's type afterwards changes nothing:
		// the types are those the campaign opened with.
		if _, err := d.W.Exec(`UPDATE agencies SET type = 'kecamatan' WHERE id = $1`, big); err != nil {
			t.Fatal(err)
		}
		for _, typ := range []string{"dinas", "kecamatan"} {
			r, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{AgencyType: typ}, "id")
			if err != nil || r.Suppressed != (typ == "kecamatan") || typ == "dinas" && r.Respondents != 6 {
				t.Errorf("%s type after the agency's type changed = %+v, %v", typ, r, err)
			}
		}
		head := &policy.Actor{Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: small}}}
		if _, err := s.GroupResults(ctx, head, c.ID, survey.Filter{AgencyID: &big}, "id"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another agency's head: %v", err)
		}
		if _, err := s.GroupResults(ctx, head, c.ID, survey.Filter{}, "id"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a head reading the city: %v", err)
		}
		ov, err := s.Overview(ctx, head, c.ID, "id")
		if err != nil || ov.City != nil || ov.Types != nil || len(ov.Agencies) != 1 || ov.Agencies[0].Group.AgencyID != small {
			t.Errorf("a head's overview = %+v, %v", ov, err)
		}
		if _, err := s.Overview(ctx, &policy.Actor{EmployeeID: 1}, c.ID, "id"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an employee's overview: %v", err)
		}
		// The page's table for the city: hidden groups carry no numbers.
		full, _ := s.Overview(ctx, executive(), c.ID, "id")
		tabs := full.Tables("id")
		for _, row := range tabs[0].Rows {
			if row[0].Text == "Dinas Pendidikan" && (row[1].Text != "disembunyikan" || row[3].Text != "—") {
				t.Errorf("hidden row = %+v", row)
			}
		}
	})
}

func TestTheJobOpensClosesAndRemindsOnTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		if _, err := survey.EnsureLO(ctx, d); err != nil {
			t.Fatal(err)
		}
		a := dbtest.Agency(t, d, "BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan")
		_, acc := dbtest.Person(t, d, a, "Andi Dottoro'ta", "andi@example.id")
		_, other := dbtest.Person(t, d, a, "Ä Nur'aini", "nur@example.id")
		y, m, dd := time.Now().In(wita).AddDate(0, 0, 1).Date()
		day := time.Date(y, m, dd, 0, 0, 0, 0, wita) // tomorrow: answers are checked against the real clock
		c, err := s.CreateCampaign(ctx, executive(), survey.CampaignInput{Period: "2026-Q4", AgencyIDs: []int64{a},
			OpensOn: day.Format(time.DateOnly), ClosesOn: day.AddDate(0, 0, 7).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Tick(ctx, day.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Campaign(ctx, executive(), c.ID); got.Status != survey.Draft {
			t.Fatalf("before its first day: %s", got.Status)
		}
		if err := s.Tick(ctx, day.Add(8*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Campaign(ctx, executive(), c.ID); got.Status != survey.Open || got.Invited != 2 {
			t.Fatalf("on its first day: %+v", got)
		}
		// Nur'aini answers; three days before the close Andi is reminded, once.
		var ins survey.Instrument
		list, _ := s.Instruments(ctx, executive())
		ins = list[0]
		if err := s.SubmitMine(ctx, &policy.Actor{EmployeeID: employeeOf(t, d, other)}, c.ID, answers(ins, func(int) int { return 4 })); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := s.Tick(ctx, day.AddDate(0, 0, 5)); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, d, `SELECT count(*) FROM notifications WHERE kind = 'survey.reminder' AND account_id = $1`, acc); n != 1 {
			t.Errorf("reminders to the one who has not answered: %d, want 1", n)
		}
		if n := count(t, d, `SELECT count(*) FROM notifications WHERE kind = 'survey.reminder' AND account_id = $1`, other); n != 0 {
			t.Errorf("reminders to the one who answered: %d", n)
		}
		if err := s.Tick(ctx, day.AddDate(0, 0, 8)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Campaign(ctx, executive(), c.ID); got.Status != survey.Closed {
			t.Fatalf("after its last day: %s", got.Status)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_responses WHERE campaign_id = $1`, c.ID); n != 1 {
			t.Errorf("the close moved %d responses, want 1", n)
		}
	})
}

func employeeOf(t *testing.T, d *db.DB, account int64) int64 {
	t.Helper()
	var e int64
	if err := d.R.QueryRow(`SELECT employee_id FROM accounts WHERE id = $1`, account).Scan(&e); err != nil {
		t.Fatal(err)
	}
	return e
}
