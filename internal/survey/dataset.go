package survey

import (
	"context"
	"fmt"
	"slices"

	"github.com/lontara-id/lontara/internal/db"
)

// dataset is everything one campaign's results are computed from, read in
// a few queries.
type dataset struct {
	campaign Campaign
	ins      Instrument
	agencies map[int64]agencyInfo
	order    []int64           // agencies by name
	groups   map[int64]moments // the answers' moments by agency, pooled ones by poolID
	pools    map[int64]string  // poolID → type ("" for the untyped pool)
	cells    Cells
}

type agencyInfo struct {
	name, typ         string
	invited, answered int
	respondents       int
}

func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*dataset, error) {
	c, turnout, err := campaignTurnout(ctx, q, id)
	if err != nil {
		return nil, err
	}
	ins, err := instrumentByID(ctx, q, c.InstrumentID)
	if err != nil {
		return nil, err
	}
	set := &dataset{campaign: c, ins: ins, agencies: map[int64]agencyInfo{}}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.name, `+typeAtOpen+` FROM survey_campaign_agencies ca
		JOIN agencies a ON a.id = ca.agency_id WHERE ca.campaign_id = $1 ORDER BY a.name, a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("survey: campaign agencies: %w", err)
	}
	for rows.Next() {
		var a int64
		var info agencyInfo
		if err := rows.Scan(&a, &info.name, &info.typ); err != nil {
			rows.Close()
			return nil, fmt.Errorf("survey: campaign agencies: %w", err)
		}
		set.agencies[a] = info
		set.order = append(set.order, a)
	}
	rows.Close()
	for k, t := range turnout {
		if info, ok := set.agencies[k.agency]; ok {
			info.invited, info.answered = t.invited, t.answered
			set.agencies[k.agency] = info
		}
	}
	// An open campaign shows no results: its answers are not read.
	set.groups, set.pools = map[int64]moments{}, map[int64]string{}
	if c.Status == Closed {
		if set.groups, set.pools, err = loadMoments(ctx, q, id); err != nil {
			return nil, err
		}
	}
	n, typ := map[int64]int{}, map[int64]string{}
	for a, info := range set.agencies {
		info.respondents = set.groups[a].respondents()
		set.agencies[a] = info
		n[a], typ[a] = info.respondents, info.typ
	}
	for p, t := range set.pools {
		n[p], typ[p] = set.groups[p].respondents(), t
	}
	set.cells = suppress(n, typ)
	return set, nil
}

// typeAtOpen is an agency's type as the campaign opened (ca), or its type
// now (a) for a campaign agency recorded without one.
const typeAtOpen = `COALESCE(NULLIF(ca.agency_type, ''), a.type)`

// agencyTypes are the agency types in the order results list them.
var agencyTypes = []string{"dinas", "badan", "sekretariat", "bagian", "kecamatan", "kelurahan", "upt", "other"}

// poolID is the key, in place of an agency id, of a campaign's pooled
// responses (stored without their agency) of type t: -2, -3, … for the
// agency types, -1 for those without a type. Keys of pools are never
// published as agencies (see suppress).
func poolID(t string) int64 { return int64(-2 - slices.Index(agencyTypes, t)) }

// poolType is the type of the pool keyed id.
func poolType(id int64) string {
	if i := int(-2 - id); i >= 0 && i < len(agencyTypes) {
		return agencyTypes[i]
	}
	return ""
}

// campaignTypes returns each agency's type as the campaign opened.
func campaignTypes(ctx context.Context, q db.Querier, campaign int64) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT ca.agency_id, `+typeAtOpen+` FROM survey_campaign_agencies ca
		JOIN agencies a ON a.id = ca.agency_id WHERE ca.campaign_id = $1`, campaign)
	if err != nil {
		return nil, fmt.Errorf("survey: agency types: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var a int64
		var t string
		if err := rows.Scan(&a, &t); err != nil {
			return nil, fmt.Errorf("survey: agency types: %w", err)
		}
		out[a] = t
	}
	return out, rows.Err()
}

// members lists the agencies of a group, then the pools of pooled
// responses that count towards it: every pool for the city, a type's own.
func (set *dataset) members(g Group) []int64 {
	var out []int64
	for _, a := range set.order {
		info := set.agencies[a]
		if g.Kind == GroupCity || g.Kind == GroupAgency && a == g.AgencyID || g.Kind == GroupAgencyType && info.typ == g.AgencyType {
			out = append(out, a)
		}
	}
	for _, t := range append([]string{""}, agencyTypes...) {
		p := poolID(t)
		if _, ok := set.pools[p]; ok && (g.Kind == GroupCity || g.Kind == GroupAgencyType && t == g.AgencyType) {
			out = append(out, p)
		}
	}
	return out
}

func (set *dataset) published(g Group) bool {
	switch g.Kind {
	case GroupAgency:
		return set.cells.Agency[g.AgencyID]
	case GroupAgencyType:
		return set.cells.Type[g.AgencyType]
	}
	return set.cells.City
}

// momentsOf adds up the moments of agencies (and pools).
func (set *dataset) momentsOf(agencies []int64) moments {
	out := newMoments()
	for _, a := range agencies {
		if g, ok := set.groups[a]; ok {
			out.add(g)
		}
	}
	return out
}

func (set *dataset) groupName(g Group) string {
	if g.Kind == GroupAgency {
		return set.agencies[g.AgencyID].name
	}
	return ""
}

func (set *dataset) hasType(t string) bool {
	return slices.Contains(set.types(), t)
}

// types lists the campaign's agency types in a fixed order.
func (set *dataset) types() []string {
	var out []string
	for _, t := range agencyTypes {
		for _, info := range set.agencies {
			if info.typ == t {
				out = append(out, t)
				break
			}
		}
	}
	return out
}
