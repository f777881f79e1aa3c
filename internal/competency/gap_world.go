package competency

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// gapScope says whose gaps to analyse: one person, one agency, or (both
// zero) the whole city.
type gapScope struct {
	EmployeeID int64
	AgencyID   int64
}

// gapComp is a competency in force (not retired).
type gapComp struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	appID   int64
	operate bool
}

// gapReq is a requirement of a competency in force.
type gapReq struct {
	id       int64
	comp     int // index into gapWorld.comps
	level    int8
	position int64
	role     string
	app      int64
	agency   int64
}

// gapWorld is what the analysis of a scope reads, held in flat arrays: a
// city of 300,000 people with 40 competencies is two 12 MB tables (the
// level each person needs and the level they hold), which is far quicker
// to walk than to join in SQL.
type gapWorld struct {
	now     time.Time
	comps   []gapComp
	reqs    []gapReq
	emps    []int64 // the active people in scope, by id
	agency  []int64 // the agency of each
	index   idIndex
	need    []int8 // len(emps)*len(comps): the level required, 0 none
	held    []int8 // the verified level held now
	signals []helpdeskSignal
	// inferred marks the needs that come from the help desk alone (key:
	// person index * len(comps) + competency index).
	inferred map[int]bool
	// why lists the requirements behind each need; only kept for one
	// person's analysis, where the page names them.
	why map[int][]int
}

// at is the cell of person e and competency c in need and held.
func (w *gapWorld) at(e, c int) int { return e*len(w.comps) + c }

// loadGapWorld reads everything the analysis of scope needs, through rd:
// eight queries at most, whatever the size of the scope. An agency's and
// the city's analyses are reports and read the replica (db.DB.Replica); one
// person's reads the primary, as their page shows what was just assessed.
func loadGapWorld(ctx context.Context, rd db.Querier, scope gapScope, now time.Time) (*gapWorld, error) {
	w := &gapWorld{now: now, inferred: map[int]bool{}}
	if scope.EmployeeID != 0 {
		w.why = map[int][]int{}
	}
	for _, step := range []func(context.Context, db.Querier, gapScope) error{w.loadComps, w.loadReqs, w.loadPeople} {
		if err := step(ctx, rd, scope); err != nil {
			return nil, fmt.Errorf("gap analysis: %w", err)
		}
	}
	// What people need and what they hold fill different tables: read
	// them on two reader connections at once.
	var held error
	var wg sync.WaitGroup
	wg.Go(func() { held = w.loadHeld(ctx, rd, scope) })
	err := w.loadGrants(ctx, rd, scope)
	if err == nil {
		err = w.loadSignals(ctx, rd, scope)
	}
	wg.Wait()
	if err = cmp.Or(err, held); err != nil {
		return nil, fmt.Errorf("gap analysis: %w", err)
	}
	return w, nil
}

func (w *gapWorld) loadComps(ctx context.Context, rd db.Querier, _ gapScope) error {
	rows, err := rd.QueryContext(ctx, `SELECT id, code, name, COALESCE(app_id, 0), COALESCE(app_use, '')
		FROM competencies WHERE retired_at IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c gapComp
		var use string
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.appID, &use); err != nil {
			return err
		}
		c.operate = use == "operate"
		w.comps = append(w.comps, c)
	}
	return rows.Err()
}

// compIndex returns the index of competency id, -1 if it is not in force.
func (w *gapWorld) compIndex(id int64) int {
	lo, hi := 0, len(w.comps)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case w.comps[m].ID == id:
			return m
		case w.comps[m].ID < id:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

func (w *gapWorld) loadReqs(ctx context.Context, rd db.Querier, _ gapScope) error {
	rows, err := rd.QueryContext(ctx, `SELECT id, competency_id, level, COALESCE(position_id, 0), COALESCE(role, ''),
		COALESCE(app_id, 0), COALESCE(agency_id, 0) FROM competency_requirements ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r gapReq
		var comp int64
		if err := rows.Scan(&r.id, &comp, &r.level, &r.position, &r.role, &r.app, &r.agency); err != nil {
			return err
		}
		if r.comp = w.compIndex(comp); r.comp >= 0 {
			w.reqs = append(w.reqs, r)
		}
	}
	return rows.Err()
}

// scopeWhere narrows a query over people (alias e) to the scope.
func scopeWhere(scope gapScope, args []any) (string, []any) {
	switch {
	case scope.EmployeeID != 0:
		return fmt.Sprintf(" AND e.id = $%d", len(args)+1), append(args, scope.EmployeeID)
	case scope.AgencyID != 0:
		return fmt.Sprintf(" AND e.agency_id = $%d", len(args)+1), append(args, scope.AgencyID)
	}
	return "", args
}

