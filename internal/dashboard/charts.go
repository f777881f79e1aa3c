package dashboard

import (
	"html/template"

	"github.com/lontara-id/lontara/internal/chart"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
)

// charts draws a page's charts in a language.
type charts struct{ cells }

func newCharts(lang string) charts { return charts{cells{tabular.Format{Lang: lang}}} }

func (c charts) value(label string, v *float64, places int, note string) chart.Value {
	out := chart.Value{Label: label, Value: v, Note: note}
	if v != nil {
		out.Text = c.Decimal(*v, places)
	}
	return out
}

// trend is the index over periods of a subject (named), against the
// city's when city is not empty.
func (c charts) trend(title, name string, list, city []loindex.Index) (template.HTML, error) {
	l := chart.Line{Title: title, Desc: c.t("dashboard.chart.trend_desc"), LabelHead: c.t("loindex.col.period"), Min: 0, Max: 100}
	s := chart.Series{Name: name, Print: true, Mark: true}
	for _, x := range list {
		l.Labels = append(l.Labels, x.Period)
		s.Values = append(s.Values, c.value(x.Period, x.Index, 1, c.t("loindex.no_data")))
	}
	l.Series = append(l.Series, s)
	if len(city) > 0 {
		cs := chart.Series{Name: c.t("loindex.city")}
		for _, x := range city {
			cs.Values = append(cs.Values, c.value(x.Period, x.Index, 1, c.t("loindex.no_data")))
		}
		l.Series = append(l.Series, cs)
	}
	return l.HTML()
}

// dimensions is the seven means of x on the survey's scale, the lowest
// marked; a hidden group says why instead of a number.
func (c charts) dimensions(x loindex.Index) (template.HTML, error) {
	weak, _ := weakest(x)
	b := chart.Bars{Title: c.t("loindex.t.dimensions"), Desc: c.t("dashboard.chart.dims_desc", survey.MinGroup),
		LabelHead: c.t("dashboard.col.dimension"), ValueHead: c.t("dashboard.col.mean"), Min: 1, Max: 6}
	note := c.t("loindex.no_data")
	if x.Suppressed {
		note = c.t("loindex.suppressed", survey.MinGroup)
	}
	for _, d := range x.Dimensions {
		v := c.value(c.t("lo.dim."+d.Key), d.Score, 2, note)
		v.Mark = d.Key == weak
		b.Values = append(b.Values, v)
	}
	return b.HTML()
}

// ranking is the agencies' index, highest first.
func (c charts) ranking(rs []rank, label string) (template.HTML, error) {
	b := chart.Bars{Title: c.t("dashboard.t.ranking", label), Desc: c.t("dashboard.chart.ranking_desc"),
		LabelHead: c.t("loindex.col.agency"), ValueHead: c.t("loindex.col.index"), Min: 0, Max: 100}
	for _, r := range rs {
		b.Values = append(b.Values, c.value(r.name, r.x.Index, 1, c.t("loindex.no_data")))
	}
	return b.HTML()
}

// inputs is each input's score 0..100.
func (c charts) inputs(x loindex.Index) (template.HTML, error) {
	b := chart.Bars{Title: c.t("dashboard.chart.inputs"), Desc: c.t("dashboard.chart.inputs_desc"),
		LabelHead: c.t("loindex.col.input"), ValueHead: c.t("loindex.col.score"), Min: 0, Max: 100}
	for _, in := range x.Inputs {
		b.Values = append(b.Values, c.value(c.t("loindex.input."+in.Key), in.Score, 1, c.t("loindex.no_data")))
	}
	return b.HTML()
}

// dimensionTrend is one dimension's mean over periods, against the city's
// when city is not empty.
func (c charts) dimensionTrend(key, name string, list, city []loindex.Index) (template.HTML, error) {
	l := chart.Line{Title: c.t("dashboard.dim.trend", c.t("lo.dim."+key)), Desc: c.t("dashboard.chart.dim_trend_desc"),
		LabelHead: c.t("loindex.col.period"), Min: 1, Max: 6}
	series := func(name string, list []loindex.Index, mark bool) chart.Series {
		s := chart.Series{Name: name, Print: mark, Mark: mark}
		for _, x := range list {
			s.Values = append(s.Values, c.value(x.Period, dimOf(x, key), 2, c.t("loindex.no_data")))
		}
		return s
	}
	for _, x := range list {
		l.Labels = append(l.Labels, x.Period)
	}
	l.Series = append(l.Series, series(name, list, true))
	if len(city) > 0 {
		l.Series = append(l.Series, series(c.t("loindex.city"), city, false))
	}
	return l.HTML()
}

// dimOf is x's mean in dimension key, nil when hidden or absent.
func dimOf(x loindex.Index, key string) *float64 {
	for _, d := range x.Dimensions {
		if d.Key == key {
			return d.Score
		}
	}
	return nil
}
