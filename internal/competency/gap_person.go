package competency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// personGaps analyses one person: every competency they need, with the
// requirements behind it, their self-assessment, when their level lapses
// and the proposals for the gaps.
func (s *GapService) personGaps(ctx context.Context, employeeID, agency int64, met bool) ([]Gap, error) {
	w, err := loadGapWorld(ctx, s.db.R, gapScope{EmployeeID: employeeID}, s.now())
	if err != nil {
		return nil, err
	}
	out := []Gap{}
	if len(w.emps) == 0 {
		return out, nil // no longer in service: nothing is required of them
	}
	self, lapses, err := s.personLevels(ctx, employeeID, w)
	if err != nil {
		return nil, err
	}
	names, err := s.reasonNames(ctx, w)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for c := range w.comps {
		need, held := int(w.need[c]), int(w.held[c])
		if need == 0 || (need <= held && !met) {
			continue
		}
		g := Gap{Competency: w.ref(c), RequiredLevel: need, CurrentLevel: held, Gap: max(need-held, 0),
			RequiredBy: []GapReason{}, Proposals: []Proposal{}}
		if l, ok := self[c]; ok {
			g.SelfLevel = &l
		}
		if t, ok := lapses[c]; ok && held > 0 {
			g.LapsesAt = &t
		}
		for _, i := range w.why[c] {
			g.RequiredBy = append(g.RequiredBy, names.reason(w.reqs[i]))
		}
		for _, sig := range w.signals {
			if sig.comp == c && w.inferred[c] {
				g.Helpdesk = &sig.HelpdeskSignal
			}
		}
		if g.Gap > 0 {
			ids = append(ids, g.Competency.ID)
		}
		out = append(out, g)
	}
	props, err := loadProposals(ctx, s.db.R, ids, agency, w.now)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Gap > 0 {
			out[i].Proposals = props.pick(out[i].Competency.ID, out[i].RequiredLevel)
		}
	}
	return out, nil
}

