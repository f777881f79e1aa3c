package survey_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/survey"
)

// A closed campaign's results are those of its answers and invitations:
// each item's mean, each dimension's, Cronbach's alpha, the change from the
// campaign before and the turnout, per agency and for the city. They are
// read from the figures kept at the close; for a campaign closed before
// those were kept, from the answers and invitations themselves until the
// survey job keeps its figures.
func TestResultsAreThoseOfTheAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := survey.NewService(d, wita)
		big, other, small := threeAgencies(t, d)
		agencies := []int64{big, other, small}
		first, ins, _ := campaign(t, d, s, map[int64]int{big: 8, other: 7, small: 5})
		people, err := db.IDs(ctx, d.R, `SELECT id FROM employees ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(29, 11))
		answerAll := func(c int64) {
			for _, e := range people {
				base := 1 + rng.IntN(6) // one's answers go together, as a dimension's should
				err := s.SubmitMine(ctx, &policy.Actor{EmployeeID: e}, c, answers(ins, func(int) int {
					return min(6, max(1, base+rng.IntN(3)-1))
				}))
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.CloseCampaign(ctx, executive(), c); err != nil {
				t.Fatal(err)
			}
		}
		answerAll(first.ID)
		today := time.Now().In(wita)
		second, err := s.CreateCampaign(ctx, executive(), survey.CampaignInput{Period: "2026-Q4", AgencyIDs: agencies,
			OpensOn: today.Format(time.DateOnly), ClosesOn: today.AddDate(0, 0, 7).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.OpenCampaign(ctx, executive(), second.ID); err != nil {
			t.Fatal(err)
		}
		answerAll(second.ID)

		check := func(when string) {
			t.Helper()
			before, after := answersOf(t, d, first.ID), answersOf(t, d, second.ID)
			for _, f := range []survey.Filter{{}, {AgencyID: &big}, {AgencyID: &other}, {AgencyID: &small}, {AgencyType: "dinas"}} {
				r, err := s.GroupResults(ctx, executive(), second.ID, f, "id")
				if err != nil || r.Suppressed {
					t.Fatalf("%s: results of %+v: %+v, %v", when, f, r, err)
				}
				in := func(a int64) bool {
					return f.AgencyID != nil && a == *f.AgencyID || f.AgencyID == nil && (f.AgencyType == "" || a != small)
				}
				want, was := after.of(in), before.of(in)
				if r.Respondents != len(want) {
					t.Errorf("%s: %+v has %d respondents, the answers %d", when, f, r.Respondents, len(want))
				}
				// Everyone invited answered, and the invitations say so.
				if r.Invited != len(want) || r.Answered != len(want) {
					t.Errorf("%s: %+v invited %d, answered %d; want %d each", when, f, r.Invited, r.Answered, len(want))
				}
				for _, dim := range r.Dimensions {
					var ids []int64
					for _, it := range dim.Items {
						ids = append(ids, it.ItemID)
						if m := mean(want, it.ItemID); math.Abs(it.Mean-m) > 1e-9 {
							t.Errorf("%s: %+v item %d mean %v, the answers' %v", when, f, it.ItemID, it.Mean, m)
						}
					}
					if m := mean(want, ids...); math.Abs(dim.Score-m) > 1e-9 {
						t.Errorf("%s: %+v %s score %v, the answers' %v", when, f, dim.Key, dim.Score, m)
					}
					// Rounded to three places: a tie (…5) may round either way
					// with the order of the sums.
					if a := cronbach(want, ids); dim.Alpha == nil || math.Abs(*dim.Alpha-a) > 0.0005+1e-9 {
						t.Errorf("%s: %+v %s alpha %v, the answers' %v", when, f, dim.Key, ptr(dim.Alpha), a)
					}
					if c := mean(want, ids...) - mean(was, ids...); dim.Change == nil || math.Abs(*dim.Change-c) > 1e-9 {
						t.Errorf("%s: %+v %s change %v, the answers' %v", when, f, dim.Key, dim.Change, c)
					}
				}
			}
		}
		kept := map[string]int{}
		for _, table := range []string{"survey_moments", "survey_participation"} {
			if kept[table] = count(t, d, `SELECT count(*) FROM `+table+` WHERE campaign_id = $1`, second.ID); kept[table] == 0 {
				t.Fatalf("nothing kept in %s at the close", table)
			}
		}
		check("kept at the close")
		for table := range kept {
			if _, err := d.W.Exec(`DELETE FROM `+table+` WHERE campaign_id = $1`, second.ID); err != nil {
				t.Fatal(err)
			}
		}
		check("closed before figures were kept")
		if err := s.Tick(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		for table, n := range kept {
			if got := count(t, d, `SELECT count(*) FROM `+table+` WHERE campaign_id = $1`, second.ID); got != n {
				t.Errorf("the job kept %d rows in %s, the close %d", got, table, n)
			}
		}
		check("kept by the job")
	})
}

// answer is one response's agency and values by item.
type answer struct {
	agency int64
	values map[int64]float64
}

// answered is a campaign's responses.
type answered []answer

// answersOf reads the responses of campaign.
func answersOf(t *testing.T, d *db.DB, campaign int64) answered {
	t.Helper()
	rows, err := d.R.Query(`SELECT r.id, r.agency_id, a.item_id, a.value FROM survey_responses r
		JOIN survey_answers a ON a.response_id = r.id WHERE r.campaign_id = $1 ORDER BY r.id`, campaign)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out answered
	last := int64(-1)
	for rows.Next() {
		var id, agency, item int64
		var v float64
		if err := rows.Scan(&id, &agency, &item, &v); err != nil {
			t.Fatal(err)
		}
		if id != last {
			out = append(out, answer{agency, map[int64]float64{}})
			last = id
		}
		out[len(out)-1].values[item] = v
	}
	return out
}

// of keeps the responses of agencies in.
func (a answered) of(in func(int64) bool) answered {
	return slices.DeleteFunc(slices.Clone(a), func(r answer) bool { return !in(r.agency) })
}

// mean is the mean of the values given to items.
func mean(a answered, items ...int64) float64 {
	sum := 0.0
	for _, r := range a {
		for _, it := range items {
			sum += r.values[it]
		}
	}
	return sum / float64(len(a)*len(items))
}

// cronbach is Cronbach's alpha of items over the responses (see
// survey.CronbachOfValues).
func cronbach(a answered, items []int64) float64 {
	rows := make([][]float64, len(a))
	for i, r := range a {
		for _, it := range items {
			rows[i] = append(rows[i], r.values[it])
		}
	}
	alpha, _ := survey.CronbachOfValues(rows)
	return alpha
}

// ptr is what p points to, or nil.
func ptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
