package dashboard

import (
	"cmp"
	"slices"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
)

// linked is a table as the page shows it: Links[i][j] is where the cell
// of row i and column j leads, "" for none. The downloads take T alone.
type linked struct {
	T     tabular.Table
	Links [][]string
}

// cell is a table's cell laid out for the template: its text, link and
// column name (the phone layout's label).
type cell struct{ Text, Href, Label string }

// Rows returns the table's cells with their links, for the template: one
// pass in Go rather than a lookup per cell in the template.
func (l linked) Rows() [][]cell {
	out := make([][]cell, len(l.T.Rows))
	for i, row := range l.T.Rows {
		out[i] = make([]cell, len(row))
		for j, c := range row {
			out[i][j].Text = c.Text
			if j < len(l.T.Header) {
				out[i][j].Label = l.T.Header[j]
			}
			if i < len(l.Links) && j < len(l.Links[i]) {
				out[i][j].Href = l.Links[i][j]
			}
		}
	}
	return out
}

func plain(ts ...tabular.Table) []linked {
	out := make([]linked, len(ts))
	for i, t := range ts {
		out[i] = linked{T: t}
	}
	return out
}

func tablesOf(ls []linked) []tabular.Table {
	out := make([]tabular.Table, len(ls))
	for i, l := range ls {
		out[i] = l.T
	}
	return out
}

// weakest returns the key and mean of x's lowest dimension shown, "" when
// none is (no survey, or a group under the minimum).
func weakest(x loindex.Index) (string, *float64) {
	key, low := "", (*float64)(nil)
	for _, d := range x.Dimensions {
		if d.Score != nil && (low == nil || *d.Score < *low) {
			key, low = d.Key, d.Score
		}
	}
	return key, low
}

// rank is an agency in the city's ranking.
type rank struct {
	x      loindex.Index
	name   string
	change *float64 // since the period before; nil when either has no index
}

// ranking orders the agencies of list (the city left out) by index, the
// highest first, those without one last, then by name.
func ranking(list []loindex.Index, prev map[int64]loindex.Index, names map[int64]string) []rank {
	var out []rank
	for _, x := range list {
		if x.AgencyID == 0 {
			continue
		}
		r := rank{x: x, name: names[x.AgencyID]}
		if p, ok := prev[x.AgencyID]; ok && p.Index != nil && x.Index != nil {
			c := *x.Index - *p.Index
			r.change = &c
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b rank) int {
		switch {
		case a.x.Index == nil && b.x.Index == nil:
			return cmp.Compare(a.name, b.name)
		case a.x.Index == nil:
			return 1
		case b.x.Index == nil:
			return -1
		}
		if c := cmp.Compare(*b.x.Index, *a.x.Index); c != 0 {
			return c
		}
		return cmp.Compare(a.name, b.name)
	})
	return out
}

type cells struct{ tabular.Format }

func (c cells) t(key string, args ...any) string { return i18n.T(c.Lang, key, args...) }

// score is a 0..100 figure, or "no data".
func (c cells) score(v *float64) tabular.Cell {
	if v == nil {
		return tabular.Cell{Text: c.t("loindex.no_data"), Value: ""}
	}
	return tabular.Cell{Text: c.Decimal(*v, 1), Value: *v}
}

// mean is a dimension's mean 1..6, or why there is none.
func (c cells) mean(v *float64, suppressed bool) tabular.Cell {
	switch {
	case v != nil:
		return tabular.Cell{Text: c.Decimal(*v, 2), Value: *v}
	case suppressed:
		return tabular.Cell{Text: c.t("loindex.suppressed", survey.MinGroup), Value: ""}
	}
	return tabular.Cell{Text: c.t("loindex.no_data"), Value: ""}
}

func (c cells) change(v *float64) tabular.Cell {
	if v == nil {
		return tabular.Cell{Text: "—", Value: ""}
	}
	sign := ""
	if *v > 0 {
		sign = "+"
	}
	return tabular.Cell{Text: sign + c.Decimal(*v, 1), Value: *v}
}

// Ranking is the city's agencies ranked by index, with the change since
// the period before and each one's weakest dimension; links lead to each
// agency's dashboard and its weakest dimension's page.
func rankingTable(lang, label string, rs []rank) linked {
	c := cells{tabular.Format{Lang: lang}}
	l := linked{T: tabular.Table{ID: "dashboard_ranking", Title: c.t("dashboard.t.ranking", label), Header: []string{
		c.t("loindex.col.agency"), c.t("dashboard.col.rank"), c.t("loindex.col.index"), c.t("dashboard.col.change"),
		c.t("dashboard.col.weakest"), c.t("dashboard.col.weakest_mean"), c.t("loindex.col.respondents")}}}
	for i, r := range rs {
		key, low := weakest(r.x)
		weak, weakLink := c.Text("—"), ""
		switch {
		case key != "":
			weak, weakLink = c.Text(c.t("lo.dim."+key)), DimensionLink(r.x.AgencyID, key, label)
		case r.x.Suppressed:
			weak = c.Text(c.t("loindex.suppressed", survey.MinGroup))
		}
		l.T.Rows = append(l.T.Rows, []tabular.Cell{c.Text(r.name), c.Int(i + 1), c.score(r.x.Index), c.change(r.change),
			weak, c.mean(low, r.x.Suppressed), c.Int(r.x.Respondents)})
		l.Links = append(l.Links, []string{Link(r.x.AgencyID) + "?period=" + label, "", "", "", weakLink, "", ""})
	}
	return l
}

// dimensionTable is the seven dimensions of x, each against the city's
// when city is given, each linked to its page.
func dimensionTable(lang string, x loindex.Index, city *loindex.Index) linked {
	c := cells{tabular.Format{Lang: lang}}
	head := []string{c.t("dashboard.col.dimension"), c.t("dashboard.col.mean"), c.t("loindex.col.score")}
	if city != nil {
		head = append(head, c.t("dashboard.col.city_mean"))
	}
	l := linked{T: tabular.Table{ID: "dashboard_dimensions", Title: c.t("loindex.t.dimensions"), Header: head}}
	for i, d := range x.Dimensions {
		var score *float64
		if d.Score != nil {
			s := loindex.DimensionScore(*d.Score)
			score = &s
		}
		row := []tabular.Cell{c.Text(c.t("lo.dim." + d.Key)), c.mean(d.Score, x.Suppressed), c.score(score)}
		if city != nil && i < len(city.Dimensions) {
			row = append(row, c.mean(city.Dimensions[i].Score, city.Suppressed))
		}
		l.T.Rows = append(l.T.Rows, row)
		if x.AgencyID != 0 {
			l.Links = append(l.Links, []string{DimensionLink(x.AgencyID, d.Key, x.Period)})
		}
	}
	return l
}

// formulaTable is loindex's formula of x with each input's name linked to
// the people and items behind it.
func formulaTable(lang string, x loindex.Index, p drill) linked {
	l := linked{T: loindex.Formula(lang, x)}
	for _, in := range x.Inputs {
		l.Links = append(l.Links, []string{p.link(in.Key)})
	}
	return l
}
