package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/survey"
)

// On PostgreSQL a row's xmin is the transaction that wrote it: held answers
// must not share theirs with exactly one invitation, or the join names who
// gave them.
func TestHeldAnswersShareNoTransactionIDWithOneInvitation(t *testing.T) {
	// xmin is PostgreSQL's: the test runs there only.
	d := dbtest.Postgres(t)
	ctx := context.Background()
	s := survey.NewService(d, wita)
	a := dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
	_, ins, toks := campaign(t, d, s, map[int64]int{a: 3})
	for i, tok := range toks[:2] {
		if err := s.Submit(ctx, tok, 0, answers(ins, func(int) int { return 2 + i })); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, d, `SELECT count(*) FROM survey_pending`); n != 2 {
		t.Fatalf("held %d, want 2", n)
	}
	if n := loneXmins(t, d, "survey_pending"); n != 0 {
		t.Errorf("%d held answers share their xmin with one invitation alone", n)
	}
}

// loneXmins counts the rows of table whose xmin (PostgreSQL's id of the
// transaction that wrote them) exactly one invitation carries too: each
// such row names who it came from.
func loneXmins(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	return count(t, d, `SELECT count(*) FROM (SELECT r.id FROM `+table+` r
		JOIN survey_invitations v ON v.xmin::text = r.xmin::text GROUP BY r.id HAVING count(DISTINCT v.id) = 1) x`)
}

// Nor may moved responses: the move writes them in a transaction of its
// own, whose id no invitation may carry alone, and answers after a move
// are held as before.
func TestMovedResponsesShareNoTransactionIDWithOneInvitation(t *testing.T) {
	d := dbtest.Postgres(t)
	ctx := context.Background()
	s := survey.NewService(d, wita)
	a := dbtest.Agency(t, d, "KEC-TALLO", "Kecamatan Tallo", "kecamatan")
	_, ins, toks := campaign(t, d, s, map[int64]int{a: 7})
	for i, tok := range toks {
		if i == survey.MinGroup {
			if err := s.Move(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Submit(ctx, tok, 0, answers(ins, func(int) int { return 1 + i%6 })); err != nil {
			t.Fatal(err)
		}
	}
	if held, moved := count(t, d, `SELECT count(*) FROM survey_pending`), count(t, d, `SELECT count(*) FROM survey_responses`); held != 2 || moved != survey.MinGroup {
		t.Fatalf("held %d, moved %d; want 2 and %d", held, moved, survey.MinGroup)
	}
	for _, table := range []string{"survey_pending", "survey_responses"} {
		if n := loneXmins(t, d, table); n != 0 {
			t.Errorf("%d rows of %s share their xmin with one invitation alone", n, table)
		}
	}
}

// A close waits for answers in flight, and an answer after it is refused:
// nothing is held for, or moved into, a campaign whose results show.
func TestAnAnswerRacingTheCloseIsRefused(t *testing.T) {
	// SQLite's writers take turns, so its answers cannot race the close: the test runs on PostgreSQL only.
	d := dbtest.Postgres(t)
	ctx := context.Background()
	s := survey.NewService(d, wita)
	a := dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
	c, ins, toks := campaign(t, d, s, map[int64]int{a: 2})
	closing, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = closing.Rollback() }()
	if _, err := closing.Exec(`UPDATE survey_campaigns SET status = 'closed' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Submit(ctx, toks[0], 0, answers(ins, func(int) int { return 3 })) }()
	select {
	case err := <-done:
		t.Fatalf("the answer did not wait for the close: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := closing.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; errs.CodeOf(err) != errs.Conflict {
		t.Errorf("answer after the close = %v, want a conflict", err)
	}
	if n := count(t, d, `SELECT count(*) FROM survey_pending`) + count(t, d, `SELECT count(*) FROM survey_invitations WHERE answered`); n != 0 {
		t.Errorf("the refused answer left %d rows", n)
	}
}

// Answers held for a closed campaign (from before answers locked it) are
// dropped by the job, never moved into results already shown.
func TestHeldAnswersOfAClosedCampaignAreNeverMoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		a := dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
		c, _, _ := campaign(t, d, s, map[int64]int{a: 1})
		if _, err := s.CloseCampaign(ctx, executive(), c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`INSERT INTO survey_pending (id, campaign_id, agency_id, answers) VALUES (42, $1, $2, '1:3')`, c.ID, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Move(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_pending`) + count(t, d, `SELECT count(*) FROM survey_responses`); n != 0 {
			t.Errorf("%d rows after the job, want the late answer dropped", n)
		}
	})
}

