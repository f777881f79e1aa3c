package competency

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// GapService is the gap analysis (training-needs analysis): for a person,
// an agency or the city, who lacks which required competency and by how
// many levels, ranked, with the activities and events that would close
// each gap and the needs the help desk's tickets show.
type GapService struct {
	db  *db.DB
	now func() time.Time
}

// NewGapService returns the gap analysis over d.
func NewGapService(d *db.DB) *GapService {
	return &GapService{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// GapFilter narrows a list of who lacks what.
type GapFilter struct {
	Competency *string // a competency's code: only those lacking it
}

// Gap is one competency a person needs: the level required and why, the
// level they hold, their own view of it, and what would close the gap.
type Gap struct {
	Competency    GapCompetency   `json:"competency"`
	RequiredLevel int             `json:"required_level"`
	CurrentLevel  int             `json:"current_level"` // verified and not lapsed; 0: none
	SelfLevel     *int            `json:"self_level"`    // the person's latest self-assessment; null: none
	Gap           int             `json:"gap"`           // levels lacking; 0: met
	LapsesAt      *time.Time      `json:"lapses_at"`     // when the current level lapses; null: it does not
	RequiredBy    []GapReason     `json:"required_by"`   // the requirements behind it
	Helpdesk      *HelpdeskSignal `json:"helpdesk"`      // the help desk's signal behind it, if any
	Proposals     []Proposal      `json:"proposals"`     // activities and upcoming events that reach the level
}

// Lapses is when the current level lapses, the zero time when it does not
// (for pages).
func (g Gap) Lapses() time.Time {
	if g.LapsesAt == nil {
		return time.Time{}
	}
	return *g.LapsesAt
}

// Self is the person's latest self-assessed level, 0 when they have not
// assessed themselves (for pages: SelfLevel is a pointer so the API can say null).
func (g Gap) Self() int {
	if g.SelfLevel == nil {
		return 0
	}
	return *g.SelfLevel
}

// GapReason is a requirement that applies to the person.
type GapReason struct {
	RequirementID int64  `json:"requirement_id"`
	Kind          string `json:"kind"`      // position, role or app
	Name          string `json:"name"`      // the position's or application's name, or the role's code
	AgencyID      *int64 `json:"agency_id"` // the agency it holds in; null: city-wide
	Level         int    `json:"level"`
}

// PersonGaps returns the competencies person employeeID needs, ranked by
// the levels lacking (with met true, also those they meet, gap 0, last).
func (s *GapService) PersonGaps(ctx context.Context, actor *policy.Actor, employeeID int64, met bool,
	p db.Page) ([]Gap, string, error) {
	var agency int64
	var supervisor sql.NullInt64
	err := s.db.R.QueryRowContext(ctx, `SELECT agency_id, supervisor_id FROM employees WHERE id = $1`, employeeID).
		Scan(&agency, &supervisor)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return nil, "", fmt.Errorf("gaps of %d: %w", employeeID, err)
	}
	isSupervisor := actor != nil && actor.EmployeeID != 0 && supervisor.Valid && supervisor.Int64 == actor.EmployeeID
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: agency, EmployeeID: employeeID,
		Supervisor: isSupervisor}); err != nil {
		return nil, "", err
	}
	gaps, err := s.personGaps(ctx, employeeID, agency, met)
	if err != nil {
		return nil, "", err
	}
	slices.SortFunc(gaps, comparePersonOwnGaps)
	return keyset(gaps, p, comparePersonOwnGaps, gapCursor, gapProbe)
}

func comparePersonOwnGaps(a, b Gap) int {
	return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(b.RequiredLevel, a.RequiredLevel),
		cmp.Compare(a.Competency.Code, b.Competency.Code))
}

func gapCursor(g Gap) string { return db.Cursor(g.Gap, g.RequiredLevel, g.Competency.Code) }

func gapProbe(c string) (Gap, error) {
	var g Gap
	err := db.ParseCursor(c, &g.Gap, &g.RequiredLevel, &g.Competency.Code)
	return g, err
}

// AgencyGaps ranks the competencies an agency's people lack.
func (s *GapService) AgencyGaps(ctx context.Context, actor *policy.Actor, agencyID int64, p db.Page) ([]CompetencyGap, string, error) {
	w, err := s.agencyWorld(ctx, actor, agencyID)
	if err != nil {
		return nil, "", err
	}
	return s.competencyPage(ctx, w, agencyID, p)
}

// AgencyPeople lists who in an agency lacks what, ranked by the levels
// lacking.
func (s *GapService) AgencyPeople(ctx context.Context, actor *policy.Actor, agencyID int64, f GapFilter,
	p db.Page) ([]PersonGapRow, string, error) {
	w, err := s.agencyWorld(ctx, actor, agencyID)
	if err != nil {
		return nil, "", err
	}
	return s.peoplePage(ctx, w, f, p)
}

// CityGaps ranks the competencies the city's people lack.
func (s *GapService) CityGaps(ctx context.Context, actor *policy.Actor, p db.Page) ([]CompetencyGap, string, error) {
	w, err := s.cityWorld(ctx, actor)
	if err != nil {
		return nil, "", err
	}
	return s.competencyPage(ctx, w, 0, p)
}

// CityAgencies ranks the city's agencies by the levels their people lack.
func (s *GapService) CityAgencies(ctx context.Context, actor *policy.Actor, p db.Page) ([]AgencyGap, string, error) {
	w, err := s.cityWorld(ctx, actor)
	if err != nil {
		return nil, "", err
	}
	items, next, err := keyset(w.byAgency(), p, compareAgencyGaps, agencyGapCursor, agencyGapProbe)
	if err != nil {
		return nil, "", err
	}
	return items, next, s.nameAgencies(ctx, items)
}

