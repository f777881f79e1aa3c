package targets

import (
	"context"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
)

// overlapping lists the labels of every period that overlaps p: its year,
// halves and quarters that share a month with it (a quarter: itself, its
// half and its year). Periods never cross a year.
func overlapping(p period.Period) []string {
	var out []string
	for _, k := range []period.Kind{period.Year, period.Half, period.Quarter} {
		for q := period.Of(p.Start, k); q.Start.Before(p.End); q = q.Next() {
			out = append(out, q.Label)
		}
	}
	return out
}

// Tables lays out, for the M&E report of an agency, the targets set for it
// whose period overlaps p, with where each stands now, as the targets page
// shows them. The city-wide targets are the city's report's.
func (s *Service) Tables(ctx context.Context, actor *policy.Actor, lang string, agencyID int64, p period.Period) ([]tabular.Table, error) {
	w := tabular.Format{Lang: lang}
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	table := tabular.Table{ID: "targets", Title: t("targets.title"), Header: []string{t("targets.col.target"),
		t("targets.col.period"), t("targets.col.goal"), t("targets.col.current"), t("targets.col.progress")}}
	page := db.Page{Limit: db.MaxLimit}
	for {
		list, next, err := s.list(ctx, actor, Filter{AgencyID: &agencyID}, overlapping(p), page)
		if err != nil {
			return nil, err
		}
		for _, x := range list {
			name := t("targets.metric." + x.Metric)
			if x.Metric == MetricCompetency && x.Level != nil {
				name += ": " + x.CompetencyName + " ≥ " + t("targets.level") + " " + w.Int(*x.Level).Text
			}
			unit := t("targets.unit." + x.Metric)
			current, progress := w.Text(t("targets.no_data")), w.Text(t("targets.status."+StatusNoData))
			if pr := x.Progress; pr != nil {
				if pr.Current != nil {
					current = tabular.Cell{Text: w.Decimal(*pr.Current, 1) + unit, Value: *pr.Current}
				}
				progress = tabular.Cell{Text: w.Decimal(pr.Percent, 0) + "% · " + t("targets.status."+pr.Status), Value: pr.Percent}
			}
			table.Rows = append(table.Rows, []tabular.Cell{w.Text(name), w.Text(x.Period),
				{Text: w.Decimal(x.Goal, 1) + unit, Value: x.Goal}, current, progress})
		}
		if next == "" {
			if len(table.Rows) == 0 {
				table.Rows = [][]tabular.Cell{{w.Text(t("targets.empty")), w.Text(p.Label), w.Text(""), w.Text(""), w.Text("")}}
			}
			return []tabular.Table{table}, nil
		}
		page.After = next
	}
}
