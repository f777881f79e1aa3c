package survey

import (
	"context"
	"math"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
)

// Group kinds of results.
const (
	GroupCity       = "city"
	GroupAgency     = "agency"
	GroupAgencyType = "agency_type"
)

// Group names whose results these are.
type Group struct {
	Kind       string `json:"kind"`
	AgencyID   int64  `json:"agency_id,omitempty"`
	AgencyType string `json:"agency_type,omitempty"`
	Name       string `json:"name,omitempty"`
}

// Results are one group's results of a campaign. A suppressed group has a
// Reason and no Respondents, Dimensions or Change.
type Results struct {
	CampaignID   int64       `json:"campaign_id"`
	Period       string      `json:"period"`
	Group        Group       `json:"group"`
	Suppressed   bool        `json:"suppressed"`
	Reason       string      `json:"reason,omitempty"`
	ReasonKey    string      `json:"-"`
	Invited      int         `json:"invited"`
	Answered     int         `json:"answered"`
	ResponseRate *float64    `json:"response_rate"`
	Respondents  int         `json:"respondents,omitempty"`
	Dimensions   []DimResult `json:"dimensions,omitempty"`
	// PreviousID is the campaign of the same instrument that closed before
	// this one, against which Change is measured.
	PreviousID *int64 `json:"previous_campaign_id,omitempty"`
}

// DimResult is one dimension's score (the mean of its items' values) with
// its reliability.
type DimResult struct {
	Key   string       `json:"key"`
	Score float64      `json:"score"`
	Items []ItemResult `json:"items"`
	// Alpha is Cronbach's alpha over the respondents' values of the
	// dimension's items, nil with AlphaNote when it cannot be computed
	// (fewer than two items or respondents, or no variance at all).
	Alpha     *float64 `json:"alpha"`
	AlphaN    int      `json:"alpha_n"`
	AlphaNote string   `json:"alpha_note,omitempty"`
	// Change is Score minus the same group's score in the previous
	// campaign, nil when that group was not published there.
	Change *float64 `json:"change"`
}

// ItemResult is one item's mean.
type ItemResult struct {
	ItemID int64   `json:"item_id"`
	Text   string  `json:"text"`
	Mean   float64 `json:"mean"`
}

// Filter picks one group: an agency, an agency type, or (neither) the city.
type Filter struct {
	AgencyID   *int64
	AgencyType string
}

// GroupResults returns the results of one group of a closed campaign.
// Reading an agency's needs SurveyResults on it; the city's and an agency
// type's, on the city. A group under MinGroup, or hidden so that it cannot
// be had by subtracting groups shown, answers Suppressed and no numbers;
// so does every group while the campaign is open.
func (s *Service) GroupResults(ctx context.Context, actor *policy.Actor, id int64, f Filter, lang string) (Results, error) {
	target := policy.Target{}
	if f.AgencyID != nil {
		target.AgencyID = *f.AgencyID
	}
	if err := policy.Check(actor, policy.SurveyResults, target); err != nil {
		return Results{}, err
	}
	set, err := s.load(ctx, s.db.Replica, id)
	if err != nil {
		return Results{}, err
	}
	var g Group
	switch {
	case f.AgencyID != nil:
		if _, ok := set.agencies[*f.AgencyID]; !ok {
			return Results{}, errs.FieldErr("agency_id", "survey.agency_not_in")
		}
		g = Group{Kind: GroupAgency, AgencyID: *f.AgencyID}
	case f.AgencyType != "":
		if !set.hasType(f.AgencyType) {
			return Results{}, errs.FieldErr("agency_type", "survey.type_not_in")
		}
		g = Group{Kind: GroupAgencyType, AgencyType: f.AgencyType}
	default:
		g = Group{Kind: GroupCity}
	}
	prev, err := s.previous(ctx, set)
	if err != nil {
		return Results{}, err
	}
	return set.results(g, prev, lang), nil
}

// Overview is a campaign's results as its page shows them: the city, each
// agency type and each agency, as far as the reader may see.
type Overview struct {
	Campaign Campaign
	City     *Results
	Types    []Results
	Agencies []Results
	Dims     []string
}

// Overview returns the results of every group of the campaign the actor
// may read (SurveyResults), suppressed ones included as such.
func (s *Service) Overview(ctx context.Context, actor *policy.Actor, id int64, lang string) (Overview, error) {
	if !canSomeResults(actor) {
		return Overview{}, errs.New(errs.Forbidden, "forbidden")
	}
	// The campaign itself comes from the primary: its page is where one
	// lands after creating, opening or closing it, and must show that. The
	// answers may come from the replica; while it has not caught up with
	// the campaign's status, the page shows the campaign without results.
	c, err := campaignByID(ctx, s.db.R, id)
	if err != nil {
		return Overview{}, err
	}
	set, err := s.load(ctx, s.db.Replica, id)
	if errs.Is(err, errs.NotFound) || err == nil && set.campaign.Status != c.Status {
		return Overview{Campaign: c}, nil
	}
	if err != nil {
		return Overview{}, err
	}
	prev, err := s.previous(ctx, set)
	if err != nil {
		return Overview{}, err
	}
	out := Overview{Campaign: set.campaign, Dims: set.ins.dimensions()}
	city := policy.Can(actor, policy.SurveyResults, policy.Target{})
	if city {
		r := set.results(Group{Kind: GroupCity}, prev, lang)
		out.City = &r
		for _, t := range set.types() {
			out.Types = append(out.Types, set.results(Group{Kind: GroupAgencyType, AgencyType: t}, prev, lang))
		}
	}
	for _, a := range set.order {
		if city || policy.Can(actor, policy.SurveyResults, policy.Target{AgencyID: a}) {
			out.Agencies = append(out.Agencies, set.results(Group{Kind: GroupAgency, AgencyID: a}, prev, lang))
		}
	}
	return out, nil
}

