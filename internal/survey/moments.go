package survey

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"slices"

	"github.com/lontara-id/lontara/internal/db"
)

// moment is what results need of a set of values: how many, their sum and
// the sum of their squares. The moments of two groups add up to those of
// both, so a campaign keeps each agency's and adds them up per group shown.
type moment struct{ n, total, squares int64 }

func (m *moment) add(o moment) {
	m.n += o.n
	m.total += o.total
	m.squares += o.squares
}

// variance is the sample variance of the values, its numerator exact (a
// big integer: n times the squares outgrows 64 bits for a large city's
// long dimensions), so values all alike give 0 exactly; 0 for fewer than
// two.
func (m moment) variance() float64 {
	if m.n < 2 {
		return 0
	}
	num := new(big.Int).Mul(big.NewInt(m.n), big.NewInt(m.squares))
	num.Sub(num, new(big.Int).Mul(big.NewInt(m.total), big.NewInt(m.total)))
	f, _ := new(big.Float).SetInt(num).Float64()
	return f / (float64(m.n) * float64(m.n-1))
}

// moments are one group's: of each item's values, and of each dimension's
// totals, one per response, over the dimension's items.
type moments struct {
	items map[int64]moment
	dims  map[string]moment
}

func newMoments() moments { return moments{items: map[int64]moment{}, dims: map[string]moment{}} }

// add adds o's moments to m's.
func (m moments) add(o moments) {
	for k, v := range o.items {
		m.addItem(k, v)
	}
	for k, v := range o.dims {
		m.addDim(k, v)
	}
}

func (m moments) addItem(item int64, v moment) {
	x := m.items[item]
	x.add(v)
	m.items[item] = x
}

func (m moments) addDim(dim string, v moment) {
	x := m.dims[dim]
	x.add(v)
	m.dims[dim] = x
}

// respondents is how many responses the moments are of: each answers
// every item, so every dimension counts them all.
func (m moments) respondents() int {
	var n int64
	for _, d := range m.dims {
		n = max(n, d.n)
	}
	return int(n)
}

// momentsSQL computes the moments of campaign $1's answers per agency (0:
// a pool of responses stored without one, named by agency_type): each
// item's, and each dimension's of the totals per response.
const momentsSQL = `SELECT r.campaign_id, COALESCE(r.agency_id, 0) AS agency_id, r.agency_type, a.item_id, '' AS dimension,
		count(*) AS n, CAST(sum(a.value) AS BIGINT) AS total, CAST(sum(CAST(a.value AS BIGINT) * a.value) AS BIGINT) AS squares
	FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
	WHERE r.campaign_id = $1 GROUP BY r.campaign_id, r.agency_id, r.agency_type, a.item_id
	UNION ALL
	SELECT campaign_id, agency_id, agency_type, 0, dimension, count(*), CAST(sum(t) AS BIGINT), CAST(sum(t * t) AS BIGINT)
	FROM (SELECT r.campaign_id, COALESCE(r.agency_id, 0) AS agency_id, r.agency_type, i.dimension, sum(a.value) AS t
		FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id JOIN survey_items i ON i.id = a.item_id
		WHERE r.campaign_id = $1 GROUP BY r.id, r.campaign_id, r.agency_id, r.agency_type, i.dimension) x
	GROUP BY campaign_id, agency_id, agency_type, dimension`

// keepFigures keeps what campaign's results are computed from, final once
// it closes: the moments of its answers (survey_moments) and each agency's
// participation (survey_participation). Its results are then read from a
// few rows a group, not from every answer and invitation.
func keepFigures(ctx context.Context, tx *sql.Tx, campaign int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_moments
		(campaign_id, agency_id, agency_type, item_id, dimension, n, total, squares) `+momentsSQL, campaign); err != nil {
		return fmt.Errorf("survey: keep moments of %d: %w", campaign, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_participation (campaign_id, agency_id, invited, answered)
		SELECT campaign_id, agency_id, count(*), sum(CASE WHEN answered THEN 1 ELSE 0 END) FROM survey_invitations
		WHERE campaign_id = $1 GROUP BY campaign_id, agency_id`, campaign); err != nil {
		return fmt.Errorf("survey: keep participation of %d: %w", campaign, err)
	}
	return nil
}

