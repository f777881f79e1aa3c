package competency

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// The help desk's signal. An agency whose staff filed at least
// HelpdeskMinTickets procedure tickets (category "procedure": how do I …)
// about one application in the last HelpdeskWindow, from at least
// HelpdeskMinReporters different people, shows a need to operate that
// application (its competency with app_use "operate", `<slug>.operasi`) at
// HelpdeskLevel ("mandiri": operates it without help) — even where no
// requirement names it and no one was assessed. The need is inferred for
// the people it concerns: the reporters of those tickets and the
// application's operators in the agency, each unless their verified level
// already reaches HelpdeskLevel. One person asking twice is a question;
// three colleagues asking five times in a quarter is a training need.
const (
	HelpdeskWindow       = 90 * 24 * time.Hour
	HelpdeskMinTickets   = 5
	HelpdeskMinReporters = 3
	HelpdeskLevel        = 3
)

// HelpdeskSignal is what the help desk saw in one agency about one
// application.
type HelpdeskSignal struct {
	AgencyID  int64 `json:"agency_id"`
	AppID     int64 `json:"app_id"`
	Tickets   int   `json:"tickets"`   // procedure tickets in the window
	Reporters int   `json:"reporters"` // different people who filed them
	Days      int   `json:"days"`      // the window, in days
}

// helpdeskSignal is a signal with the competency it points at and whom it
// concerns.
type helpdeskSignal struct {
	HelpdeskSignal
	comp      int
	reporters []int64 // employee ids
}

// loadSignals finds the agencies (in scope) whose procedure tickets cross
// the thresholds, and infers the needs they show.
func (w *gapWorld) loadSignals(ctx context.Context, rd db.Querier, scope gapScope) error {
	operate := map[int64]int{}
	for i, c := range w.comps {
		if c.operate && c.appID != 0 {
			operate[c.appID] = i
		}
	}
	if len(operate) == 0 || len(w.emps) == 0 {
		return nil
	}
	args := []any{w.now.Add(-HelpdeskWindow)}
	agencyCond := ""
	switch {
	case scope.AgencyID != 0:
		args = append(args, scope.AgencyID)
		agencyCond = " AND t.agency_id = $2"
	case scope.EmployeeID != 0:
		args = append(args, w.agency[0])
		agencyCond = " AND t.agency_id = $2"
	}
	rows, err := rd.QueryContext(ctx, `SELECT t.agency_id, t.app_id, COALESCE(a.employee_id, 0), COUNT(*)
		FROM tickets t LEFT JOIN accounts a ON a.id = t.reporter_account_id
		WHERE t.category = 'procedure' AND t.created_at >= $1 AND t.app_id IS NOT NULL AND t.agency_id IS NOT NULL`+
		agencyCond+` GROUP BY t.agency_id, t.app_id, a.employee_id ORDER BY t.agency_id, t.app_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur *helpdeskSignal
	var found []helpdeskSignal
	for rows.Next() {
		var agency, app, reporter int64
		var n int
		if err := rows.Scan(&agency, &app, &reporter, &n); err != nil {
			return err
		}
		c, ok := operate[app]
		if !ok {
			continue
		}
		if cur == nil || cur.AgencyID != agency || cur.AppID != app {
			found = append(found, helpdeskSignal{HelpdeskSignal: HelpdeskSignal{AgencyID: agency, AppID: app,
				Days: int(HelpdeskWindow / (24 * time.Hour))}, comp: c})
			cur = &found[len(found)-1]
		}
		cur.Tickets += n
		if reporter != 0 {
			cur.Reporters++
			cur.reporters = append(cur.reporters, reporter)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range found {
		if s.Tickets >= HelpdeskMinTickets && s.Reporters >= HelpdeskMinReporters {
			w.signals = append(w.signals, s)
		}
	}
	return w.inferFromSignals(ctx, rd)
}

// inferFromSignals gives the reporters and operators each signal concerns
// the need it shows.
func (w *gapWorld) inferFromSignals(ctx context.Context, rd db.Querier) error {
	if len(w.signals) == 0 {
		return nil
	}
	operators := map[[2]int64][]int64{} // agency, app → operators' employee ids
	// The operators of the flagged applications (an index seek per
	// application, role_grants_app), kept where their agency raised the
	// signal. One condition per application, not per signal: a ministry
	// raises signals in hundreds of agencies, and a condition per pair
	// grew past SQLite's expression depth.
	flagged := map[[2]int64]bool{}
	var args []any
	var marks []string
	for _, s := range w.signals {
		if !slices.Contains(args, any(s.AppID)) {
			args = append(args, s.AppID)
			marks = append(marks, fmt.Sprintf("$%d", len(args)))
		}
		flagged[[2]int64{s.AgencyID, s.AppID}] = true
	}
	rows, err := rd.QueryContext(ctx, `SELECT g.agency_id, g.app_id, a.employee_id FROM role_grants g
		JOIN accounts a ON a.id = g.account_id
		WHERE g.role = 'operator' AND a.active = TRUE AND g.app_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var agency, app, emp int64
		if err := rows.Scan(&agency, &app, &emp); err != nil {
			return err
		}
		if k := [2]int64{agency, app}; flagged[k] {
			operators[k] = append(operators[k], emp)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range w.signals {
		people := append(append([]int64{}, s.reporters...), operators[[2]int64{s.AgencyID, s.AppID}]...)
		for _, id := range people {
			e := w.index.of(id)
			if e < 0 || w.agency[e] != s.AgencyID {
				continue // only the agency's own staff: someone moved since is judged where they are
			}
			if k := w.at(e, s.comp); w.need[k] < HelpdeskLevel {
				w.need[k] = HelpdeskLevel
				w.inferred[k] = true
			}
		}
	}
	return nil
}
