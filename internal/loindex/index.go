// Package loindex computes the learning-organization index of an agency
// and of the city for a period: the LO survey's seven dimensions beside
// what the platform sees people do — training hours, competency coverage,
// accepted answers, articles, self-service, ideas answered and the help
// desk's SLA — each turned into a score from 0 to 100 and weighed into one
// number, with the formula and every input shown next to it.
package loindex

import (
	"math"
	"time"

	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/survey"
)

// Index is the LO index of an agency (AgencyID 0: the city) for a period.
// The API answers it as is: {agency_id, period, index, dimensions: [{key,
// score}], inputs: [{key, value, weight}]} and more members.
type Index struct {
	AgencyID int64  `json:"agency_id"`
	Period   string `json:"period"`
	// Index is the weighted mean of the inputs that have data, 0..100, one
	// decimal; nil when none has.
	Index *float64 `json:"index"`
	// Dimensions are the seven Watkins & Marsick dimensions in order, each
	// the mean (1..6) of its items in the latest closed LO campaign.
	Dimensions []Dimension `json:"dimensions"`
	// Inputs are the survey and the platform's figures, in the formula's
	// order (see Weights).
	Inputs []Input `json:"inputs"`
	// Suppressed says the latest closed LO campaign reached the agency but
	// fewer than survey.MinGroup answered: no dimension is shown.
	Suppressed bool `json:"suppressed"`
	// Respondents answered the campaign the dimensions come from; Survey
	// names its period ("" when no closed campaign reached the agency).
	Respondents int    `json:"respondents"`
	Survey      string `json:"survey_period"`
	// Employees are the agency's active people: the denominator of the
	// figures per employee.
	Employees int `json:"employees"`
	// Live says the figures were computed for a period still running;
	// otherwise they were kept when the period closed (see RollupJob).
	Live       bool      `json:"live"`
	ComputedAt time.Time `json:"computed_at"`
}

// Dimension is one dimension's mean (1..6), nil when the group is under
// survey.MinGroup or no campaign reached it.
type Dimension struct {
	Key         string   `json:"key"`
	Score       *float64 `json:"score"`
	Respondents int      `json:"respondents"`
}