// keepMissingFigures keeps the figures of each closed campaign with
// invitations and none kept, one transaction each: campaigns closed before
// figures were kept at the close. The campaign's row is held, so two nodes
// keep them once.
func (s *Service) keepMissingFigures(ctx context.Context) error {
	const missing = `c.status = 'closed' AND EXISTS (SELECT 1 FROM survey_invitations v WHERE v.campaign_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM survey_participation p WHERE p.campaign_id = c.id)`
	due, err := db.IDs(ctx, s.db.R, `SELECT c.id FROM survey_campaigns c WHERE `+missing+` ORDER BY c.id`)
	if err != nil {
		return fmt.Errorf("survey: campaigns without figures: %w", err)
	}
	for _, id := range due {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := db.HoldRow(ctx, tx, "survey_campaigns", id); err != nil {
				return err
			}
			still, err := db.IDs(ctx, tx, `SELECT c.id FROM survey_campaigns c WHERE c.id = $1 AND `+missing, id)
			if err != nil || len(still) == 0 {
				return err
			}
			return keepFigures(ctx, tx, id)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// turnout is how many of a group were invited and how many answered.
type turnout struct{ invited, answered int }

// participation returns each agency's turnout in campaigns: as kept at the
// close (keepFigures), or counted from the invitations for a campaign with
// none kept (open, or not yet kept by keepMissingFigures).
func participation(ctx context.Context, q db.Querier, campaigns []int64) (map[groupKey]turnout, error) {
	out := map[groupKey]turnout{}
	if len(campaigns) == 0 {
		return out, nil
	}
	kept := map[int64]bool{}
	read := func(sqlText string, args []any) error {
		rows, err := q.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return fmt.Errorf("survey: participation: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k groupKey
			var t turnout
			if err := rows.Scan(&k.campaign, &k.agency, &t.invited, &t.answered); err != nil {
				return fmt.Errorf("survey: participation: %w", err)
			}
			out[k] = t
			kept[k.campaign] = true
		}
		return rows.Err()
	}
	in, args := db.InList(campaigns)
	if err := read(`SELECT campaign_id, agency_id, invited, answered FROM survey_participation
		WHERE campaign_id IN (`+in+`)`, args); err != nil {
		return nil, err
	}
	live := slices.DeleteFunc(slices.Clone(campaigns), func(c int64) bool { return kept[c] })
	if len(live) == 0 {
		return out, nil
	}
	in, args = db.InList(live)
	return out, read(`SELECT campaign_id, agency_id, count(*), sum(CASE WHEN answered THEN 1 ELSE 0 END)
		FROM survey_invitations WHERE campaign_id IN (`+in+`) GROUP BY campaign_id, agency_id`, args)
}

// loadMoments reads campaign's moments per group key (see groupAgency) and
// the pools among the keys: those kept at its close or, where none are
// (no answers, or not yet kept by keepMissingFigures), computed from the
// answers.
func loadMoments(ctx context.Context, q db.Querier, campaign int64) (map[int64]moments, map[int64]string, error) {
	const cols = `SELECT agency_id, agency_type, item_id, dimension, n, total, squares FROM `
	groups, pools := map[int64]moments{}, map[int64]string{}
	read := func(from string) error {
		rows, err := q.QueryContext(ctx, cols+from, campaign)
		if err != nil {
			return fmt.Errorf("survey: moments: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var agency, item int64
			var typ, dim string
			var m moment
			if err := rows.Scan(&agency, &typ, &item, &dim, &m.n, &m.total, &m.squares); err != nil {
				return fmt.Errorf("survey: moments: %w", err)
			}
			key := groupAgency(sql.NullInt64{Int64: agency, Valid: agency != 0}, typ)
			if agency == 0 {
				pools[key] = poolType(key)
			}
			g, ok := groups[key]
			if !ok {
				g = newMoments()
				groups[key] = g
			}
			// Added, not set: one agency's responses under two types
			// (none are today) would be two rows of each.
			if item != 0 {
				g.addItem(item, m)
			} else {
				g.addDim(dim, m)
			}
		}
		return rows.Err()
	}
	if err := read(`survey_moments WHERE campaign_id = $1`); err != nil || len(groups) > 0 {
		return groups, pools, err
	}
	return groups, pools, read(`(` + momentsSQL + `) m`)
}
