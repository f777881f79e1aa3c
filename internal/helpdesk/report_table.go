package helpdesk

import (
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/i18n"
)

// reportTable is one table of a report, the same on the page and in the
// CSV and XLSX downloads. The first cell of a row names it.
type reportTable struct {
	ID     string // the page's anchor and the sheet's key
	Title  string
	Header []string
	Rows   [][]reportCell
}

// reportCell is a value as the page shows it (Text, in the reader's
// language) and as the downloads hold it (Value: a string, an int or a
// float64, so spreadsheets can count with it).
type reportCell struct {
	Text  string
	Value any
}

// tableWriter builds a report's tables in a language.
type tableWriter struct{ lang string }

func (w tableWriter) t(key string, args ...any) string { return i18n.T(w.lang, key, args...) }

func (w tableWriter) text(s string) reportCell { return reportCell{Text: s, Value: s} }

func (w tableWriter) int(n int) reportCell { return reportCell{Text: w.group(n), Value: n} }

// pct shows a share 0–100 with one decimal.
func (w tableWriter) pct(p float64) reportCell {
	return reportCell{Text: w.decimal(p, 1) + "%", Value: p}
}

func (w tableWriter) decimal(f float64, places int) string {
	s := strconv.FormatFloat(f, 'f', places, 64)
	if w.lang == i18n.ID {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// group writes n with thousands separators: 12.345 in Indonesian, 12,345
// in English.
func (w tableWriter) group(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + w.group(-n)
	}
	sep := ","
	if w.lang == i18n.ID {
		sep = "."
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// duration shows minutes as days, hours and minutes; the downloads hold
// the minutes.
func (w tableWriter) duration(minutes *float64) reportCell {
	if minutes == nil {
		return reportCell{Text: "—", Value: ""}
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
	return reportCell{Text: text, Value: float64(int(*minutes*10+0.5)) / 10}
}

// or names a group with no id ("no team").
func (w tableWriter) or(name, none string) reportCell {
	if name == "" {
		name = w.t(none)
	}
	return w.text(name)
}

// reportTables lays a report out as tables, in lang.
func reportTables(lang string, r Report) []reportTable {
	w := tableWriter{lang}
	return []reportTable{w.summary(r),
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

func (w tableWriter) summary(r Report) reportTable {
	row := func(key string, c reportCell) []reportCell { return []reportCell{w.text(w.t(key)), c} }
	// The downloads hold durations as minutes, and say so.
	inMinutes := func(key string, c reportCell) []reportCell {
		return []reportCell{{Text: w.t(key), Value: w.t("report.in_minutes", w.t(key))}, c}
	}
	inPct := func(key string, c reportCell) []reportCell {
		return []reportCell{{Text: w.t(key), Value: w.t("report.in_pct", w.t(key))}, c}
	}
	sat := w.text("—")
	if r.Satisfaction.Count > 0 {
		sat = reportCell{Text: w.t("report.satisfaction.of", w.decimal(r.Satisfaction.Average, 2), r.Satisfaction.Count),
			Value: r.Satisfaction.Average}
	}
	spent := reportCell{Text: w.t("report.hours", w.decimal(float64(r.TimeSpent)/60, 1)), Value: r.TimeSpent}
	return reportTable{ID: "summary", Title: w.t("report.t.summary"),
		Header: []string{w.t("report.col.measure"), w.t("report.col.value")},
		Rows: [][]reportCell{
			row("report.m.tickets", w.int(r.Tickets)),
			inMinutes("report.m.first_response", w.duration(r.Medians.FirstResponseMinutes)),
			inMinutes("report.m.resolution", w.duration(r.Medians.ResolutionMinutes)),
			inPct("report.m.first_response_sla", w.pct(r.SLA.FirstResponse.MetPct)),
			inPct("report.m.resolution_sla", w.pct(r.SLA.Resolution.MetPct)),
			row("report.m.backlog", w.int(r.Backlog.Total)),
			inMinutes("report.m.time_spent", spent),
			row("report.m.satisfaction", sat),
		}}
}

// volume is a count per group with its share of total (none when total
// is 0). Codes are translated under prefix; groups without one are none.
func (w tableWriter) volume(id, col, none, prefix string, list []Tally, total int) reportTable {
	t := reportTable{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.tickets")}}
	if total > 0 {
		t.Header = append(t.Header, w.t("report.col.share"))
	}
	for _, v := range list {
		name := w.or(v.Name, none)
		if prefix != "" {
			name = w.text(w.t(prefix + v.Code))
		}
		row := []reportCell{name, w.int(v.Count)}
		if total > 0 {
			row = append(row, w.pct(float64(int(1000*float64(v.Count)/float64(total)+0.5))/10))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// sla is the outcome of both clocks per group; the whole report's row,
// when given first with no code or id, is named "all".
func (w tableWriter) sla(id, col string, rows []SLARow, prefix string) reportTable {
	t := reportTable{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.tickets")}}
	for _, clock := range []string{"report.col.fr", "report.col.res"} {
		for _, k := range []string{"met", "breached", "late", "running", "met_pct"} {
			t.Header = append(t.Header, w.t(clock, w.t("report.col."+k)))
		}
	}
	for _, s := range rows {
		var name reportCell
		switch {
		case s.Code != "":
			name = w.text(w.t(prefix + s.Code))
		case s.ID == nil && prefix != "":
			name = w.text(w.t("report.all"))
		default:
			name = w.or(s.Name, "report.none.team")
		}
		row := []reportCell{name, w.int(s.Tickets)}
		for _, c := range []Clock{s.FirstResponse, s.Resolution} {
			row = append(row, w.int(c.Met), w.int(c.Breached), w.int(c.Late), w.int(c.Running), w.pct(c.MetPct))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (w tableWriter) backlog(r Report) reportTable {
	t := reportTable{ID: "backlog", Title: w.t("report.t.backlog"), Header: []string{w.t("agent.field.team"),
		w.t("report.col.under_1d"), w.t("report.col.d1_3"), w.t("report.col.d3_7"), w.t("report.col.d7_30"),
		w.t("report.col.over_30d"), w.t("report.col.total")}}
	row := func(name reportCell, b BacklogRow) []reportCell {
		return []reportCell{name, w.int(b.Under1), w.int(b.To3), w.int(b.To7), w.int(b.To30), w.int(b.Over30), w.int(b.Total)}
	}
	for _, b := range r.BacklogByTeam {
		t.Rows = append(t.Rows, row(w.or(b.Name, "report.none.team"), b))
	}
	t.Rows = append(t.Rows, row(w.text(w.t("report.all")), r.Backlog))
	return t
}

func (w tableWriter) problems(r Report) reportTable {
	t := reportTable{ID: "problems", Title: w.t("report.t.problems"), Header: []string{w.t("agent.field.category"),
		w.t("agent.field.app"), w.t("report.col.tickets")}}
	for _, p := range r.TopProblems {
		t.Rows = append(t.Rows, []reportCell{w.text(w.t("agent.category." + p.Category)), w.or(p.App, "report.none.app"),
			w.int(p.Count)})
	}
	return t
}

func (w tableWriter) minutes(id, col, none string, list []Tally) reportTable {
	t := reportTable{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.minutes"),
		w.t("report.col.hours")}}
	for _, v := range list {
		t.Rows = append(t.Rows, []reportCell{w.or(v.Name, none), w.int(v.Count),
			{Text: w.decimal(float64(v.Count)/60, 1), Value: float64(int(float64(v.Count)/6+0.5)) / 10}})
	}
	return t
}

func (w tableWriter) ratings(id, col, none string, list []Satisfaction) reportTable {
	t := reportTable{ID: id, Title: w.t("report.t." + id), Header: []string{w.t(col), w.t("report.col.ratings"),
		w.t("report.col.average")}}
	for i := 1; i <= 5; i++ {
		t.Header = append(t.Header, w.t("report.col.score", i))
	}
	for _, s := range list {
		row := []reportCell{w.or(s.Name, none), w.int(s.Count), {Text: w.decimal(s.Average, 2), Value: s.Average}}
		for _, k := range s.Scores {
			row = append(row, w.int(k))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