// The city's survey figure comes from a campaign over every agency there
// was when it opened, never from a later pilot over a few.
func TestLOScoresTakesTheCityFromACampaignOverTheWholeCity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		big := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		other := dbtest.Agency(t, d, "KEC-TAMALATE", "Kecamatan Tamalate", "kecamatan")
		soon := time.Now().UTC().AddDate(0, 0, 20) // opens after the agencies were made
		whole := dbtest.LOCampaign(t, d, "2026-Q4", soon, map[int64][]int{big: {4, 4, 4, 4, 4}, other: {4, 4, 4, 4, 4}})
		pilot := dbtest.LOCampaign(t, d, "2027-Q1", soon.AddDate(0, 1, 0), map[int64][]int{big: {6, 6, 6, 6, 6, 6}})
		got, err := survey.LOScores(context.Background(), d.R, soon.AddDate(0, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got[big].CampaignID != pilot || got[other].CampaignID != whole {
			t.Errorf("agencies = %+v", got)
		}
		if c := got[survey.City]; c.CampaignID != whole || c.Respondents != 10 || c.Suppressed {
			t.Errorf("city = %+v, want the campaign over both agencies", c)
		}
		if _, err := d.W.Exec(`DELETE FROM survey_campaigns WHERE id = $1`, whole); err != nil {
			t.Fatal(err)
		}
		only, err := survey.LOScores(context.Background(), d.R, soon.AddDate(0, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := only[survey.City]; ok {
			t.Errorf("city from a pilot = %+v, want no city figure", c)
		}
	})
}

// Five or more pooled responses of one type keep their type: the type's
// figure counts them, no agency does.
func TestPooledResponsesKeepTheirTypeWhereFiveShareIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		big := dbtest.Agency(t, d, "DISKES", "Dinas Kesehatan", "dinas")
		kec := []int64{dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan"),
			dbtest.Agency(t, d, "KEC-UJUNG", "Kecamatan Ujung Pandang", "kecamatan"),
			dbtest.Agency(t, d, "KEC-TALLO", "Kecamatan Tallo", "kecamatan")}
		c, ins, _ := campaign(t, d, s, map[int64]int{big: 6, kec[0]: 3, kec[1]: 3, kec[2]: 3})
		byAgency := map[int64][]string{}
		rows, err := d.R.Query(`SELECT e.agency_id, n.link FROM notifications n JOIN accounts a ON a.id = n.account_id
			JOIN employees e ON e.id = a.employee_id WHERE n.kind = 'survey.invited'`)
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
		give := append(append(append(byAgency[big], byAgency[kec[0]][:2]...), byAgency[kec[1]][:2]...), byAgency[kec[2]][:1]...)
		for _, tok := range give {
			if err := s.Submit(ctx, tok, 0, answers(ins, func(int) int { return 4 })); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CloseCampaign(ctx, executive(), c.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM survey_responses WHERE agency_id IS NULL AND agency_type = 'kecamatan'`); n != 5 {
			t.Errorf("pooled with their type: %d, want 5", n)
		}
		r, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{AgencyType: "kecamatan"}, "id")
		if err != nil || r.Suppressed || r.Respondents != 5 || r.Answered != 5 {
			t.Errorf("kecamatan type = %+v, %v", r, err)
		}
		for _, a := range kec {
			if r, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{AgencyID: &a}, "id"); err != nil || !r.Suppressed {
				t.Errorf("kecamatan %d = %+v, %v", a, r, err)
			}
		}
		if r, err := s.GroupResults(ctx, executive(), c.ID, survey.Filter{}, "id"); err != nil || r.Suppressed || r.Respondents != 11 {
			t.Errorf("city = %+v, %v", r, err)
		}
	})
}
