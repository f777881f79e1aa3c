package survey

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Scores is one group's result of an LO campaign: how many answered and,
// when the group is published, the mean (1..6) of each dimension's items.
// Respondents is shown for hidden groups too: who answered is
// participation, public as the response rate; for a hidden agency it counts
// its answered invitations, since its responses may be pooled without it.
type Scores struct {
	CampaignID  int64
	Period      string
	Respondents int
	// Suppressed says fewer than MinGroup answered, or the group is hidden
	// so that no published figures subtract to a smaller group (see
	// suppress): Dimensions is empty, however the group was reached.
	Suppressed bool
	Dimensions map[string]float64
}

// City is the key of the whole city's scores in LOScores' answer.
const City int64 = 0

// LOScores returns, for each agency, the scores of the latest closed
// campaign of the LO instrument that included it and closed by until, and
// under City the scores of the latest such campaign that covered the whole
// city: every agency that existed when it was created (a pilot over a few
// agencies is not the city's figure; no such campaign, no City entry).
// Agencies no closed campaign reached are absent. This is what the LO index
// reads; it shows nothing of a group under MinGroup. Pooled responses
// (stored without their agency) count towards the city only.
func LOScores(ctx context.Context, q db.Querier, until time.Time) (map[int64]Scores, error) {
	latest, cityCampaign, err := latestCampaigns(ctx, q, until)
	if err != nil || len(latest) == 0 {
		return map[int64]Scores{}, err
	}
	ids := make([]int64, 0, len(latest))
	seen := map[int64]bool{}
	for _, c := range latest {
		if !seen[c.id] {
			seen[c.id] = true
			ids = append(ids, c.id)
		}
	}
	if cityCampaign.id != 0 && !seen[cityCampaign.id] {
		ids = append(ids, cityCampaign.id) // over the whole city, though no agency's latest
	}
	groups, err := aggregate(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	cells, err := cellsOf(ctx, q, ids, groups)
	if err != nil {
		return nil, err
	}
	answered, err := answeredBy(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Scores, len(latest)+1)
	for agency, c := range latest {
		k := groupKey{c.id, agency}
		sc := groups[k].scores(c, cells[c.id].Agency[agency])
		if n, ok := answered[k]; ok && sc.Suppressed {
			// A hidden agency's responses may be pooled without it; how many
			// answered there is participation, shown as everywhere else.
			sc.Respondents = n
		}
		out[agency] = sc
	}
	if cityCampaign.id != 0 {
		var city group
		for k, g := range groups {
			if k.campaign == cityCampaign.id {
				city.add(g)
			}
		}
		out[City] = city.scores(cityCampaign, cells[cityCampaign.id].City)
	}
	return out, nil
}

// cellsOf decides, per campaign, which groups are published, by the same
// rule as the results pages (suppress), with the agencies' types as each
// campaign opened: the index must not show a group that the city total
// minus the agencies shown would give away.
func cellsOf(ctx context.Context, q db.Querier, campaigns []int64, groups map[groupKey]group) (map[int64]Cells, error) {
	n := map[int64]map[int64]int{}
	for k, g := range groups {
		if n[k.campaign] == nil {
			n[k.campaign] = map[int64]int{}
		}
		n[k.campaign][k.agency] += g.respondents
	}
	out := map[int64]Cells{}
	for _, c := range campaigns {
		types, err := campaignTypes(ctx, q, c)
		if err != nil {
			return nil, err
		}
		counts := n[c]
		for a := range counts {
			if a <= 0 {
				types[a] = poolType(a)
			}
		}
		out[c] = suppress(counts, types)
	}
	return out, nil
}

// answeredBy counts who answered, per campaign and agency.
func answeredBy(ctx context.Context, q db.Querier, campaigns []int64) (map[groupKey]int, error) {
	turnout, err := participation(ctx, q, campaigns)
	if err != nil {
		return nil, err
	}
	out := map[groupKey]int{}
	for k, t := range turnout {
		if t.answered > 0 {
			out[k] = t.answered
		}
	}
	return out, nil
}

type groupKey struct{ campaign, agency int64 }

// group sums a group's answers per dimension.
type group struct {
	respondents int
	sum, count  map[string]int
}

func (g *group) add(o group) {
	if g.sum == nil {
		g.sum, g.count = map[string]int{}, map[string]int{}
	}
	g.respondents += o.respondents
	for k, v := range o.sum {
		g.sum[k] += v
		g.count[k] += o.count[k]
	}
}

// scores are the group's means, or nothing when it is not published.
func (g group) scores(c campaignRef, published bool) Scores {
	s := Scores{CampaignID: c.id, Period: c.period, Respondents: g.respondents, Dimensions: map[string]float64{}}
	if g.respondents < MinGroup || !published {
		s.Suppressed = true
		return s
	}
	for k, n := range g.count {
		if n > 0 {
			s.Dimensions[k] = float64(g.sum[k]) / float64(n)
		}
	}
	return s
}

// aggregate sums the answers of the campaigns per agency and dimension,
// from their moments (kept at the close, see loadMoments).
func aggregate(ctx context.Context, q db.Querier, campaigns []int64) (map[groupKey]group, error) {
	in, args := db.InList(campaigns)
	rows, err := q.QueryContext(ctx, `SELECT id, dimension FROM survey_items
		WHERE instrument_id IN (SELECT instrument_id FROM survey_campaigns WHERE id IN (`+in+`))`, args...)
	if err != nil {
		return nil, fmt.Errorf("survey: items: %w", err)
	}
	dimOf := map[int64]string{}
	for rows.Next() {
		var id int64
		var dim string
		if err := rows.Scan(&id, &dim); err != nil {
			rows.Close()
			return nil, fmt.Errorf("survey: items: %w", err)
		}
		dimOf[id] = dim
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("survey: items: %w", err)
	}
	out := map[groupKey]group{}
	for _, c := range campaigns {
		groups, _, err := loadMoments(ctx, q, c)
		if err != nil {
			return nil, err
		}
		for key, m := range groups {
			g := group{respondents: m.respondents(), sum: map[string]int{}, count: map[string]int{}}
			for item, v := range m.items {
				g.sum[dimOf[item]] += int(v.total)
				g.count[dimOf[item]] += int(v.n)
			}
			out[groupKey{c, key}] = g
		}
	}
	return out, nil
}

// groupAgency is a response's agency, or its pool's key (see poolID).
func groupAgency(agency sql.NullInt64, typ string) int64 {
	if agency.Valid {
		return agency.Int64
	}
	return poolID(typ)
}