// CityPeople lists who in the city lacks what, ranked by the levels
// lacking.
func (s *GapService) CityPeople(ctx context.Context, actor *policy.Actor, f GapFilter, p db.Page) ([]PersonGapRow, string, error) {
	w, err := s.cityWorld(ctx, actor)
	if err != nil {
		return nil, "", err
	}
	return s.peoplePage(ctx, w, f, p)
}

func (s *GapService) cityWorld(ctx context.Context, actor *policy.Actor) (*gapWorld, error) {
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{}); err != nil {
		return nil, err
	}
	return loadGapWorld(ctx, s.db.Replica, gapScope{}, s.now())
}

func (s *GapService) agencyWorld(ctx context.Context, actor *policy.Actor, agencyID int64) (*gapWorld, error) {
	var one int
	err := s.db.Replica.QueryRowContext(ctx, `SELECT 1 FROM agencies WHERE id = $1`, agencyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("agency %d: %w", agencyID, err)
	}
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: agencyID}); err != nil {
		return nil, err
	}
	return loadGapWorld(ctx, s.db.Replica, gapScope{AgencyID: agencyID}, s.now())
}

// competencyPage pages the ranked competencies and adds the proposals of
// the page's rows (events open to agency; 0: any).
func (s *GapService) competencyPage(ctx context.Context, w *gapWorld, agency int64, p db.Page) ([]CompetencyGap, string, error) {
	items, next, err := keyset(w.byCompetency(), p, compareCompetencyGaps, competencyGapCursor, competencyGapProbe)
	if err != nil {
		return nil, "", err
	}
	ids := make([]int64, len(items))
	for i, g := range items {
		ids[i] = g.Competency.ID
	}
	props, err := loadProposals(ctx, s.db.Replica, ids, agency, w.now)
	if err != nil {
		return nil, "", err
	}
	for i := range items {
		items[i].Proposals = props.pick(items[i].Competency.ID, items[i].RequiredLevel)
		if items[i].Helpdesk == nil {
			items[i].Helpdesk = []HelpdeskSignal{}
		}
	}
	return items, next, nil
}

func competencyGapCursor(g CompetencyGap) string {
	return db.Cursor(g.LevelsShort, g.Lacking, g.Competency.Code)
}

func competencyGapProbe(c string) (CompetencyGap, error) {
	var g CompetencyGap
	err := db.ParseCursor(c, &g.LevelsShort, &g.Lacking, &g.Competency.Code)
	return g, err
}

func agencyGapCursor(g AgencyGap) string { return db.Cursor(g.LevelsShort, g.Lacking, g.Agency.ID) }

func agencyGapProbe(c string) (AgencyGap, error) {
	var g AgencyGap
	err := db.ParseCursor(c, &g.LevelsShort, &g.Lacking, &g.Agency.ID)
	return g, err
}

func personGapCursor(g PersonGapRow) string {
	return db.Cursor(g.Gap, g.RequiredLevel, g.Employee.ID, g.Competency.Code)
}

func personGapProbe(c string) (PersonGapRow, error) {
	var g PersonGapRow
	err := db.ParseCursor(c, &g.Gap, &g.RequiredLevel, &g.Employee.ID, &g.Competency.Code)
	return g, err
}

// peoplePage pages who lacks what and names the page's people.
func (s *GapService) peoplePage(ctx context.Context, w *gapWorld, f GapFilter, p db.Page) ([]PersonGapRow, string, error) {
	comp := -1
	if f.Competency != nil {
		comp = slices.IndexFunc(w.comps, func(c gapComp) bool { return c.Code == *f.Competency })
		if comp < 0 {
			return nil, "", errFieldCompetency()
		}
	}
	var after peopleCursor
	if p.After != "" {
		g, err := personGapProbe(p.After)
		if err != nil {
			return nil, "", err
		}
		after = w.cursorKey(g)
	}
	keys, more := w.people(comp, after, p.Size())
	byRank := make([]int, len(w.comps))
	for c, r := range w.codeRanks() {
		byRank[r] = c
	}
	items := make([]PersonGapRow, 0, len(keys))
	for _, k := range keys {
		items = append(items, w.row(k, byRank))
	}
	next := ""
	if more && len(items) > 0 {
		next = personGapCursor(items[len(items)-1])
	}
	return items, next, s.namePeople(ctx, items)
}

// errFieldCompetency says a competency code names none.
func errFieldCompetency() error { return errs.FieldErr("competency", "gap.competency_unknown") }

// keyset returns the page of the ranked items after the cursor: the items
// are computed whole, so the cursor holds the rank key of the last row
// shown, as every list's does.
func keyset[T any](items []T, p db.Page, compare func(a, b T) int, cursor func(T) string,
	probe func(string) (T, error)) ([]T, string, error) {
	start := 0
	if p.After != "" {
		after, err := probe(p.After)
		if err != nil {
			return nil, "", err
		}
		start, _ = slices.BinarySearchFunc(items, after, func(x, t T) int {
			if compare(x, t) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+p.Size(), len(items))
	page := items[start:end]
	if page == nil {
		page = []T{}
	}
	next := ""
	if end < len(items) && len(page) > 0 {
		next = cursor(page[len(page)-1])
	}
	return page, next, nil
}
