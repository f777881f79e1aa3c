package helpdesk

import (
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// tableWriter builds a report's tables in a language.
type tableWriter struct{ tabular.Format }

func (w tableWriter) t(key string, args ...any) string { return i18n.T(w.Lang, key, args...) }

// duration shows minutes as days, hours and minutes; the downloads hold
// the minutes.
func (w tableWriter) duration(minutes *float64) tabular.Cell {
	if minutes == nil {
		return tabular.Cell{Text: "—", Value: ""}
	}
	m := int(*minutes + 0.5)
	var text string
	switch {
	case m >= 24*60:
		text = w.t("report.duration.days", m/(24*60), m%(24*60)/60)
	case m >= 60:
		text = w.t("report.duration.hours", m/60, m%60)
	default:
		text = w.t("report.duration.minutes", m)
	}
	return tabular.Cell{Text: text, Value: float64(int(*minutes*10+0.5)) / 10}
}

// or names a group with no id ("no team").
func (w tableWriter) or(name, none string) tabular.Cell {
	if name == "" {
		name = w.t(none)
	}
	return w.Text(name)
}

// reportTables lays a report out as tables, in lang.
func reportTables(lang string, r Report) []tabular.Table {
	w := tableWriter{tabular.Format{Lang: lang}}
	return []tabular.Table{w.summary(r),
		w.volume("agency", "agent.field.agency", "report.none.agency", "", r.ByAgency, r.Tickets),
		w.volume("app", "agent.field.app", "report.none.app", "", r.ByApp, r.Tickets),
		w.volume("category", "agent.field.category", "", "agent.category.", r.ByCategory, r.Tickets),
		w.volume("channel", "agent.field.channel", "", "agent.channel.", r.ByChannel, r.Tickets),
		w.sla("sla_priority", "agent.field.priority", append([]SLARow{r.SLA}, r.SLAByPriority...), "agent.priority."),
		w.sla("sla_team", "agent.field.team", r.SLAByTeam, ""),
		w.backlog(r),
		w.problems(r),
		w.volume("tags", "report.col.tag", "", "", r.TopTags, 0),
		w.minutes("time_team", "agent.field.team", "report.none.team", r.TimeByTeam),
		w.minutes("time_app", "agent.field.app", "report.none.app", r.TimeByApp),
		w.ratings("ratings_team", "agent.field.team", "report.none.team", r.RatingsByTeam),
		w.ratings("ratings_agent", "agent.field.assignee", "agent.unassigned", r.RatingsByAgent),
		w.ratings("ratings_app", "agent.field.app", "report.none.app", r.RatingsByApp),
		w.selfService(r.SelfService),
	}
}

func (w tableWriter) summary(r Report) tabular.Table {
	row := func(key string, c tabular.Cell) []tabular.Cell { return []tabular.Cell{w.Text(w.t(key)), c} }
	// The downloads hold durations as minutes, and say so.
	inMinutes := func(key string, c tabular.Cell) []tabular.Cell {
		return []tabular.Cell{{Text: w.t(key), Value: w.t("report.in_minutes", w.t(key))}, c}
	}
	inPct := func(key string, c tabular.Cell) []tabular.Cell {
		return []tabular.Cell{{Text: w.t(key), Value: w.t("report.in_pct", w.t(key))}, c}
	}
	sat := w.Text("—")
	if r.Satisfaction.Count > 0 {
		sat = tabular.Cell{Text: w.t("report.satisfaction.of", w.Decimal(r.Satisfaction.Average, 2), r.Satisfaction.Count),
			Value: r.Satisfaction.Average}
	}
	spent := tabular.Cell{Text: w.t("report.hours", w.Decimal(float64(r.TimeSpent)/60, 1)), Value: r.TimeSpent}
	return tabular.Table{ID: "summary", Title: w.t("report.t.summary"),
		Header: []string{w.t("report.col.measure"), w.t("report.col.value")},
		Rows: [][]tabular.Cell{
			row("report.m.tickets", w.Int(r.Tickets)),
			inMinutes("report.m.first_response", w.duration(r.Medians.FirstResponseMinutes)),
			inMinutes("report.m.resolution", w.duration(r.Medians.ResolutionMinutes)),
			inPct("report.m.first_response_sla", w.Pct(r.SLA.FirstResponse.MetPct)),
			inPct("report.m.resolution_sla", w.Pct(r.SLA.Resolution.MetPct)),
			row("report.m.backlog", w.Int(r.Backlog.Total)),
			inMinutes("report.m.time_spent", spent),
			row("report.m.satisfaction", sat),
		}}
}

// volume is a count per group with its share of total (none when total
// is 0). Codes are translated under prefix; groups without one are none.
func (w tableWriter) volume(id, col, none, prefix string, list []Tally, total int) tabular.Table {
	t := tabular.Table{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.tickets")}}
	if total > 0 {
		t.Header = append(t.Header, w.t("report.col.share"))
	}
	for _, v := range list {
		name := w.or(v.Name, none)
		if prefix != "" {
			name = w.Text(w.t(prefix + v.Code))
		}
		row := []tabular.Cell{name, w.Int(v.Count)}
		if total > 0 {
			row = append(row, w.Pct(float64(int(1000*float64(v.Count)/float64(total)+0.5))/10))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// sla is the outcome of both clocks per group; the whole report's row,
// when given first with no code or id, is named "all".
func (w tableWriter) sla(id, col string, rows []SLARow, prefix string) tabular.Table {
	t := tabular.Table{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.tickets")}}
	for _, clock := range []string{"report.col.fr", "report.col.res"} {
		for _, k := range []string{"met", "breached", "late", "running", "met_pct"} {
			t.Header = append(t.Header, w.t(clock, w.t("report.col."+k)))
		}
	}
	for _, s := range rows {
		var name tabular.Cell
		switch {
		case s.Code != "":
			name = w.Text(w.t(prefix + s.Code))
		case s.ID == nil && prefix != "":
			name = w.Text(w.t("report.all"))
		default:
			name = w.or(s.Name, "report.none.team")
		}
		row := []tabular.Cell{name, w.Int(s.Tickets)}
		for _, c := range []Clock{s.FirstResponse, s.Resolution} {
			row = append(row, w.Int(c.Met), w.Int(c.Breached), w.Int(c.Late), w.Int(c.Running), w.Pct(c.MetPct))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (w tableWriter) backlog(r Report) tabular.Table {
	t := tabular.Table{ID: "backlog", Title: w.t("report.t.backlog"), Header: []string{w.t("agent.field.team"),
		w.t("report.col.under_1d"), w.t("report.col.d1_3"), w.t("report.col.d3_7"), w.t("report.col.d7_30"),
		w.t("report.col.over_30d"), w.t("report.col.total")}}
	row := func(name tabular.Cell, b BacklogRow) []tabular.Cell {
		return []tabular.Cell{name, w.Int(b.Under1), w.Int(b.To3), w.Int(b.To7), w.Int(b.To30), w.Int(b.Over30), w.Int(b.Total)}
	}
	for _, b := range r.BacklogByTeam {
		t.Rows = append(t.Rows, row(w.or(b.Name, "report.none.team"), b))
	}
	t.Rows = append(t.Rows, row(w.Text(w.t("report.all")), r.Backlog))
	return t
}

func (w tableWriter) problems(r Report) tabular.Table {
	t := tabular.Table{ID: "problems", Title: w.t("report.t.problems"), Header: []string{w.t("agent.field.category"),
		w.t("agent.field.app"), w.t("report.col.tickets")}}
	for _, p := range r.TopProblems {
		t.Rows = append(t.Rows, []tabular.Cell{w.Text(w.t("agent.category." + p.Category)), w.or(p.App, "report.none.app"),
			w.Int(p.Count)})
	}
	return t
}

func (w tableWriter) minutes(id, col, none string, list []Tally) tabular.Table {
	t := tabular.Table{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.minutes"),
		w.t("report.col.hours")}}
	for _, v := range list {
		t.Rows = append(t.Rows, []tabular.Cell{w.or(v.Name, none), w.Int(v.Count),
			{Text: w.Decimal(float64(v.Count)/60, 1), Value: float64(int(float64(v.Count)/6+0.5)) / 10}})
	}
	return t
}

func (w tableWriter) ratings(id, col, none string, list []Satisfaction) tabular.Table {
	t := tabular.Table{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.ratings"),
		w.t("report.col.average")}}
	for i := 1; i <= 5; i++ {
		t.Header = append(t.Header, w.t("report.col.score", i))
	}
	for _, s := range list {
		row := []tabular.Cell{w.or(s.Name, none), w.Int(s.Count), {Text: w.Decimal(s.Average, 2), Value: s.Average}}
		for _, k := range s.Scores {
			row = append(row, w.Int(k))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
