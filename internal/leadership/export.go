package leadership

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/tabular"
)

// ReviewTables are the findings and the follow-ups (with status, due day
// and whether overdue) of the reviews of an agency (0: the city) whose
// period lies within p: the monitoring-and-evaluation report's part on
// reviews, the same on its page and in its downloads. The caller has
// checked that the reader may see the agency's insight. Without a review
// in the period there are no tables.
func ReviewTables(ctx context.Context, q db.Querier, lang string, agencyID int64, p period.Period) ([]tabular.Table, error) {
	loc := p.Start.Location()
	rows, err := q.QueryContext(ctx, `SELECT id, period, title FROM reviews WHERE COALESCE(agency_id, 0) = $1
		ORDER BY id`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("leadership: reviews of %d: %w", agencyID, err)
	}
	var ids []int64
	titles := map[int64]string{}
	for rows.Next() {
		var id int64
		var label, title string
		if err := rows.Scan(&id, &label, &title); err != nil {
			rows.Close()
			return nil, err
		}
		rp, err := period.Parse(label, loc)
		if err == nil && !rp.Start.Before(p.Start) && !rp.End.After(p.End) {
			ids, titles[id] = append(ids, id), title+" ("+label+")"
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	f := tabular.Format{Lang: lang}
	t := func(k string) string { return i18n.T(lang, k) }
	found := tabular.Table{ID: "review-findings", Title: t("leadership.export.findings"),
		Header: []string{t("leadership.export.review"), t("leadership.finding"), t("leadership.severity")}}
	follow := tabular.Table{ID: "review-follow-ups", Title: t("leadership.export.followups"),
		Header: []string{t("leadership.export.review"), t("leadership.followup.action"), t("leadership.followup.assignee"),
			t("leadership.followup.due"), t("leadership.followup.status"), t("leadership.followup.overdue")}}
	if len(ids) > 0 {
		in, args := db.InList(ids)
		rows, err := q.QueryContext(ctx, `SELECT review_id, text, severity FROM review_findings
			WHERE review_id IN (`+in+`) ORDER BY review_id, id`, args...)
		if err != nil {
			return nil, fmt.Errorf("leadership: findings: %w", err)
		}
		for rows.Next() {
			var id int64
			var text, sev string
			if err := rows.Scan(&id, &text, &sev); err != nil {
				rows.Close()
				return nil, err
			}
			found.Rows = append(found.Rows, []tabular.Cell{f.Text(titles[id]), f.Text(text), f.Text(t("leadership.severity." + sev))})
		}
		rows.Close()
		today := time.Now().In(loc)
		in2, args2 := db.InListFrom(2, ids)
		list, err := followUps(ctx, q, time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc).UTC(),
			"f.review_id IN ("+in2+")", args2...)
		if err != nil {
			return nil, err
		}
		for _, fu := range list {
			overdue := t("leadership.no")
			if fu.Overdue {
				overdue = t("leadership.yes")
			}
			follow.Rows = append(follow.Rows, []tabular.Cell{f.Text(titles[fu.ReviewID]), f.Text(fu.Action),
				f.Text(fu.AssigneeName), f.Text(fu.DueOn.In(loc).Format(time.DateOnly)),
				f.Text(t("leadership.followup.status." + fu.Status)), f.Text(overdue)})
		}
	}
	if len(ids) == 0 {
		return nil, nil // no review in the period: the report says so in its own words
	}
	return []tabular.Table{found, follow}, nil
}
