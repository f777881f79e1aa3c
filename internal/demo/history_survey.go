package demo

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/survey"
)

// surveys draws the LO survey of the history: surveysPerYear closed
// campaigns a year (one per half-year, the last closed half first back),
// each over every agency, every employee invited, each agency answering
// at surveyRateMin–surveyRateMax. As the survey stores them: invitations
// know who answered, responses do not — they carry only their agency,
// in an order that has nothing to do with the invitations' — and an
// agency with fewer than survey.MinGroup answers is pooled (its responses
// without the agency, with its type only when five or more pooled share
// it), as closing a campaign leaves it. Each agency's learning culture per
// dimension holds across campaigns and rises a little over the years, and
// one person's answers hang together, so the scores, their change and
// their reliability look like a real survey's.
func (h *history) surveys(ctx context.Context) error {
	instrument := h.instrument
	rows, err := h.s.query(ctx, `SELECT id FROM survey_items WHERE instrument_id = $1 ORDER BY position`, instrument)
	if err != nil {
		return fmt.Errorf("demo: survey items: %w", err)
	}
	items := make([]int64, len(rows))
	for i, r := range rows {
		items[i] = asInt(r[0])
	}
	everyone := map[int64][]int64{}
	types := map[int64]string{}
	for _, a := range h.ds.Agencies {
		types[a.ID] = a.Type
	}
	for _, e := range h.ds.Employees {
		everyone[e.AgencyID] = append(everyone[e.AgencyID], e.ID)
	}
	var agencies []int64
	for _, a := range h.ds.Agencies {
		if len(everyone[a.ID]) > 0 {
			agencies = append(agencies, a.ID)
		}
	}
	culture := map[int64][]float64{}
	for _, a := range agencies {
		base := 3.0 + h.r.Float64()*1.6
		dims := make([]float64, len(survey.Dimensions))
		for i := range dims {
			dims[i] = base + h.r.NormFloat64()*0.35
		}
		culture[a] = dims
	}
	p := period.Of(h.now.In(cityZone()), period.Half).Previous()
	var halves []period.Period
	for range surveysPerYear * historyYears {
		halves = append(halves, p)
		p = p.Previous()
	}
	slices.Reverse(halves)
	for i, p := range halves {
		lift := 0.4 * float64(i) / float64(len(halves))
		if err := h.campaign(ctx, instrument, items, p, agencies, everyone, types, culture, lift); err != nil {
			return fmt.Errorf("demo: survey %s: %w", p.Label, err)
		}
	}
	return nil
}

// campaign writes one closed campaign with its agencies, invitations,
// responses and answers.
func (h *history) campaign(ctx context.Context, instrument int64, items []int64, p period.Period, agencies []int64,
	everyone map[int64][]int64, types map[int64]string, culture map[int64][]float64, lift float64) error {
	closes := p.End.AddDate(0, 0, -10).UTC()
	opens := closes.AddDate(0, 0, -21)
	id := h.id("survey_campaigns")
	err := h.write(ctx, "survey_campaigns", []string{"id", "instrument_id", "title", "period", "status", "opens_at",
		"closes_at", "created_at", "updated_at"}, 1, func(_ int, a []any) []any {
		return append(a, id, instrument, "Survei organisasi pembelajar "+p.Label, p.Label, "closed", opens, closes,
			opens, closes)
	})
	if err == nil {
		err = h.write(ctx, "survey_campaign_agencies", []string{"campaign_id", "agency_id", "agency_type"}, len(agencies),
			func(i int, a []any) []any { return append(a, id, agencies[i], types[agencies[i]]) })
	}
	if err != nil {
		return err
	}
	// Who answered: quota people of each agency, drawn at random.
	var answered []int64 // one agency id per response
	quota := map[int64]int{}
	for _, a := range agencies {
		rate := surveyRateMin + h.r.Float64()*(surveyRateMax-surveyRateMin)
		quota[a] = int(math.Round(rate * float64(len(everyone[a]))))
		for range quota[a] {
			answered = append(answered, a)
		}
	}
	if err := h.invitations(ctx, id, opens, agencies, everyone, quota); err != nil {
		return err
	}
	h.r.Shuffle(len(answered), func(i, j int) { answered[i], answered[j] = answered[j], answered[i] })
	pooled := map[string]int{}
	for a, n := range quota {
		if n < survey.MinGroup {
			pooled[types[a]] += n
		}
	}
	first := h.ids["survey_responses"] + 1
	h.ids["survey_responses"] += int64(len(answered))
	err = h.write(ctx, "survey_responses", []string{"id", "campaign_id", "agency_id", "agency_type"}, len(answered),
		func(i int, a []any) []any {
			agency := answered[i]
			if quota[agency] >= survey.MinGroup {
				return append(a, first+int64(i), id, agency, "")
			}
			typ := ""
			if pooled[types[agency]] >= survey.MinGroup {
				typ = types[agency]
			}
			return append(a, first+int64(i), id, nil, typ)
		})
	if err != nil {
		return err
	}
	// The answers, response by response, drawn as they are written.
	resp, item, person := 0, 0, 0.0
	h.counts["survey_answers"] += len(answered) * len(items)
	return h.s.copy(ctx, "survey_answers", []string{"response_id", "item_id", "value"}, func(a []any) ([]any, bool) {
		if resp == len(answered) {
			return a, false
		}
		if item == 0 {
			person = h.r.NormFloat64() * 0.6
		}
		v := culture[answered[resp]][item/3%len(survey.Dimensions)] + lift + person + h.r.NormFloat64()*0.55
		a = append(a, first+int64(resp), items[item], int(math.Max(1, math.Min(6, math.Round(v)))))
		if item++; item == len(items) {
			item, resp = 0, resp+1
		}
		return a, true
	})
}

// invitations writes one invitation per person of each agency, the first
// quota of them (in a random order) answered. Their tokens were never
// sent: the hashes are of nothing anyone holds.
func (h *history) invitations(ctx context.Context, campaign int64, at time.Time, agencies []int64,
	everyone map[int64][]int64, quota map[int64]int) error {
	ag, k := 0, 0
	var people []int64
	token := make([]byte, 32)
	return h.s.copy(ctx, "survey_invitations", []string{"id", "campaign_id", "employee_id", "agency_id", "token_hash",
		"answered", "created_at"}, func(a []any) ([]any, bool) {
		for people == nil || k == len(people) {
			if people != nil {
				ag++
			}
			if ag == len(agencies) {
				return a, false
			}
			people, k = slices.Clone(everyone[agencies[ag]]), 0
			h.r.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
		}
		for i := 0; i < len(token); i += 8 {
			v := h.r.Uint64()
			for b := range 8 {
				token[i+b] = byte(v >> (8 * b))
			}
		}
		h.counts["survey_invitations"]++
		a = append(a, h.id("survey_invitations"), campaign, people[k], agencies[ag], hex.EncodeToString(token),
			k < quota[agencies[ag]], at)
		k++
		return a, true
	})
}