// Input is one term of the formula: the raw figure in its unit (Value, nil
// when there is no data), what it was computed from (Numerator over
// Denominator), the norm it is measured against, its score 0..100 and its
// weights — the stated one and the one it carried in this index after the
// weights of inputs without data were shared out among the others.
type Input struct {
	Key         string   `json:"key"`
	Value       *float64 `json:"value"`
	Score       *float64 `json:"score"`
	Weight      float64  `json:"weight"`
	Applied     float64  `json:"applied_weight"`
	Unit        string   `json:"unit"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Norm        float64  `json:"norm"`
}

// The inputs' keys; their names are the i18n keys "loindex.input.<key>".
const (
	InputSurvey      = "survey"              // mean of the seven dimensions, 1..6
	InputTraining    = "training_hours"      // JP per employee in the period
	InputCoverage    = "competency_coverage" // % of required (person, competency) pairs met
	InputAnswers     = "accepted_answers"    // accepted answers per 100 employees
	InputArticles    = "articles"            // articles published per 100 employees
	InputSelfService = "self_service"        // % of problems solved by self-service
	InputIdeas       = "ideas_answered"      // % of ideas answered within 30 days
	InputSLA         = "sla_compliance"      // % of tickets resolved within the SLA
)

// Units of the inputs' values.
const (
	UnitMean    = "mean_1_6"
	UnitJP      = "jp_per_employee"
	UnitPercent = "percent"
	UnitPer100  = "per_100_employees"
)

// Weight is an input's stated weight in the index.
type Weight struct {
	Key    string
	Weight float64
	Unit   string
}

// Weights are the formula's inputs and weights, summing to 1. The survey
// is what people say about their organization; the rest is what the
// platform sees them do, so each side weighs about half.
var Weights = []Weight{
	{InputSurvey, 0.40, UnitMean},
	{InputTraining, 0.10, UnitJP},
	{InputCoverage, 0.10, UnitPercent},
	{InputAnswers, 0.075, UnitPer100},
	{InputArticles, 0.075, UnitPer100},
	{InputSelfService, 0.10, UnitPercent},
	{InputIdeas, 0.05, UnitPercent},
	{InputSLA, 0.10, UnitPercent},
}

// The norms the platform's inputs are measured against, per year (the
// figures per 100 employees are prorated to the period's length and, for
// the period running, to the part of it gone by). Reaching the norm scores
// 100; more scores 100 too.
const (
	NormAnswersPerYear  = 40.0                                       // accepted answers per 100 employees a year
	NormArticlesPerYear = 8.0                                        // articles published per 100 employees a year
	NormSelfService     = 30.0                                       // % of problems solved by self-service
	IdeaAnswerDays      = int(ideas.AnswerWindow / (24 * time.Hour)) // an idea is answered in time within this many days
)

// DimensionScore maps a dimension's mean on the 1..6 scale to 0..100.
func DimensionScore(mean float64) float64 { return (mean - 1) / 5 * 100 }

// compose fills Index from the inputs: the weighted mean of the scores of
// the inputs that have one, their weights scaled up to sum to 1.
func (x *Index) compose() {
	total := 0.0
	for _, in := range x.Inputs {
		if in.Score != nil {
			total += in.Weight
		}
	}
	if total == 0 {
		x.Index = nil
		return
	}
	sum := 0.0
	for i := range x.Inputs {
		in := &x.Inputs[i]
		if in.Score == nil {
			in.Applied = 0
			continue
		}
		in.Applied = round(in.Weight/total, 4)
		sum += *in.Score * in.Weight / total
	}
	v := round(sum, 1)
	x.Index = &v
}

// dimensions fills the dimensions and the survey input from s (nil: no
// closed campaign reached the group).
func (x *Index) dimensions(s *survey.Scores) Input {
	in := Input{Key: InputSurvey, Unit: UnitMean, Norm: 6}
	x.Dimensions = make([]Dimension, len(survey.Dimensions))
	for i, k := range survey.Dimensions {
		x.Dimensions[i] = Dimension{Key: k}
	}
	if s == nil {
		return in
	}
	x.Survey, x.Respondents, x.Suppressed = s.Period, s.Respondents, s.Suppressed
	in.Denominator = float64(s.Respondents)
	var sum float64
	var n int
	for i, k := range survey.Dimensions {
		x.Dimensions[i].Respondents = s.Respondents
		m, ok := s.Dimensions[k]
		if s.Suppressed || !ok {
			continue
		}
		m = round(m, 2)
		x.Dimensions[i].Score = &m
		sum += m
		n++
	}
	if n > 0 {
		mean := round(sum/float64(n), 2)
		in.Value = &mean
		score := round(DimensionScore(sum/float64(n)), 1)
		in.Score = &score
	}
	return in
}

// ratio is an input scored against norm: value = num/den × scale, score =
// value/norm × 100 capped at 100. No denominator: no data.
func ratio(key, unit string, num, den, scale, norm float64) Input {
	in := Input{Key: key, Unit: unit, Numerator: num, Denominator: den, Norm: round(norm, 2)}
	if den <= 0 || norm <= 0 {
		return in
	}
	v := round(num/den*scale, 2)
	s := round(math.Min(100, num/den*scale/norm*100), 1)
	in.Value, in.Score = &v, &s
	return in
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Percent is the weight as a percentage, for the pages.
func (w Weight) Percent() float64 { return w.Weight * 100 }

// Shown is the index for a page: 0 when there is none (Known says which).
func (x Index) Shown() float64 {
	if x.Index == nil {
		return 0
	}
	return *x.Index
}

// Known reports whether the index has a value.
func (x Index) Known() bool { return x.Index != nil }
