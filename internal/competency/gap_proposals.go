package competency

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Proposal is a learning activity or an upcoming event that builds a
// competency to a level: what would close a gap.
type Proposal struct {
	Kind         string     `json:"kind"`          // "event" (an upcoming event) or "activity"
	ID           int64      `json:"id"`            // the event's or the activity's id
	Title        string     `json:"title"`         //
	ActivityKind string     `json:"activity_kind"` // bimtek, workshop, course, ojt, mentoring, self_study, online_meeting
	Level        int        `json:"level"`         // the level it builds the competency to
	JP           int        `json:"jp"`            // its lesson hours
	StartsAt     *time.Time `json:"starts_at"`     // an event's start; null for an activity
	AgencyID     *int64     `json:"agency_id"`     // the providing agency; null: the city
	URL          string     `json:"url"`           // its page
}

// Start is an event's start, the zero time for an activity (for pages).
func (p Proposal) Start() time.Time {
	if p.StartsAt == nil {
		return time.Time{}
	}
	return *p.StartsAt
}

// maxProposals is how many proposals each gap shows.
const maxProposals = 3

// proposals are the candidates per competency id: upcoming events first,
// soonest first, then activities, the lowest sufficient level first.
type proposals map[int64][]Proposal

// pick returns up to maxProposals candidates for comp that reach level.
func (p proposals) pick(comp int64, level int) []Proposal {
	out := []Proposal{}
	for _, c := range p[comp] {
		if c.Level >= level {
			out = append(out, c)
			if len(out) == maxProposals {
				break
			}
		}
	}
	return out
}

// loadProposals reads the activities in force and the upcoming events that
// build the competencies given, those open to agency (0: any agency's).
func loadProposals(ctx context.Context, rd db.Querier, comps []int64, agency int64, now time.Time) (proposals, error) {
	out := proposals{}
	if len(comps) == 0 {
		return out, nil
	}
	var args []any
	marks := make([]string, len(comps))
	for i, id := range comps {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	in := strings.Join(marks, ", ")
	open := ""
	if agency != 0 {
		args = append(args, agency)
		open = fmt.Sprintf(" AND (x.agency_id IS NULL OR x.agency_id = $%d)", len(args))
	}
	upcoming := fmt.Sprintf("$%d", len(args)+1)
	queries := []struct {
		q    string
		args []any
	}{
		{`SELECT 'event', x.id, x.title, x.kind, c.level, x.jp, x.starts_at, x.agency_id, c.competency_id
		FROM event_competencies c JOIN events x ON x.id = c.event_id
		WHERE c.competency_id IN (` + in + `)` + open + ` AND x.starts_at > ` + upcoming + `
		AND x.cancelled_at IS NULL AND x.finished_at IS NULL ORDER BY x.starts_at, x.id`, append(args, now)},
		{`SELECT 'activity', x.id, x.title, x.kind, c.level, x.jp, NULL, x.agency_id, c.competency_id
		FROM activity_competencies c JOIN activities x ON x.id = c.activity_id
		WHERE c.competency_id IN (` + in + `)` + open + ` AND x.retired_at IS NULL
		ORDER BY c.level, x.jp, x.id`, args},
	}
	for _, q := range queries {
		if err := scanProposals(ctx, rd, q.q, q.args, out); err != nil {
			return nil, fmt.Errorf("proposals: %w", err)
		}
	}
	return out, nil
}

func scanProposals(ctx context.Context, rd db.Querier, q string, args []any, out proposals) error {
	rows, err := rd.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p Proposal
		var comp int64
		if err := rows.Scan(&p.Kind, &p.ID, &p.Title, &p.ActivityKind, &p.Level, &p.JP, &p.StartsAt, &p.AgencyID,
			&comp); err != nil {
			return err
		}
		if p.StartsAt != nil {
			t := p.StartsAt.UTC()
			p.StartsAt = &t
			p.URL = fmt.Sprintf("/pelatihan/acara/%d", p.ID)
		} else {
			p.URL = fmt.Sprintf("/pelatihan/aktivitas/%d", p.ID)
		}
		out[comp] = append(out[comp], p)
	}
	return rows.Err()
}
