package spbe

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
)

// ServicePart is the evidence of service (help desk) management. The
// figures are the help desk report's for the period.
type ServicePart struct {
	Figures  []Figure        `json:"figures"`
	Policies []Policy        `json:"policies"`
	SLA      []SLARecord     `json:"sla"`      // compliance per priority
	Problems []ProblemRecord `json:"problems"` // problem records opened in the period
}

// SLARecord is the SLA compliance of the tickets of one priority.
type SLARecord struct {
	Priority         string   `json:"priority"`
	Tickets          int      `json:"tickets"`
	FirstResponsePct *float64 `json:"first_response_met_pct"`
	ResolutionPct    *float64 `json:"resolution_met_pct"`
}

// ProblemRecord is a problem record (P-0001) opened in the period, with its
// status now and how many tickets it groups.
type ProblemRecord struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	App       string    `json:"app"`
	Tickets   int       `json:"tickets"`
	CreatedAt time.Time `json:"created_at"`
}

// metPct is a clock's compliance, nil when no ticket was decided.
func metPct(c helpdesk.Clock) *float64 {
	if c.Met+c.Breached+c.Late == 0 {
		return nil
	}
	return ptr(c.MetPct)
}

// serviceOf lays out the help desk report and reads the problem records
// and the SLA policies.
func serviceOf(ctx context.Context, q db.Querier, lang string, rep helpdesk.Report, from, to time.Time) (ServicePart, error) {
	var s ServicePart
	for _, r := range rep.SLAByPriority {
		s.SLA = append(s.SLA, SLARecord{Priority: r.Code, Tickets: r.Tickets, FirstResponsePct: metPct(r.FirstResponse),
			ResolutionPct: metPct(r.Resolution)})
	}
	err := scanAll(ctx, q, `SELECT p.id, p.title, p.status, COALESCE(a.name, ''),
		(SELECT count(*) FROM problem_tickets pt WHERE pt.problem_id = p.id), p.created_at
		FROM problems p LEFT JOIN apps a ON a.id = p.app_id WHERE p.created_at >= $1 AND p.created_at < $2
		ORDER BY p.created_at, p.id`, []any{from, to}, func(rows *sql.Rows) error {
		var r ProblemRecord
		if err := rows.Scan(&r.ID, &r.Title, &r.Status, &r.App, &r.Tickets, &r.CreatedAt); err != nil {
			return err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		s.Problems = append(s.Problems, r)
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("spbe: problems: %w", err)
	}
	err = scanAll(ctx, q, `SELECT priority, first_response_minutes, resolution_minutes, calendar FROM sla_policies
		ORDER BY CASE priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 2 WHEN 'normal' THEN 3 ELSE 4 END`, nil,
		func(rows *sql.Rows) error {
			var priority, calendar string
			var first, resolution int
			if err := rows.Scan(&priority, &first, &resolution, &calendar); err != nil {
				return err
			}
			s.Policies = append(s.Policies, rule(lang, ServiceManagement, "spbe.rule.sla", i18n.T(lang, "spbe.priority."+priority),
				first, resolution, i18n.T(lang, "spbe.calendar."+calendar)))
			return nil
		})
	if err != nil {
		return s, fmt.Errorf("spbe: SLA policies: %w", err)
	}
	resolved := 0
	for _, p := range s.Problems {
		if p.Status == "resolved" {
			resolved++
		}
	}
	var satisfaction *float64
	if rep.Satisfaction.Count > 0 {
		satisfaction = ptr(rep.Satisfaction.Average)
	}
	s.Figures = []Figure{count("tickets", rep.Tickets),
		figure("first_response_met", "pct", metPct(rep.SLA.FirstResponse)),
		figure("resolution_met", "pct", metPct(rep.SLA.Resolution)),
		figure("median_first_response", "minutes", rep.Medians.FirstResponseMinutes),
		figure("median_resolution", "minutes", rep.Medians.ResolutionMinutes),
		count("ratings", rep.Satisfaction.Count), figure("satisfaction", "score", satisfaction),
		count("problems_opened", len(s.Problems)), count("problems_resolved", resolved)}
	return s, nil
}
