package competency

import (
	"context"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// GapOverview is an agency's or the city's gaps on one page, from one
// analysis: the totals, every competency someone lacks (ranked, with
// proposals), the agencies ranked (the city's only) and a page of who lacks
// what.
type GapOverview struct {
	Agency       *GapAgency // nil: the city
	Totals       AgencyGap  // the sums over the scope (its Agency empty for the city)
	Competencies []CompetencyGap
	Agencies     []AgencyGap
	People       []PersonGapRow
	Next         string // the cursor of the next page of People
}

// Overview analyses agency agencyID (0: the city) once and returns its page.
func (s *GapService) Overview(ctx context.Context, actor *policy.Actor, agencyID int64, f GapFilter, p db.Page) (*GapOverview, error) {
	var w *gapWorld
	var err error
	o := &GapOverview{}
	if agencyID != 0 {
		w, err = s.agencyWorld(ctx, actor, agencyID)
	} else {
		w, err = s.cityWorld(ctx, actor)
	}
	if err != nil {
		return nil, err
	}
	if o.People, o.Next, err = s.peoplePage(ctx, w, f, p); err != nil {
		return nil, err
	}
	if o.Competencies, _, err = s.competencyPage(ctx, w, agencyID, db.Page{Limit: db.MaxLimit}); err != nil {
		return nil, err
	}
	agencies := w.byAgency()
	for _, a := range agencies {
		o.Totals.People += a.People
		o.Totals.Lacking += a.Lacking
		o.Totals.Gaps += a.Gaps
		o.Totals.LevelsShort += a.LevelsShort
		o.Totals.Signals += a.Signals
	}
	if agencyID != 0 {
		names := []AgencyGap{{Agency: GapAgency{ID: agencyID}}}
		if err := s.nameAgencies(ctx, names); err != nil {
			return nil, err
		}
		o.Agency = &names[0].Agency
		return o, nil
	}
	o.Agencies = agencies
	return o, s.nameAgencies(ctx, o.Agencies)
}
