package impact

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// day is the unit the rates are per (30 of them).
const day = 24 * time.Hour

// windows are the spans a measure counts in.
type windows struct {
	beforeFrom, beforeTo time.Time // [beforeFrom, beforeTo): Window before the start
	afterFrom, afterTo   time.Time // [afterFrom, afterTo): from the end, Window or until now
}

// measure gathers the groups and counts every measure for them.
func (s *Service) measure(ctx context.Context, ev eventRow, scope int64) (Impact, error) {
	now := s.now()
	w := windows{beforeFrom: ev.starts.Add(-Window), beforeTo: ev.starts, afterFrom: ev.ends, afterTo: ev.ends.Add(Window)}
	if w.afterTo.After(now) {
		w.afterTo = now
	}
	out := Impact{EventID: ev.id, Title: ev.title, StartsAt: ev.starts, EndsAt: ev.ends,
		WindowDays: int(Window / day), BeforeFrom: w.beforeFrom, AfterTo: ev.ends.Add(Window), At: now}
	if scope != 0 {
		out.AgencyID = &scope
	}
	out.AfterDays = max(0, w.afterTo.Sub(w.afterFrom).Hours()/24)
	var err error
	if out.Apps, err = taughtApps(ctx, s.db.Replica, ev.id); err != nil {
		return out, err
	}
	if out.Apps == nil {
		out.Apps = []App{} // the API answers [], never null
	}
	// Both groups are read for the whole city and narrowed here: whether
	// an agency's figures may be shown depends on the rest of the city's.
	cityAttendees, err := attendeeAccounts(ctx, s.db.Replica, ev.id)
	if err != nil {
		return out, err
	}
	cityComparison, err := comparisonAccounts(ctx, s.db.Replica, ev.id, w)
	if err != nil {
		return out, err
	}
	attendees, completed := inScope(cityAttendees, scope)
	comparison, _ := inScope(cityComparison, scope)
	suppressed := !shown(cityAttendees, cityComparison, scope)
	out.Completed, out.Attendees, out.Comparison = completed, len(attendees), len(comparison)
	everyone := append(append([]int64{}, attendees...), comparison...)
	appIDs := make([]int64, len(out.Apps))
	for i, a := range out.Apps {
		appIDs[i] = a.ID
	}
	counts, err := countAll(ctx, s.db.Replica, everyone, appIDs, w)
	if err != nil {
		return out, err
	}
	early := out.AfterDays*float64(day) < float64(MinAfter)
	out.Suppressed = suppressed && len(attendees) >= MinGroup && len(comparison) >= MinGroup
	small := len(attendees) < MinGroup || len(comparison) < MinGroup || suppressed
	out.Conclusive = !early && !small
	beforeDays := Window.Hours() / 24
	for _, m := range catalogue {
		per := counts[m.Key]
		a := group(attendees, per, beforeDays, out.AfterDays)
		c := group(comparison, per, beforeDays, out.AfterDays)
		mm := Measure{Key: m.Key, Level: m.Level, Better: m.Better}
		switch {
		case small:
			mm.Verdict = TooSmall // neither group's figures: a group under five, or one subtraction would reveal, is not shown
		case early:
			mm.Verdict, mm.Attendees, mm.Comparison = TooEarly, &a.Group, &c.Group
		default:
			mm.Attendees, mm.Comparison = &a.Group, &c.Group
			judge(&mm, a, c)
		}
		out.Measures = append(out.Measures, mm)
	}
	return out, nil
}

// catalogue names the measures, their Kirkpatrick level and which way is
// better.
var catalogue = []Measure{
	{Key: Tickets, Level: 4, Better: "lower"},
	{Key: SelfService, Level: 3, Better: "higher"},
	{Key: Answers, Level: 3, Better: "higher"},
	{Key: AcceptedAnswers, Level: 4, Better: "higher"},
}

// perPerson is an account's counts before and after.
type perPerson struct{ before, after int }