// previous loads the campaign of the same instrument closed last before
// this one, nil if none.
func (s *Service) previous(ctx context.Context, set *dataset) (*dataset, error) {
	ids, err := db.IDs(ctx, s.db.Replica, `SELECT id FROM survey_campaigns WHERE instrument_id = $1 AND status = 'closed'
		AND closes_at < $2 AND id <> $3 ORDER BY closes_at DESC, id DESC LIMIT 1`,
		set.campaign.InstrumentID, set.campaign.ClosesAt, set.campaign.ID)
	if err != nil || len(ids) == 0 || set.campaign.Status != Closed {
		return nil, err
	}
	return s.load(ctx, s.db.Replica, ids[0])
}

// results computes one group's results.
func (set *dataset) results(g Group, prev *dataset, lang string) Results {
	members := set.members(g)
	g.Name = set.groupName(g)
	r := Results{CampaignID: set.campaign.ID, Period: set.campaign.Period, Group: g}
	for _, a := range members {
		r.Invited += set.agencies[a].invited
		r.Answered += set.agencies[a].answered
	}
	if r.Invited > 0 {
		rate := float64(r.Answered) / float64(r.Invited)
		r.ResponseRate = &rate
	}
	switch {
	case set.campaign.Status != Closed:
		r.Suppressed, r.ReasonKey = true, "survey.reason.open"
	case !set.published(g):
		r.Suppressed, r.ReasonKey = true, "survey.reason.small"
	}
	if r.Suppressed {
		r.Reason = reason(lang, r.ReasonKey)
		return r
	}
	m := set.momentsOf(members)
	r.Respondents = m.respondents()
	var before map[string]float64
	if prev != nil {
		r.PreviousID = &prev.campaign.ID
		if prev.published(g) {
			before = prev.dimScores(prev.momentsOf(prev.members(g)))
		}
	}
	for _, dim := range set.ins.dimensions() {
		d := set.dimResult(dim, m, lang)
		if b, ok := before[dim]; ok {
			c := d.Score - b
			d.Change = &c
		}
		r.Dimensions = append(r.Dimensions, d)
	}
	return r
}

func (set *dataset) dimResult(dim string, m moments, lang string) DimResult {
	n := m.respondents()
	d := DimResult{Key: dim, AlphaN: n}
	var items []Item
	for _, it := range set.ins.Items {
		if it.Dimension == dim {
			items = append(items, it)
		}
	}
	var sum int64
	for _, it := range items {
		s := m.items[it.ID].total
		sum += s
		d.Items = append(d.Items, ItemResult{ItemID: it.ID, Text: it.Text(lang), Mean: float64(s) / float64(max(n, 1))})
	}
	if n > 0 && len(items) > 0 {
		d.Score = float64(sum) / float64(n*len(items))
	}
	d.Alpha, d.AlphaNote = alpha(items, n, m, dim)
	return d
}

// alpha is Cronbach's alpha, k/(k−1)·(1 − Σσ²ᵢ/σ²ₜ), with sample variances
// of each item's values and of the n respondents' totals over the items
// (the moments of dimension dim).
func alpha(items []Item, n int, m moments, dim string) (*float64, string) {
	k := len(items)
	switch {
	case k < 2:
		return nil, "survey.alpha.items"
	case n < 2:
		return nil, "survey.alpha.respondents"
	}
	sumItemVar := 0.0
	for _, it := range items {
		sumItemVar += m.items[it.ID].variance()
	}
	vt := m.dims[dim].variance()
	if vt == 0 {
		return nil, "survey.alpha.variance"
	}
	a := float64(k) / float64(k-1) * (1 - sumItemVar/vt)
	a = math.Round(a*1000) / 1000
	return &a, ""
}

// dimScores is each dimension's mean of its items' values.
func (set *dataset) dimScores(m moments) map[string]float64 {
	sum, count := map[string]int64{}, map[string]int64{}
	for _, it := range set.ins.Items {
		if v, ok := m.items[it.ID]; ok {
			sum[it.Dimension] += v.total
			count[it.Dimension] += v.n
		}
	}
	out := map[string]float64{}
	for k, c := range count {
		if c > 0 {
			out[k] = float64(sum[k]) / float64(c)
		}
	}
	return out
}

func reason(lang, key string) string { return i18n.T(lang, key, MinGroup) }
