package survey

import (
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// Tables are a campaign's results as the page shows them and the CSV/XLSX
// downloads hold them: every group with its participation and dimension
// scores (hidden groups say so and carry no numbers), then for each
// published group of the city and the agency types, each dimension's
// score, change, alpha and item means.
func (o Overview) Tables(lang string) []tabular.Table {
	w := tabular.Format{Lang: lang}
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	head := []string{t("survey.col.group"), t("survey.col.respondents"), t("survey.col.rate")}
	for _, d := range o.Dims {
		head = append(head, i18n.Label(lang, "lo.dim.", d))
	}
	groups := tabular.Table{ID: "groups", Title: t("survey.results.groups"), Header: head}
	var all []Results
	if o.City != nil {
		all = append(all, *o.City)
	}
	all = append(all, o.Types...)
	all = append(all, o.Agencies...)
	for _, r := range all {
		row := []tabular.Cell{w.Text(groupLabel(lang, r.Group))}
		if r.Suppressed {
			row = append(row, w.Text(t("survey.results.hidden")))
		} else {
			row = append(row, w.Int(r.Respondents))
		}
		rate := tabular.Cell{Text: "—", Value: ""}
		if r.ResponseRate != nil {
			rate = tabular.Cell{Text: t("survey.rate", r.Answered, r.Invited, w.Decimal(*r.ResponseRate*100, 0)+"%"),
				Value: *r.ResponseRate * 100}
		}
		row = append(row, rate)
		for _, d := range o.Dims {
			row = append(row, scoreCell(w, lang, r, d))
		}
		groups.Rows = append(groups.Rows, row)
	}
	out := []tabular.Table{groups}
	for _, r := range all {
		if r.Suppressed || r.Group.Kind == GroupAgency && o.City != nil {
			continue // agencies' details are on the agency filter; the overview keeps to city and types
		}
		out = append(out, dimTable(w, lang, r))
	}
	return out
}

func scoreCell(w tabular.Format, lang string, r Results, dim string) tabular.Cell {
	if r.Suppressed {
		return tabular.Cell{Text: "—", Value: ""}
	}
	for _, d := range r.Dimensions {
		if d.Key == dim {
			text := w.Decimal(d.Score, 2)
			if d.Change != nil {
				text += " (" + signed(w, *d.Change) + ")"
			}
			return tabular.Cell{Text: text, Value: d.Score}
		}
	}
	return tabular.Cell{Text: i18n.T(lang, "survey.results.none"), Value: ""}
}

func signed(w tabular.Format, f float64) string {
	if f >= 0 {
		return "+" + w.Decimal(f, 2)
	}
	return w.Decimal(f, 2)
}

// dimTable is one published group's dimensions with reliability and items.
func dimTable(w tabular.Format, lang string, r Results) tabular.Table {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	tab := tabular.Table{ID: "dims-" + r.Group.Kind + r.Group.AgencyType, Title: t("survey.results.dims", groupLabel(lang, r.Group)),
		Header: []string{t("survey.col.dimension"), t("survey.col.score"), t("survey.col.change"), t("survey.col.alpha"), t("survey.results.items")}}
	for _, d := range r.Dimensions {
		change := tabular.Cell{Text: "—", Value: ""}
		if d.Change != nil {
			change = tabular.Cell{Text: signed(w, *d.Change), Value: *d.Change}
		}
		alpha := tabular.Cell{Text: t(d.AlphaNote) + " (n = " + w.Group(d.AlphaN) + ")", Value: ""}
		if d.Alpha != nil {
			alpha = tabular.Cell{Text: w.Decimal(*d.Alpha, 2) + " (n = " + w.Group(d.AlphaN) + ")", Value: *d.Alpha}
		}
		items := ""
		for i, it := range d.Items {
			if i > 0 {
				items += " · "
			}
			items += it.Text + ": " + w.Decimal(it.Mean, 2)
		}
		tab.Rows = append(tab.Rows, []tabular.Cell{w.Text(i18n.Label(lang, "lo.dim.", d.Key)),
			{Text: w.Decimal(d.Score, 2), Value: d.Score}, change, alpha, w.Text(items)})
	}
	return tab
}

func groupLabel(lang string, g Group) string {
	switch g.Kind {
	case GroupAgency:
		return g.Name
	case GroupAgencyType:
		return i18n.T(lang, "survey.results.type", i18n.Label(lang, "org.type.", g.AgencyType))
	}
	return i18n.T(lang, "survey.results.city")
}
