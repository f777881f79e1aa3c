package spbe

import (
	"math"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// writer lays a pack out in a language and the city's zone.
type writer struct {
	tabular.Format
	zone *time.Location
}

func (w writer) t(key string, args ...any) string { return i18n.T(w.Lang, key, args...) }

// date shows a moment as its day in the city's zone.
func (w writer) date(t time.Time) tabular.Cell {
	s := t.In(w.zone).Format("2006-01-02")
	return tabular.Cell{Text: s, Value: s}
}

// value shows a figure in its unit; no data is a dash (an empty cell in
// the downloads).
func (w writer) value(f Figure) tabular.Cell {
	if f.Value == nil {
		return tabular.Cell{Text: w.t("spbe.no_data"), Value: ""}
	}
	v := *f.Value
	switch {
	case f.Unit == "pct":
		return w.Pct(v)
	case f.Unit == "score":
		return tabular.Cell{Text: w.Decimal(v, 2), Value: v}
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return w.Int(int(v))
	}
	return tabular.Cell{Text: w.Decimal(v, 1), Value: v}
}

// Tables lays a pack out as the tables the page shows and the downloads
// hold, in lang with dates in zone: for each indicator in turn its
// figures, its policies and its records. Each table's ID starts with the
// indicator's prefix (km-, hr-, sm-).
func Tables(lang string, zone *time.Location, p Pack) []tabular.Table {
	w := writer{Format: tabular.Format{Lang: lang}, zone: zone}
	var out []tabular.Table
	for _, part := range p.parts() {
		name := w.t("spbe.indicator." + part.key)
		figures := tabular.Table{ID: part.prefix + "-figures", Title: w.t("spbe.table.figures", name, p.Period),
			Header: []string{w.t("spbe.col.figure"), w.t("spbe.col.value"), w.t("spbe.col.unit")}}
		for _, f := range part.figures {
			figures.Rows = append(figures.Rows, []tabular.Cell{w.Text(w.t("spbe.figure." + f.Key)), w.value(f),
				w.Text(w.t("spbe.unit." + f.Unit))})
		}
		policies := tabular.Table{ID: part.prefix + "-policies", Title: w.t("spbe.table.policies", name, p.Period),
			Header: []string{w.t("spbe.col.title"), w.t("spbe.col.kind"), w.t("spbe.col.number"), w.t("spbe.col.signed"),
				w.t("spbe.col.issuer")}}
		for _, pol := range part.policies {
			signed := tabular.Cell{Text: "", Value: ""}
			if pol.Signed != nil {
				signed = w.date(*pol.Signed)
			}
			kind := i18n.Label(w.Lang, "leadership.kind.", pol.Kind) // a regulation's kind, or Lontara's own
			if pol.Kind == "lontara" {
				kind = w.t("spbe.kind.lontara")
			}
			policies.Rows = append(policies.Rows, []tabular.Cell{w.Text(pol.Title), w.Text(kind), w.Text(pol.Number),
				signed, w.Text(pol.Issuer)})
		}
		out = append(append(out, figures, policies), part.records(w, p)...)
	}
	return out
}

// records are the knowledge base's published articles and reviews.
func (w writer) knowledge(p Pack) []tabular.Table {
	published := w.table("km-published", "spbe.table.published", "spbe.col.id", "spbe.col.title", "spbe.col.category", "spbe.col.date")
	for _, a := range p.Knowledge.Published {
		published.Rows = append(published.Rows, []tabular.Cell{w.Int(int(a.ID)), w.Text(a.Title), w.Text(a.Category), w.date(a.PublishedAt)})
	}
	reviews := w.table("km-reviews", "spbe.table.reviews", "spbe.col.id", "spbe.col.title", "spbe.col.outcome", "spbe.col.date")
	for _, r := range p.Knowledge.Reviews {
		reviews.Rows = append(reviews.Rows, []tabular.Cell{w.Int(int(r.ArticleID)), w.Text(r.Title),
			w.Text(w.t("spbe.outcome." + r.Outcome)), w.date(r.At)})
	}
	return []tabular.Table{published, reviews}
}

// competence is the frameworks, their versions, the events and the
// assessments.
func (w writer) competence(p Pack) []tabular.Table {
	frameworks := w.table("hr-frameworks", "spbe.table.frameworks", "spbe.col.code", "spbe.col.name", "spbe.col.version", "spbe.col.competencies")
	for _, f := range p.Competence.Frameworks {
		frameworks.Rows = append(frameworks.Rows, []tabular.Cell{w.Text(f.Code), w.Text(f.Name), w.Int(f.Version), w.Int(f.Competencies)})
	}
	revisions := w.table("hr-revisions", "spbe.table.revisions", "spbe.col.kind", "spbe.col.name", "spbe.col.version", "spbe.col.note", "spbe.col.date")
	for _, r := range p.Competence.Revisions {
		revisions.Rows = append(revisions.Rows, []tabular.Cell{w.Text(w.t("spbe.revision." + r.Kind)), w.Text(r.Name),
			w.Int(r.Version), w.Text(r.Note), w.date(r.At)})
	}
	events := w.table("hr-events", "spbe.table.events", "spbe.col.id", "spbe.col.title", "spbe.col.kind", "spbe.col.starts",
		"spbe.col.finished", "spbe.col.jp", "spbe.col.completed")
	for _, e := range p.Competence.Events {
		events.Rows = append(events.Rows, []tabular.Cell{w.Int(int(e.ID)), w.Text(e.Title), w.Text(i18n.Label(w.Lang, "training.kind.", e.Kind)), w.date(e.StartsAt),
			w.date(e.FinishedAt), w.Int(e.JP), w.Int(e.Completed)})
	}
	assessments := w.table("hr-assessments", "spbe.table.assessments", "spbe.col.source", "spbe.col.count")
	for _, a := range p.Competence.Assessments {
		assessments.Rows = append(assessments.Rows, []tabular.Cell{w.Text(w.t("spbe.source." + a.Source)), w.Int(a.Count)})
	}
	return []tabular.Table{frameworks, revisions, events, assessments}
}

// service is the SLA per priority and the problem records.
func (w writer) service(p Pack) []tabular.Table {
	sla := w.table("sm-sla", "spbe.table.sla", "spbe.col.priority", "spbe.col.tickets", "spbe.col.first_response", "spbe.col.resolution")
	for _, r := range p.Service.SLA {
		sla.Rows = append(sla.Rows, []tabular.Cell{w.Text(w.t("spbe.priority." + r.Priority)), w.Int(r.Tickets),
			w.value(Figure{Value: r.FirstResponsePct, Unit: "pct"}), w.value(Figure{Value: r.ResolutionPct, Unit: "pct"})})
	}
	problems := w.table("sm-problems", "spbe.table.problems", "spbe.col.id", "spbe.col.title", "spbe.col.status", "spbe.col.app",
		"spbe.col.tickets", "spbe.col.date")
	for _, r := range p.Service.Problems {
		problems.Rows = append(problems.Rows, []tabular.Cell{w.Int(int(r.ID)), w.Text(r.Title), w.Text(w.t("spbe.problem." + r.Status)),
			w.Text(r.App), w.Int(r.Tickets), w.date(r.CreatedAt)})
	}
	return []tabular.Table{sla, problems}
}

// table starts a table with a title key (given the period) and header keys.
func (w writer) table(id, title string, header ...string) tabular.Table {
	t := tabular.Table{ID: id, Title: w.t(title)}
	for _, h := range header {
		t.Header = append(t.Header, w.t(h))
	}
	return t
}

// part is one indicator's figures, policies and how its records are laid
// out; prefix starts its tables' IDs.
type part struct {
	key, prefix string
	figures     []Figure
	policies    []Policy
	records     func(writer, Pack) []tabular.Table
}

func (p Pack) parts() []part {
	return []part{{KnowledgeManagement, "km", p.Knowledge.Figures, p.Knowledge.Policies, writer.knowledge},
		{CompetenceManagement, "hr", p.Competence.Figures, p.Competence.Policies, writer.competence},
		{ServiceManagement, "sm", p.Service.Figures, p.Service.Policies, writer.service}}
}
