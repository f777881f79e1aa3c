package impact

import (
	"fmt"
	"math"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// Tables lays an impact out as the tables the page shows and the downloads
// hold, in lang: the measures' difference in differences.
func Tables(lang string, im Impact) []tabular.Table {
	f := tabular.Format{Lang: lang}
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	none := tabular.Cell{Text: "—", Value: ""}
	rate := func(g *Group, pick func(*Group) float64) tabular.Cell {
		if g == nil {
			return none
		}
		v := pick(g)
		return tabular.Cell{Text: f.Decimal(v, 2), Value: v}
	}
	num := func(p *float64) tabular.Cell {
		if p == nil {
			return none
		}
		return tabular.Cell{Text: f.Decimal(*p, 2), Value: *p}
	}
	before := func(g *Group) float64 { return g.Before }
	after := func(g *Group) float64 { return g.After }
	change := func(g *Group) float64 { return g.Change }
	table := tabular.Table{ID: "measures", Title: t("impact.table.title", im.Title),
		Header: []string{t("impact.col.measure"), t("impact.col.level"), t("impact.col.better"),
			t("impact.col.att_before"), t("impact.col.att_after"), t("impact.col.att_change"),
			t("impact.col.cmp_before"), t("impact.col.cmp_after"), t("impact.col.cmp_change"),
			t("impact.col.effect"), t("impact.col.low"), t("impact.col.high"), t("impact.col.verdict")}}
	for _, m := range im.Measures {
		table.Rows = append(table.Rows, []tabular.Cell{
			f.Text(t("impact.measure." + m.Key)), tabular.Cell{Text: t(fmt.Sprintf("impact.level.%d", m.Level)), Value: m.Level}, f.Text(t("impact.better." + m.Better)),
			rate(m.Attendees, before), rate(m.Attendees, after), rate(m.Attendees, change),
			rate(m.Comparison, before), rate(m.Comparison, after), rate(m.Comparison, change),
			num(m.Effect), num(m.Low), num(m.High), f.Text(t("impact.verdict." + m.Verdict)),
		})
	}
	groups := tabular.Table{ID: "groups", Title: t("impact.groups.title"),
		Header: []string{t("impact.col.group"), t("impact.col.people")}}
	groups.Rows = [][]tabular.Cell{
		{f.Text(t("impact.group.completed")), f.Int(im.Completed)},
		{f.Text(t("impact.group.attendees")), f.Int(im.Attendees)},
		{f.Text(t("impact.group.comparison")), f.Int(im.Comparison)},
	}
	return []tabular.Table{table, groups}
}

// Headlines says in a sentence each what changed clearly (improved or
// worsened), in lang.
func Headlines(lang string, im Impact) []string {
	f := tabular.Format{Lang: lang}
	var out []string
	for _, m := range im.Measures {
		if (m.Verdict != Improved && m.Verdict != Worsened) || m.Effect == nil {
			continue
		}
		direction := "impact.better.higher"
		if *m.Effect < 0 {
			direction = "impact.better.lower"
		}
		lo, hi := math.Abs(*m.Low), math.Abs(*m.High)
		out = append(out, i18n.T(lang, "impact.headline", i18n.T(lang, "impact.measure."+m.Key),
			i18n.T(lang, "impact.verdict."+m.Verdict), f.Decimal(math.Abs(*m.Effect), 2), i18n.T(lang, direction),
			f.Decimal(min(lo, hi), 2), f.Decimal(max(lo, hi), 2)))
	}
	return out
}
