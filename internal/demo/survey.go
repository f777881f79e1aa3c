package demo

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/survey"
)

// loadSurvey gives the demo city two closed LO surveys, last quarter and
// the quarter before, over every agency: each active employee invited,
// most agencies answering at 45–85% (a few small ones under five, so the
// pages show the rule), values that hang together per person (so alpha is
// plausible) and rise a little from one quarter to the next (so change
// shows). Plain INSERTs; the invitations' token hashes are of tokens no
// one was sent.
func loadSurvey(ctx context.Context, d *db.DB) error {
	instrument, err := survey.EnsureLO(ctx, d)
	if err != nil {
		return err
	}
	r := mrand.New(mrand.NewPCG(6, 3))
	zone := cityZone()
	last := period.Of(time.Now().In(zone), period.Quarter).Previous()
	staff, err := staffByAgency(ctx, d)
	if err != nil {
		return err
	}
	// Each agency's learning culture per dimension, kept across quarters,
	// and its response rate; the three smallest offices get three answers
	// each, under the rule.
	agencies := make([]int64, 0, len(staff))
	for a := range staff {
		agencies = append(agencies, a)
	}
	slices.SortFunc(agencies, func(a, b int64) int { return cmp.Or(cmp.Compare(len(staff[a]), len(staff[b])), cmp.Compare(a, b)) })
	culture := map[int64][]float64{}
	rate := map[int64]float64{}
	for i, a := range agencies {
		base := 3.2 + r.Float64()*1.6
		dims := make([]float64, len(survey.Dimensions))
		for i := range dims {
			dims[i] = base + r.NormFloat64()*0.35
		}
		culture[a] = dims
		rate[a] = 0.45 + r.Float64()*0.4
		if i < 3 {
			rate[a] = -3 // a count, not a share: see demoCampaign
		}
	}
	for i, p := range []period.Period{last.Previous(), last} {
		lift := 0.25 * float64(i)
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			return demoCampaign(ctx, tx, r, instrument, p, staff, culture, rate, lift)
		}); err != nil {
			return fmt.Errorf("demo: survey %s: %w", p.Label, err)
		}
	}
	return nil
}

func staffByAgency(ctx context.Context, d *db.DB) (map[int64][]int64, error) {
	rows, err := d.R.QueryContext(ctx, `SELECT agency_id, id FROM employees WHERE active ORDER BY agency_id, id`)
	if err != nil {
		return nil, fmt.Errorf("demo: staff: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, e int64
		if err := rows.Scan(&a, &e); err != nil {
			return nil, fmt.Errorf("demo: staff: %w", err)
		}
		out[a] = append(out[a], e)
	}
	return out, rows.Err()
}

func demoCampaign(ctx context.Context, tx *sql.Tx, r *mrand.Rand, instrument int64, p period.Period,
	staff map[int64][]int64, culture map[int64][]float64, rate map[int64]float64, lift float64) error {
	closes := p.End.AddDate(0, 0, -10).UTC()
	opens := closes.AddDate(0, 0, -21)
	id, err := db.InsertID(ctx, tx, `INSERT INTO survey_campaigns (instrument_id, title, period, status, opens_at, closes_at,
		created_at, updated_at) VALUES ($1, $2, $3, 'closed', $4, $5, $4, $5) RETURNING id`,
		instrument, "Survei organisasi pembelajar "+p.Label, p.Label, opens, closes)
	if err != nil {
		return err
	}
	items, err := db.IDs(ctx, tx, `SELECT id FROM survey_items WHERE instrument_id = $1 ORDER BY position`, instrument)
	if err != nil {
		return err
	}
	type pending struct{ agency int64 }
	var answered []pending
	types := map[int64]string{}
	for _, a := range sortedKeys(staff) {
		people := slices.Clone(staff[a])
		r.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
		quota := int(math.Round(rate[a] * float64(len(people))))
		if rate[a] < 0 {
			quota = int(-rate[a])
		}
		var typ string
		if err := tx.QueryRowContext(ctx, `SELECT type FROM agencies WHERE id = $1`, a).Scan(&typ); err != nil {
			return err
		}
		types[a] = typ
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_campaign_agencies (campaign_id, agency_id, agency_type)
			VALUES ($1, $2, $3)`, id, a, typ); err != nil {
			return err
		}
		var sb strings.Builder
		var args []any
		for i, e := range people {
			yes := i < quota
			if yes {
				answered = append(answered, pending{a})
			}
			if sb.Len() > 0 {
				sb.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6)
			args = append(args, id, e, a, randomHash(), yes, opens)
			if len(args) >= 600 || i == len(people)-1 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO survey_invitations (campaign_id, employee_id, agency_id,
					token_hash, answered, created_at) VALUES `+sb.String(), args...); err != nil {
					return err
				}
				sb.Reset()
				args = args[:0]
			}
		}
	}
	// Responses of an office with fewer than five are pooled, as the close
	// stores them: without their agency, with its type where five or more
	// pooled share it.
	perAgency, perType := map[int64]int{}, map[string]int{}
	for _, p := range answered {
		perAgency[p.agency]++
	}
	for a, n := range perAgency {
		if n < survey.MinGroup {
			perType[types[a]] += n
		}
	}
	r.Shuffle(len(answered), func(i, j int) { answered[i], answered[j] = answered[j], answered[i] })
	for _, resp := range answered {
		var agency any = resp.agency
		typ := ""
		if perAgency[resp.agency] < survey.MinGroup {
			agency = nil
			if perType[types[resp.agency]] >= survey.MinGroup {
				typ = types[resp.agency]
			}
		}
		rid, err := db.InsertID(ctx, tx, `INSERT INTO survey_responses (campaign_id, agency_id, agency_type) VALUES ($1, $2, $3) RETURNING id`,
			id, agency, typ)
		if err != nil {
			return err
		}
		person := r.NormFloat64() * 0.6
		var sb strings.Builder
		args := make([]any, 0, 3*len(items))
		for j, item := range items {
			v := culture[resp.agency][j/3%len(survey.Dimensions)] + lift + person + r.NormFloat64()*0.55
			if j > 0 {
				sb.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d)", k+1, k+2, k+3)
			args = append(args, rid, item, int(math.Max(1, math.Min(6, math.Round(v)))))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_answers (response_id, item_id, value) VALUES `+sb.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func randomHash() string {
	h := sha256.Sum256([]byte(rand.Text()))
	return hex.EncodeToString(h[:])
}

func sortedKeys(m map[int64][]int64) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