// personLevels reads the person's latest self-assessment per competency
// and when each verified level they hold now lapses.
func (s *GapService) personLevels(ctx context.Context, employeeID int64, w *gapWorld) (map[int]int, map[int]time.Time, error) {
	self, lapses := map[int]int{}, map[int]time.Time{}
	rows, err := s.db.R.QueryContext(ctx, `SELECT competency_id, level FROM competency_assessments
		WHERE employee_id = $1 AND source = 'self' ORDER BY assessed_at, id`, employeeID)
	if err != nil {
		return nil, nil, fmt.Errorf("self-assessments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var comp int64
		var level int
		if err := rows.Scan(&comp, &level); err != nil {
			return nil, nil, fmt.Errorf("self-assessments: %w", err)
		}
		if c := w.compIndex(comp); c >= 0 {
			self[c] = level // the latest wins
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("self-assessments: %w", err)
	}
	var levels string
	err = s.db.R.QueryRowContext(ctx, `SELECT levels FROM competency_held WHERE employee_id = $1`, employeeID).Scan(&levels)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("levels: %w", err)
	}
	for comp, span := range heldLevels(levels, w.now) {
		if c := w.compIndex(comp); c >= 0 && span.lapses() {
			lapses[c] = span.until
		}
	}
	return self, lapses, nil
}

// reasonNamer names the positions and applications requirements refer to.
type reasonNamer struct{ positions, apps map[int64]string }

func (n reasonNamer) reason(r gapReq) GapReason {
	g := GapReason{RequirementID: r.id, Level: int(r.level)}
	switch {
	case r.position != 0:
		g.Kind, g.Name = "position", n.positions[r.position]
	case r.app != 0:
		g.Kind, g.Name = "app", n.apps[r.app]
	default:
		g.Kind, g.Name = "role", r.role
	}
	if r.agency != 0 {
		a := r.agency
		g.AgencyID = &a
	}
	return g
}

// reasonNames loads the names of the positions and applications the
// person's requirements name, one query each.
func (s *GapService) reasonNames(ctx context.Context, w *gapWorld) (reasonNamer, error) {
	n := reasonNamer{positions: map[int64]string{}, apps: map[int64]string{}}
	var positions, apps []int64
	for _, list := range w.why {
		for _, i := range list {
			if r := w.reqs[i]; r.position != 0 {
				positions = append(positions, r.position)
			} else if r.app != 0 {
				apps = append(apps, r.app)
			}
		}
	}
	if err := namesByID(ctx, s.db.R, "positions", "name", positions, func(id int64, name, _ string) {
		n.positions[id] = name
	}); err != nil {
		return n, err
	}
	err := namesByID(ctx, s.db.R, "apps", "name", apps, func(id int64, name, _ string) { n.apps[id] = name })
	return n, err
}

// namesByID reads id, the named column and code (or "") of the rows of
// table with the ids given, in one query.
func namesByID(ctx context.Context, q db.Querier, table, column string, ids []int64, fn func(id int64, name, code string)) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := db.InList(ids)
	code := "''"
	if table == "agencies" {
		code = "code"
	}
	rows, err := q.QueryContext(ctx, `SELECT id, `+column+`, `+code+` FROM `+table+` WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("names of %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, c string
		if err := rows.Scan(&id, &name, &c); err != nil {
			return fmt.Errorf("names of %s: %w", table, err)
		}
		fn(id, name, c)
	}
	return rows.Err()
}

// nameAgencies fills in the agencies' codes and names.
func (s *GapService) nameAgencies(ctx context.Context, items []AgencyGap) error {
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].Agency.ID
	}
	byID := map[int64]GapAgency{}
	if err := namesByID(ctx, s.db.Replica, "agencies", "name", ids, func(id int64, name, code string) {
		byID[id] = GapAgency{ID: id, Code: code, Name: name}
	}); err != nil {
		return err
	}
	for i := range items {
		items[i].Agency = byID[items[i].Agency.ID]
	}
	return nil
}

// namePeople fills in the names of the people listed.
func (s *GapService) namePeople(ctx context.Context, items []PersonGapRow) error {
	ids := make([]int64, 0, len(items))
	for i := range items {
		ids = append(ids, items[i].Employee.ID)
	}
	names := map[int64]string{}
	if err := namesByID(ctx, s.db.Replica, "employees", "name", ids, func(id int64, name, _ string) { names[id] = name }); err != nil {
		return err
	}
	for i := range items {
		items[i].Employee.Name = names[items[i].Employee.ID]
	}
	return nil
}

// personName reads a person's name and agency for their page.
func (s *GapService) personName(ctx context.Context, id int64) (GapPerson, string, error) {
	p := GapPerson{ID: id}
	var agency string
	err := s.db.R.QueryRowContext(ctx, `SELECT e.name, e.agency_id, a.name FROM employees e
		JOIN agencies a ON a.id = e.agency_id WHERE e.id = $1`, id).Scan(&p.Name, &p.AgencyID, &agency)
	if err != nil {
		return p, "", fmt.Errorf("person %d: %w", id, err)
	}
	return p, agency, nil
}

// levelTexts reads the four level descriptions of the gaps' competencies.
func (s *GapService) levelTexts(ctx context.Context, gaps []Gap) (map[int64][4]string, error) {
	out := map[int64][4]string{}
	if len(gaps) == 0 {
		return out, nil
	}
	ids := make([]int64, len(gaps))
	for i, g := range gaps {
		ids[i] = g.Competency.ID
	}
	in, args := db.InList(ids)
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, level1, level2, level3, level4 FROM competencies WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("level texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l [4]string
		if err := rows.Scan(&id, &l[0], &l[1], &l[2], &l[3]); err != nil {
			return nil, fmt.Errorf("level texts: %w", err)
		}
		out[id] = l
	}
	return out, rows.Err()
}

// agencyChoices lists the agencies whose gaps the actor may see, by name,
// for the page's picker: every agency for city-wide viewers, else those
// where they lead, administer or train.
func (s *GapService) agencyChoices(ctx context.Context, actor *policy.Actor) ([]GapAgency, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, code, name FROM agencies ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	defer rows.Close()
	var out []GapAgency
	for rows.Next() {
		var a GapAgency
		if err := rows.Scan(&a.ID, &a.Code, &a.Name); err != nil {
			return nil, fmt.Errorf("agencies: %w", err)
		}
		if policy.Can(actor, policy.DevelopmentView, policy.Target{AgencyID: a.ID}) {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}
