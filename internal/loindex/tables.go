package loindex

import (
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/tabular"
)

// tables builds the index's tables in a language.
type tables struct{ tabular.Format }

func (w tables) t(key string, args ...any) string { return i18n.T(w.Lang, key, args...) }

// score is a score 0..100 or "no data".
func (w tables) score(v *float64) tabular.Cell {
	if v == nil {
		return tabular.Cell{Text: w.t("loindex.no_data"), Value: ""}
	}
	return tabular.Cell{Text: w.Decimal(*v, 1), Value: *v}
}

// value is an input's raw figure in its unit, or "no data".
func (w tables) value(in Input) tabular.Cell {
	if in.Value == nil {
		return tabular.Cell{Text: w.t("loindex.no_data"), Value: ""}
	}
	v := *in.Value
	places := 1
	if in.Unit == UnitMean {
		places = 2
	}
	return tabular.Cell{Text: w.t("loindex.unit."+in.Unit, w.Decimal(v, places)), Value: v}
}

// from says what an input was computed from: "12 / 40 pegawai".
func (w tables) from(in Input) tabular.Cell {
	if in.Denominator == 0 {
		return tabular.Cell{Text: "—", Value: ""}
	}
	text := w.t("loindex.from."+in.Key, w.Decimal(in.Numerator, 0), w.Decimal(in.Denominator, 0))
	return tabular.Cell{Text: text, Value: text}
}

func (w tables) norm(in Input) tabular.Cell {
	places := 1
	if in.Unit == UnitMean || in.Unit == UnitJP {
		places = 2
	}
	return tabular.Cell{Text: w.t("loindex.unit."+in.Unit, w.Decimal(in.Norm, places)), Value: in.Norm}
}

func (w tables) weight(f float64) tabular.Cell {
	return tabular.Cell{Text: w.Decimal(f*100, 1) + "%", Value: f}
}

// Overview is the index and every input's score of each agency in list
// (names: the agencies' names; the city is named by its key).
func Overview(lang string, list []Index, names map[int64]string) tabular.Table {
	w := tables{tabular.Format{Lang: lang}}
	head := []string{w.t("loindex.col.agency"), w.t("loindex.col.index")}
	for _, k := range Weights {
		head = append(head, w.t("loindex.input."+k.Key))
	}
	t := tabular.Table{ID: "lo_index", Title: w.t("loindex.t.overview"), Header: head}
	for _, x := range list {
		row := []tabular.Cell{w.Text(w.name(x.AgencyID, names)), w.score(x.Index)}
		for _, in := range x.Inputs {
			row = append(row, w.score(in.Score))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (w tables) name(id int64, names map[int64]string) string {
	if id == 0 {
		return w.t("loindex.city")
	}
	return names[id]
}

// Formula is one index laid out as its formula: each input's figure, what
// it was computed from, its norm, score, stated and applied weight and
// what it adds to the index.
func Formula(lang string, x Index) tabular.Table {
	w := tables{tabular.Format{Lang: lang}}
	t := tabular.Table{ID: "lo_index_formula", Title: w.t("loindex.t.formula"), Header: []string{
		w.t("loindex.col.input"), w.t("loindex.col.value"), w.t("loindex.col.from"), w.t("loindex.col.norm"),
		w.t("loindex.col.score"), w.t("loindex.col.weight"), w.t("loindex.col.applied"), w.t("loindex.col.adds")}}
	for _, in := range x.Inputs {
		adds := tabular.Cell{Text: "—", Value: ""}
		if in.Score != nil {
			v := round(*in.Score*in.Applied, 1)
			adds = tabular.Cell{Text: w.Decimal(v, 1), Value: v}
		}
		t.Rows = append(t.Rows, []tabular.Cell{w.Text(w.t("loindex.input." + in.Key)), w.value(in), w.from(in),
			w.norm(in), w.score(in.Score), w.weight(in.Weight), w.weight(in.Applied), adds})
	}
	t.Rows = append(t.Rows, []tabular.Cell{w.Text(w.t("loindex.col.index")), w.score(x.Index),
		w.Text(""), w.Text(""), w.score(x.Index), w.weight(1), w.weight(1), w.score(x.Index)})
	return t
}

// Dimensions is the seven dimensions' means (1..6) of each agency in
// list, "hidden" for a group under survey.MinGroup.
func Dimensions(lang string, list []Index, names map[int64]string) tabular.Table {
	w := tables{tabular.Format{Lang: lang}}
	head := []string{w.t("loindex.col.agency"), w.t("loindex.col.respondents")}
	for _, k := range survey.Dimensions {
		head = append(head, w.t("lo.dim."+k))
	}
	t := tabular.Table{ID: "lo_index_dimensions", Title: w.t("loindex.t.dimensions"), Header: head}
	for _, x := range list {
		row := []tabular.Cell{w.Text(w.name(x.AgencyID, names)), w.Int(x.Respondents)}
		for _, d := range x.Dimensions {
			switch {
			case d.Score != nil:
				row = append(row, tabular.Cell{Text: w.Decimal(*d.Score, 2), Value: *d.Score})
			case x.Suppressed:
				row = append(row, tabular.Cell{Text: w.t("loindex.suppressed", survey.MinGroup), Value: ""})
			default:
				row = append(row, tabular.Cell{Text: w.t("loindex.no_data"), Value: ""})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Trend is one agency's index and input scores over periods.
func Trend(lang string, list []Index) tabular.Table {
	w := tables{tabular.Format{Lang: lang}}
	head := []string{w.t("loindex.col.period"), w.t("loindex.col.index")}
	for _, k := range Weights {
		head = append(head, w.t("loindex.input."+k.Key))
	}
	t := tabular.Table{ID: "lo_index_trend", Title: w.t("loindex.t.trend"), Header: head}
	for _, x := range list {
		row := []tabular.Cell{w.Text(x.Period), w.score(x.Index)}
		for _, in := range x.Inputs {
			row = append(row, w.score(in.Score))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Inputs is every input of each agency in list, one row each, with what
// it was computed from: the long form of Overview for spreadsheets.
func Inputs(lang string, list []Index, names map[int64]string) tabular.Table {
	w := tables{tabular.Format{Lang: lang}}
	t := tabular.Table{ID: "lo_index_inputs", Title: w.t("loindex.t.inputs"), Header: []string{
		w.t("loindex.col.agency"), w.t("loindex.col.input"), w.t("loindex.col.value"), w.t("loindex.col.numerator"),
		w.t("loindex.col.denominator"), w.t("loindex.col.norm"), w.t("loindex.col.score"), w.t("loindex.col.weight"),
		w.t("loindex.col.applied")}}
	for _, x := range list {
		for _, in := range x.Inputs {
			t.Rows = append(t.Rows, []tabular.Cell{w.Text(w.name(x.AgencyID, names)), w.Text(w.t("loindex.input." + in.Key)),
				w.value(in), {Text: w.Decimal(in.Numerator, 0), Value: in.Numerator},
				{Text: w.Decimal(in.Denominator, 0), Value: in.Denominator}, w.norm(in), w.score(in.Score),
				w.weight(in.Weight), w.weight(in.Applied)})
		}
	}
	return t
}