// taughtApps are the applications of the competencies the event taught.
func taughtApps(ctx context.Context, q db.Querier, eventID int64) ([]App, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT a.id, a.name FROM event_competencies ec
		JOIN competencies c ON c.id = ec.competency_id JOIN apps a ON a.id = c.app_id
		WHERE ec.event_id = $1 ORDER BY a.name, a.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("impact: apps: %w", err)
	}
	defer rows.Close()
	var out []App
	for rows.Next() {
		var a App
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, fmt.Errorf("impact: apps: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// member is one person of a group: their account (0: none) and agency.
type member struct{ account, agency int64 }

// attendeeAccounts are those of the whole city who completed the event.
func attendeeAccounts(ctx context.Context, q db.Querier, eventID int64) ([]member, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, e.agency_id FROM enrolments n JOIN employees e ON e.id = n.employee_id
		LEFT JOIN accounts a ON a.employee_id = e.id
		WHERE n.event_id = $1 AND n.status = 'completed' ORDER BY e.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("impact: attendees: %w", err)
	}
	defer rows.Close()
	var out []member
	for rows.Next() {
		var id *int64
		var m member
		if err := rows.Scan(&id, &m.agency); err != nil {
			return nil, fmt.Errorf("impact: attendees: %w", err)
		}
		if id != nil {
			m.account = *id
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// inScope are the accounts of the members of scope's agency (0: all), and
// how many members that is, with an account or not.
func inScope(members []member, scope int64) ([]int64, int) {
	var ids []int64
	n := 0
	for _, m := range members {
		if scope != 0 && m.agency != scope {
			continue
		}
		n++
		if m.account != 0 {
			ids = append(ids, m.account)
		}
	}
	return ids, n
}

// shown says whether the figures of scope's agency (0: the city) may be
// shown. A group under MinGroup is not; nor, because a reader of the city
// and of every agency can subtract (the city minus the agencies shown is
// the hidden ones), an agency's figures when the rest of the city is 1 to
// MinGroup-1 people, nor the city's when the agencies not shown hold 1 to
// MinGroup-1 people together — for the attendees and the comparison group
// alike. (internal/survey's suppression also weighs agency types, which
// this page does not publish.)
func shown(attendees, comparison []member, scope int64) bool {
	att, cmp := map[int64]int{}, map[int64]int{}
	totAtt, totCmp := 0, 0
	for _, m := range attendees {
		if m.account != 0 { // the figures are of those with an account
			att[m.agency]++
			totAtt++
		}
	}
	for _, m := range comparison {
		cmp[m.agency]++
		totCmp++
	}
	small := func(n int) bool { return n > 0 && n < MinGroup }
	agencyShown := func(a int64) bool {
		return att[a] >= MinGroup && cmp[a] >= MinGroup && !small(totAtt-att[a]) && !small(totCmp-cmp[a])
	}
	if scope != 0 {
		return agencyShown(scope)
	}
	if totAtt < MinGroup || totCmp < MinGroup {
		return false
	}
	hiddenAtt, hiddenCmp := 0, 0
	seen := map[int64]bool{}
	for _, ag := range []map[int64]int{att, cmp} {
		for a := range ag {
			if seen[a] {
				continue
			}
			seen[a] = true
			if !agencyShown(a) {
				hiddenAtt += att[a]
				hiddenCmp += cmp[a]
			}
		}
	}
	return !small(hiddenAtt) && !small(hiddenCmp)
}

// comparisonAccounts are the colleagues who did not attend (see the
// package comment for who they are).
func comparisonAccounts(ctx context.Context, q db.Querier, eventID int64, w windows) ([]member, error) {
	// The candidates come from two indexed joins (same agency and position
	// as an attendee; operators of a taught application in an attendee's
	// agency), so the cost follows the groups, not the city's size.
	rows, err := q.QueryContext(ctx, `WITH att AS (SELECT x.agency_id, x.position_id FROM enrolments n
			JOIN employees x ON x.id = n.employee_id WHERE n.event_id = $1 AND n.status = 'completed'),
		pos AS (SELECT DISTINCT agency_id, position_id FROM att WHERE position_id IS NOT NULL),
		cand AS (SELECT e.id FROM pos JOIN employees e ON e.agency_id = pos.agency_id AND e.position_id = pos.position_id
			UNION
			SELECT e.id FROM role_grants g JOIN accounts ga ON ga.id = g.account_id JOIN employees e ON e.id = ga.employee_id
			WHERE g.role = 'operator' AND g.agency_id = e.agency_id AND e.agency_id IN (SELECT agency_id FROM att)
			AND g.app_id IN (SELECT c.app_id FROM event_competencies ec JOIN competencies c ON c.id = ec.competency_id
				WHERE ec.event_id = $1))
		SELECT a.id, e.agency_id FROM cand JOIN employees e ON e.id = cand.id JOIN accounts a ON a.employee_id = e.id
		WHERE e.active = TRUE
		AND NOT EXISTS (SELECT 1 FROM enrolments n WHERE n.event_id = $1 AND n.employee_id = e.id
			AND n.status NOT IN ('cancelled', 'waitlisted'))
		AND NOT EXISTS (SELECT 1 FROM enrolments n JOIN events v ON v.id = n.event_id
			JOIN event_competencies ec ON ec.event_id = v.id
			WHERE n.employee_id = e.id AND n.status = 'completed' AND v.id <> $1
			AND ec.competency_id IN (SELECT competency_id FROM event_competencies WHERE event_id = $1)
			AND v.starts_at < $3 AND v.ends_at > $2)
		ORDER BY a.id`, eventID, w.beforeFrom, w.afterTo)
	if err != nil {
		return nil, fmt.Errorf("impact: comparison: %w", err)
	}
	defer rows.Close()
	var out []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.account, &m.agency); err != nil {
			return nil, fmt.Errorf("impact: comparison: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// chunk is how many accounts one counting query names; it keeps the
// statement's parameters well under both engines' limits.
const chunk = 2000

// countAll counts each measure per account, before and after.
func countAll(ctx context.Context, q db.Querier, accounts, apps []int64, w windows) (map[string]map[int64]perPerson, error) {
	out := map[string]map[int64]perPerson{}
	for _, m := range catalogue {
		out[m.Key] = map[int64]perPerson{}
	}
	for from := 0; from < len(accounts); from += chunk {
		part := accounts[from:min(from+chunk, len(accounts))]
		for _, m := range catalogue {
			if err := count(ctx, q, m.Key, part, apps, w, out[m.Key]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// count adds one measure's counts of accounts into into.
func count(ctx context.Context, q db.Querier, key string, accounts, apps []int64, w windows, into map[int64]perPerson) error {
	marks, args := db.InList(accounts)
	n := len(args)
	p := func(i int) string { return "$" + strconv.Itoa(n+i) }
	args = append(args, w.beforeFrom, w.beforeTo, w.afterFrom, w.afterTo)
	var who, at, from, where string
	switch key {
	case Tickets:
		who, at, from = "t.reporter_account_id", "t.created_at", "tickets t"
		if len(apps) > 0 {
			appMarks, appArgs := db.InListFrom(n+5, apps)
			args = append(args, appArgs...)
			where = " AND t.app_id IN (" + appMarks + ")"
		}
	case SelfService:
		who, at, from = "v.account_id", "v.viewed_at", "search_self_service v"
	case Answers, AcceptedAnswers:
		who, at = "p.author_account_id", "p.created_at"
		from = "posts p JOIN threads th ON th.id = p.thread_id"
		where = " AND th.question = TRUE AND p.hidden_at IS NULL AND p.author_account_id <> th.author_account_id"
		if key == AcceptedAnswers {
			where += " AND th.accepted_post_id = p.id"
		}
	}
	query := `SELECT ` + who + `, SUM(CASE WHEN ` + at + ` < ` + p(2) + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + at + ` >= ` + p(3) + ` THEN 1 ELSE 0 END) FROM ` + from + `
		WHERE ` + who + ` IN (` + marks + `) AND ((` + at + ` >= ` + p(1) + ` AND ` + at + ` < ` + p(2) + `)
		OR (` + at + ` >= ` + p(3) + ` AND ` + at + ` < ` + p(4) + `))` + where + ` GROUP BY ` + who
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("impact: count %s: %w", key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c perPerson
		if err := rows.Scan(&id, &c.before, &c.after); err != nil {
			return fmt.Errorf("impact: count %s: %w", key, err)
		}
		into[id] = c
	}
	return rows.Err()
}
