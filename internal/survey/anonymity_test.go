package survey_test

import (
	"context"
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
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine() != db.Postgres {
			t.Skip("xmin is PostgreSQL's")
		}
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
		if n := count(t, d, `SELECT count(*) FROM (SELECT p.id FROM survey_pending p
			JOIN survey_invitations v ON v.xmin::text = p.xmin::text GROUP BY p.id HAVING count(DISTINCT v.id) = 1) x`); n != 0 {
			t.Errorf("%d held answers share their xmin with one invitation alone", n)
		}
	})
}

// A close waits for answers in flight, and an answer after it is refused:
// nothing is held for, or moved into, a campaign whose results show.
func TestAnAnswerRacingTheCloseIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine() != db.Postgres {
			t.Skip("SQLite's writers take turns: its answers cannot race the close")
		}
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
	})
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
