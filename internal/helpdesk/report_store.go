package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// reportQuery is a WHERE clause over tickets t and its arguments, to which
// a query adds its own parameters with arg.
type reportQuery struct {
	where string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (q *reportQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// reportWhere is the filter of f; withPeriod limits it to the tickets filed
// in the period (the backlog is the open tickets now, of any period).
func reportWhere(f ReportFilter, withPeriod bool) *reportQuery {
	q := &reportQuery{}
	conds := []string{"1 = 1"}
	if withPeriod {
		conds = append(conds, "t.created_at >= "+q.arg(f.From.UTC()), "t.created_at < "+q.arg(f.To.UTC()))
	}
	for _, c := range []struct {
		col string
		id  *int64
	}{{"t.agency_id", f.AgencyID}, {"t.app_id", f.AppID}, {"t.team_id", f.TeamID}} {
		if c.id != nil {
			conds = append(conds, c.col+" = "+q.arg(*c.id))
		}
	}
	q.where = " WHERE " + strings.Join(conds, " AND ")
	return q
}

// minutesBetween is the SQL for the minutes from earlier to later: SQLite
// stores times as microseconds since 1970, PostgreSQL as timestamps.
func minutesBetween(e db.Engine, later, earlier string) string {
	if e == db.Postgres {
		return "EXTRACT(EPOCH FROM (" + later + " - " + earlier + ")) / 60.0"
	}
	return "(" + later + " - " + earlier + ") / 60000000.0"
}

// report runs the report's queries side by side on the read pool: each is
// one aggregate over the period's tickets, and they share nothing.
func (s *Service) report(ctx context.Context, f ReportFilter, at time.Time) (Report, error) {
	r := Report{AgencyID: f.AgencyID, AppID: f.AppID, TeamID: f.TeamID, GeneratedAt: at}
	var n reportNames
	var sla []slaGroup
	var volume []volumeGroup
	var tags []Tally
	var backlog []BacklogRow
	var times []timeGroup
	var ratings []ratingGroup
	q := s.db.R
	steps := []func() error{
		func() (err error) { n, err = readReportNames(ctx, q); return },
		func() (err error) { sla, err = slaGroups(ctx, q, f, at); return },
		func() (err error) { volume, err = volumeGroups(ctx, q, f); return },
		func() (err error) { tags, err = tagCounts(ctx, q, f); return },
		func() (err error) { backlog, err = backlogRows(ctx, q, f, at); return },
		func() (err error) { times, err = timeGroups(ctx, q, f); return },
		func() (err error) { ratings, err = ratingGroups(ctx, q, f); return },
		func() (err error) {
			r.Medians.FirstResponseMinutes, r.Medians.FirstResponses, err = median(ctx, q, f,
				minutesBetween(s.db.Engine(), "t.first_responded_at", "t.created_at"), "t.first_responded_at IS NOT NULL")
			return
		},
		func() (err error) {
			r.Medians.ResolutionMinutes, r.Medians.Resolutions, err = median(ctx, q, f,
				minutesBetween(s.db.Engine(), "t.resolved_at", "t.created_at")+" - t.paused_seconds / 60.0",
				"t.resolved_at IS NOT NULL")
			return
		},
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Go(func() { errs[i] = step() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Report{}, fmt.Errorf("helpdesk: report: %w", err)
	}
	n.assemble(&r, sla, volume, tags, backlog, times, ratings)
	return r, nil
}

// slaGroup is the tickets of one team, priority, category and channel
// with their SLA outcomes.
type slaGroup struct {
	team                 *int64
	priority, cat, chann string
	tickets              int
	first, resolution    Clock
}

// slaGroups counts the period's tickets by team, priority, category and
// channel (a few hundred groups at most) with the outcome of both SLA
// clocks; every other grouping of these is added up from them.
func slaGroups(ctx context.Context, dbq db.Querier, f ReportFilter, at time.Time) ([]slaGroup, error) {
	q := reportWhere(f, true)
	stop := "COALESCE(t.pending_since, " + q.arg(at) + ")"
	outcome := func(moment, due string) string {
		return `SUM(CASE WHEN ` + moment + ` IS NOT NULL AND ` + moment + ` <= ` + due + ` THEN 1 ELSE 0 END),
			SUM(CASE WHEN ` + moment + ` > ` + due + ` THEN 1 ELSE 0 END),
			SUM(CASE WHEN ` + moment + ` IS NULL AND ` + due + ` < ` + stop + ` THEN 1 ELSE 0 END)`
	}
	rows, err := dbq.QueryContext(ctx, `SELECT t.team_id, t.priority, t.category, t.channel, count(*), `+
		outcome("COALESCE(t.first_responded_at, t.resolved_at)", "t.first_response_due")+`, `+
		outcome("t.resolved_at", "t.resolution_due")+` FROM tickets t`+q.where+
		` GROUP BY t.team_id, t.priority, t.category, t.channel`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("SLA: %w", err)
	}
	defer rows.Close()
	var list []slaGroup
	for rows.Next() {
		var g slaGroup
		var team sql.NullInt64
		if err := rows.Scan(&team, &g.priority, &g.cat, &g.chann, &g.tickets, &g.first.Met, &g.first.Breached,
			&g.first.Late, &g.resolution.Met, &g.resolution.Breached, &g.resolution.Late); err != nil {
			return nil, err
		}
		g.team = idPtr(team)
		list = append(list, g)
	}
	return list, rows.Err()
}

// volumeGroup is the count of one agency, application and category.
type volumeGroup struct {
	agency, app *int64
	category    string
	count       int
}

func volumeGroups(ctx context.Context, dbq db.Querier, f ReportFilter) ([]volumeGroup, error) {
	q := reportWhere(f, true)
	rows, err := dbq.QueryContext(ctx, `SELECT t.agency_id, t.app_id, t.category, count(*) FROM tickets t`+q.where+
		` GROUP BY t.agency_id, t.app_id, t.category`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("volume: %w", err)
	}
	defer rows.Close()
	var list []volumeGroup
	for rows.Next() {
		var g volumeGroup
		var agency, app sql.NullInt64
		if err := rows.Scan(&agency, &app, &g.category, &g.count); err != nil {
			return nil, err
		}
		g.agency, g.app = idPtr(agency), idPtr(app)
		list = append(list, g)
	}
	return list, rows.Err()
}

// tagCounts counts the period's tickets per tag. Tickets are grouped by
// their whole (stored, comma-separated) tag list in SQL, which repeats far
// more than tickets do, and the lists are split here: the same on both
// engines without splitting strings in SQL.
func tagCounts(ctx context.Context, dbq db.Querier, f ReportFilter) ([]Tally, error) {
	q := reportWhere(f, true)
	rows, err := dbq.QueryContext(ctx, `SELECT t.tags, count(*) FROM tickets t`+q.where+
		` AND t.tags <> '' GROUP BY t.tags`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var tags string
		var n int
		if err := rows.Scan(&tags, &n); err != nil {
			return nil, err
		}
		for _, tag := range splitTags(tags) {
			counts[tag] += n
		}
	}
	list := make([]Tally, 0, len(counts))
	for tag, n := range counts {
		list = append(list, Tally{Code: tag, Name: tag, Count: n})
	}
	return list, rows.Err()
}

// backlogRows counts the open tickets now by team and age.
func backlogRows(ctx context.Context, dbq db.Querier, f ReportFilter, at time.Time) ([]BacklogRow, error) {
	q := reportWhere(f, false)
	bucket := func(days int) string {
		return "SUM(CASE WHEN t.created_at > " + q.arg(at.AddDate(0, 0, -days)) + " THEN 1 ELSE 0 END)"
	}
	rows, err := dbq.QueryContext(ctx, `SELECT t.team_id, `+bucket(1)+`, `+bucket(3)+`, `+bucket(7)+`, `+bucket(30)+
		`, count(*) FROM tickets t`+q.where+` AND t.status IN ('new', 'open', 'pending') GROUP BY t.team_id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("backlog: %w", err)
	}
	defer rows.Close()
	var list []BacklogRow
	for rows.Next() {
		var b BacklogRow
		var team sql.NullInt64
		var d1, d3, d7, d30 int
		if err := rows.Scan(&team, &d1, &d3, &d7, &d30, &b.Total); err != nil {
			return nil, err
		}
		// The sums are cumulative (younger than 1, 3, 7, 30 days).
		b.ID, b.Under1, b.To3, b.To7, b.To30, b.Over30 = idPtr(team), d1, d3-d1, d7-d3, d30-d7, b.Total-d30
		list = append(list, b)
	}
	return list, rows.Err()
}

// timeGroup is the minutes logged on one team's tickets about one
// application.
type timeGroup struct {
	team, app *int64
	minutes   int
}

func timeGroups(ctx context.Context, dbq db.Querier, f ReportFilter) ([]timeGroup, error) {
	q := reportWhere(f, true)
	rows, err := dbq.QueryContext(ctx, `SELECT t.team_id, t.app_id, SUM(m.time_spent_minutes)
		FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id`+q.where+
		` AND m.time_spent_minutes > 0 GROUP BY t.team_id, t.app_id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("time spent: %w", err)
	}
	defer rows.Close()
	var list []timeGroup
	for rows.Next() {
		var g timeGroup
		var team, app sql.NullInt64
		if err := rows.Scan(&team, &app, &g.minutes); err != nil {
			return nil, err
		}
		g.team, g.app = idPtr(team), idPtr(app)
		list = append(list, g)
	}
	return list, rows.Err()
}

// ratingGroup is how many of one team's, agent's and application's
// tickets were rated score.
type ratingGroup struct {
	team, agent, app *int64
	score, count     int
}

func ratingGroups(ctx context.Context, dbq db.Querier, f ReportFilter) ([]ratingGroup, error) {
	q := reportWhere(f, true)
	rows, err := dbq.QueryContext(ctx, `SELECT t.team_id, t.assignee_account_id, t.app_id, r.score, count(*)
		FROM tickets t JOIN ticket_ratings r ON r.ticket_id = t.id`+q.where+
		` GROUP BY t.team_id, t.assignee_account_id, t.app_id, r.score`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("ratings: %w", err)
	}
	defer rows.Close()
	var list []ratingGroup
	for rows.Next() {
		var g ratingGroup
		var team, agent, app sql.NullInt64
		if err := rows.Scan(&team, &agent, &app, &g.score, &g.count); err != nil {
			return nil, err
		}
		g.team, g.agent, g.app = idPtr(team), idPtr(agent), idPtr(app)
		list = append(list, g)
	}
	return list, rows.Err()
}

// median returns the median of expr over the period's tickets where cond
// holds, and how many there are. The database numbers the values in order
// and returns only the middle one or two (a window query both engines
// run), so a year of tickets never crosses the wire.
func median(ctx context.Context, dbq db.Querier, f ReportFilter, expr, cond string) (*float64, int, error) {
	q := reportWhere(f, true)
	rows, err := dbq.QueryContext(ctx, `SELECT d, n FROM (SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS rn,
		COUNT(*) OVER () AS n FROM (SELECT CAST(`+expr+` AS DOUBLE PRECISION) AS d FROM tickets t`+q.where+` AND `+cond+`) x) y
		WHERE 2 * rn IN (n, n + 1, n + 2) ORDER BY rn`, q.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("median: %w", err)
	}
	defer rows.Close()
	var sum float64
	var k, n int
	for rows.Next() {
		var d float64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, 0, err
		}
		sum += d
		k++
	}
	if err := rows.Err(); err != nil || k == 0 {
		return nil, 0, err
	}
	m := sum / float64(k)
	return &m, n, nil
}

// reportNames are the names a report shows for the ids it counts.
type reportNames struct {
	agencies, apps, teams, agents map[int64]string
}

func readReportNames(ctx context.Context, q db.Querier) (reportNames, error) {
	n := reportNames{}
	for _, l := range []struct {
		dst *map[int64]string
		sql string
	}{
		{&n.agencies, `SELECT id, name FROM agencies`},
		{&n.apps, `SELECT id, name FROM apps`},
		{&n.teams, `SELECT id, name FROM teams`},
		{&n.agents, `SELECT DISTINCT a.id, e.name FROM accounts a JOIN employees e ON e.id = a.employee_id
			JOIN role_grants g ON g.account_id = a.id WHERE g.role IN ('agent', 'expert', 'superadmin')`},
	} {
		m, err := nameMap(ctx, q, l.sql)
		if err != nil {
			return n, fmt.Errorf("names: %w", err)
		}
		*l.dst = m
	}
	return n, nil
}

func nameMap(ctx context.Context, q db.Querier, query string) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m[id] = name
	}
	return m, rows.Err()
}
