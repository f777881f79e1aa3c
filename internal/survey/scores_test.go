package survey_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/survey"
)

func TestLOScoresTakesTheLatestClosedCampaignAndHidesSmallGroups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		big := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		small := dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
		other := dbtest.Agency(t, d, "KEC-TAMALATE", "Kecamatan Tamalate", "kecamatan")
		old := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
		dbtest.LOCampaign(t, d, "2026-Q1", old, map[int64][]int{big: {1, 1, 1, 1, 1}})
		recent := dbtest.LOCampaign(t, d, "2026-Q2", old.AddDate(0, 3, 0), map[int64][]int{big: {6, 5, 5, 4, 5, 5}, small: {6, 6, 6}, other: {5, 5}})
		dbtest.LOCampaign(t, d, "2026-Q4", old.AddDate(0, 9, 0), map[int64][]int{big: {2, 2, 2, 2, 2}})

		got, err := survey.LOScores(context.Background(), d.R, old.AddDate(0, 4, 0))
		if err != nil {
			t.Fatal(err)
		}
		b := got[big]
		if b.CampaignID != recent || b.Respondents != 6 || b.Suppressed || len(b.Dimensions) != 7 {
			t.Fatalf("big agency = %+v, want the Q2 campaign's 6 respondents over 7 dimensions", b)
		}
		if m := b.Dimensions[survey.StrategicLeadership]; m != 5 {
			t.Errorf("mean = %v, want 5", m)
		}
		if s := got[small]; !s.Suppressed || s.Respondents != 3 || len(s.Dimensions) != 0 {
			t.Errorf("3 respondents = %+v, want suppressed with no scores", s)
		}
		c := got[survey.City]
		if c.CampaignID != recent || c.Respondents != 11 || c.Suppressed {
			t.Fatalf("city = %+v", c)
		}
		if m := c.Dimensions[survey.ContinuousLearning]; m < 5.27 || m > 5.28 {
			t.Errorf("city mean = %v, want 58/11", m)
		}
		none, err := survey.LOScores(context.Background(), d.R, old.Add(-time.Hour))
		if err != nil || len(none) != 0 {
			t.Errorf("before any campaign closed: %v, %v", none, err)
		}
	})
}

func TestLOScoresHidesAnAgencyTheCityTotalWouldGiveAway(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		big := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		small := dbtest.Agency(t, d, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
		closes := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		dbtest.LOCampaign(t, d, "2026-Q2", closes, map[int64][]int{big: {6, 5, 5, 4, 5, 5}, small: {1, 1, 1}})
		got, err := survey.LOScores(context.Background(), d.R, closes)
		if err != nil {
			t.Fatal(err)
		}
		// The city (9) minus the agency of 6 would be the 3 of Mariso.
		if b := got[big]; !b.Suppressed || len(b.Dimensions) != 0 || b.Respondents != 6 {
			t.Errorf("big agency = %+v, want hidden beside the city total", b)
		}
		if c := got[survey.City]; c.Suppressed || c.Respondents != 9 {
			t.Errorf("city = %+v, want shown", c)
		}
	})
}

// The city's figure comes from the latest campaign over the whole city even
// when pilots since have made another campaign every agency's latest.
func TestLOScoresReadsTheCityCampaignThoughNoAgencysLatest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		b := dbtest.Agency(t, d, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		closed := time.Now().Add(-30 * 24 * time.Hour)
		whole := dbtest.LOCampaign(t, d, "2026-Q2", closed, map[int64][]int{a: {5, 5, 5, 5, 5}, b: {3, 3, 3, 3, 3}})
		dbtest.LOCampaign(t, d, "2026-Q3", closed.Add(24*time.Hour), map[int64][]int{a: {6, 6, 6, 6, 6}})
		dbtest.LOCampaign(t, d, "2026-Q3", closed.Add(48*time.Hour), map[int64][]int{b: {2, 2, 2, 2, 2}})

		got, err := survey.LOScores(context.Background(), d.R, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		c := got[survey.City]
		if c.CampaignID != whole || c.Suppressed || c.Respondents != 10 || c.Dimensions[survey.TeamLearning] != 4 {
			t.Errorf("city = %+v, want the whole city's campaign: 10 respondents, mean 4", c)
		}
	})
}
