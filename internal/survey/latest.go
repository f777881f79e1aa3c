package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

type campaignRef struct {
	id     int64
	period string
}

// latestCampaigns picks each agency's latest closed LO campaign, and the
// latest of all that covered every agency existing when it was created, for the
// city (id 0 if none did).
func latestCampaigns(ctx context.Context, q db.Querier, until time.Time) (map[int64]campaignRef, campaignRef, error) {
	created := map[int64]time.Time{}
	rows, err := q.QueryContext(ctx, `SELECT id, created_at FROM agencies`)
	if err != nil {
		return nil, campaignRef{}, fmt.Errorf("survey: agencies: %w", err)
	}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, campaignRef{}, fmt.Errorf("survey: agencies: %w", err)
		}
		created[id] = at
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, campaignRef{}, fmt.Errorf("survey: agencies: %w", err)
	}
	rows, err = q.QueryContext(ctx, `
		SELECT c.id, c.period, c.created_at, ca.agency_id
		FROM survey_campaigns c
		JOIN survey_instruments i ON i.id = c.instrument_id
		JOIN survey_campaign_agencies ca ON ca.campaign_id = c.id
		WHERE i.code = $1 AND c.status = 'closed' AND c.closes_at <= $2
		ORDER BY c.closes_at, c.id`, LOInstrument, until.UTC())
	if err != nil {
		return nil, campaignRef{}, fmt.Errorf("survey: latest campaigns: %w", err)
	}
	defer rows.Close()
	latest := map[int64]campaignRef{}
	var order []campaignRef
	made := map[int64]time.Time{}
	covers := map[int64]map[int64]bool{}
	for rows.Next() {
		var c campaignRef
		var at time.Time
		var agency int64
		if err := rows.Scan(&c.id, &c.period, &at, &agency); err != nil {
			return nil, campaignRef{}, fmt.Errorf("survey: latest campaigns: %w", err)
		}
		latest[agency] = c // later rows close later
		if covers[c.id] == nil {
			covers[c.id], made[c.id] = map[int64]bool{}, at
			order = append(order, c)
		}
		covers[c.id][agency] = true
	}
	if err := rows.Err(); err != nil {
		return nil, campaignRef{}, fmt.Errorf("survey: latest campaigns: %w", err)
	}
	for i := len(order) - 1; i >= 0; i-- {
		c, whole := order[i], true
		for a, at := range created {
			if !at.After(made[c.id]) && !covers[c.id][a] {
				whole = false
				break
			}
		}
		if whole {
			return latest, c, nil
		}
	}
	return latest, campaignRef{}, nil
}