// loadPeople reads the active people in scope and gives each the needs of
// their position and those of every employee: a requirement for the
// employee role holds for everyone in the directory (one held in an agency,
// for its staff), whether or not they have an account yet.
func (w *gapWorld) loadPeople(ctx context.Context, rd db.Querier, scope gapScope) error {
	where, args := scopeWhere(scope, nil)
	rows, err := rd.QueryContext(ctx, `SELECT e.id, e.agency_id, COALESCE(e.position_id, 0) FROM employees e
		WHERE e.active = TRUE`+where+` ORDER BY e.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byPosition := map[int64][]int{}
	var everyone []int
	for i, r := range w.reqs {
		switch {
		case r.position != 0:
			byPosition[r.position] = append(byPosition[r.position], i)
		case r.role == string(policy.Employee):
			everyone = append(everyone, i)
		}
	}
	var positions []int64
	for rows.Next() {
		var id, agency, position int64
		if err := rows.Scan(&id, &agency, &position); err != nil {
			return err
		}
		w.emps = append(w.emps, id)
		w.agency = append(w.agency, agency)
		positions = append(positions, position)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.index = newIDIndex(w.emps)
	w.need = make([]int8, len(w.emps)*len(w.comps))
	w.held = make([]int8, len(w.emps)*len(w.comps))
	for e, p := range positions {
		for _, i := range byPosition[p] {
			if r := w.reqs[i]; r.agency == 0 || r.agency == w.agency[e] {
				w.require(e, i)
			}
		}
		for _, i := range everyone {
			if r := w.reqs[i]; r.agency == 0 || r.agency == w.agency[e] {
				w.require(e, i)
			}
		}
	}
	return nil
}

// require applies requirement i to person e.
func (w *gapWorld) require(e, i int) {
	r := w.reqs[i]
	k := w.at(e, r.comp)
	w.need[k] = max(w.need[k], r.level)
	if w.why != nil {
		w.why[k] = append(w.why[k], i)
	}
}

// loadGrants applies the requirements of roles other than employee (see
// loadPeople) and of operating an application, from the role grants of the
// people in scope.
func (w *gapWorld) loadGrants(ctx context.Context, rd db.Querier, scope gapScope) error {
	byRole, byApp := map[string][]int{}, map[int64][]int{}
	var roles []string
	for i, r := range w.reqs {
		switch {
		case r.role != "" && r.role != string(policy.Employee):
			if byRole[r.role] == nil {
				roles = append(roles, r.role)
			}
			byRole[r.role] = append(byRole[r.role], i)
		case r.app != 0:
			byApp[r.app] = append(byApp[r.app], i)
		}
	}
	if len(roles) == 0 && len(byApp) == 0 {
		return nil
	}
	var args []any
	var marks []string
	for _, r := range roles {
		args = append(args, r)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	cond := "g.app_id IS NOT NULL"
	if len(marks) > 0 {
		cond = "(g.role IN (" + strings.Join(marks, ", ") + ") OR g.app_id IS NOT NULL)"
	}
	// One agency or person: the grants of its accounts, joined. The city:
	// the grants and the accounts read side by side and matched here, as
	// index lookups for 300,000 grants cost more than two plain scans.
	where, args := scopeWhere(scope, args)
	q := `SELECT a.employee_id, g.role, COALESCE(g.agency_id, 0), COALESCE(g.app_id, 0)
		FROM role_grants g JOIN accounts a ON a.id = g.account_id JOIN employees e ON e.id = a.employee_id
		WHERE a.active = TRUE AND ` + cond + where
	person := w.index.of
	if where == "" {
		accounts, err := w.accountIndex(ctx, rd)
		if err != nil {
			return err
		}
		q = `SELECT g.account_id, g.role, COALESCE(g.agency_id, 0), COALESCE(g.app_id, 0) FROM role_grants g WHERE ` + cond
		person = accounts.of
	}
	rows, err := rd.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, agency, app int64
		var role sql.RawBytes
		if err := rows.Scan(&id, &role, &agency, &app); err != nil {
			return err
		}
		e := person(id)
		if e < 0 {
			continue
		}
		for _, i := range byRole[string(role)] {
			if r := w.reqs[i]; r.agency == 0 || r.agency == agency {
				w.require(e, i)
			}
		}
		for _, i := range byApp[app] {
			if r := w.reqs[i]; string(role) == "operator" && (r.agency == 0 || r.agency == agency) {
				w.require(e, i)
			}
		}
	}
	return rows.Err()
}

// loadHeld reads the verified levels held now: one row per person.
func (w *gapWorld) loadHeld(ctx context.Context, rd db.Querier, scope gapScope) error {
	where, args := scopeWhere(scope, nil)
	q := `SELECT h.employee_id, h.levels FROM competency_held h`
	if where != "" {
		q += ` JOIN employees e ON e.id = h.employee_id WHERE TRUE` + where
	}
	rows, err := rd.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := w.now.Unix()
	var row int
	add := func(comp int64, level int8) {
		if c := w.compIndex(comp); c >= 0 {
			w.held[row+c] = max(w.held[row+c], level)
		}
	}
	for rows.Next() {
		var id int64
		var levels sql.RawBytes
		if err := rows.Scan(&id, &levels); err != nil {
			return err
		}
		e := w.index.of(id)
		if e < 0 {
			continue
		}
		row = e * len(w.comps)
		decodeHeld(levels, now, add)
	}
	return rows.Err()
}
