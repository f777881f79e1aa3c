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

// reportQuery is the FROM and WHERE clauses over tickets t and their
// arguments, to which a query adds its own parameters with arg.
type reportQuery struct {
	from, where string
	args        []any
}

// arg adds a parameter and returns its placeholder.
func (q *reportQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// reportWhere is the filter of f; withPeriod limits it to the tickets filed
// in the period (the backlog is the open tickets now, of any period).
//
// The period's queries read the covering index tickets_report (0011) and
// never the tickets' rows. SQLite is told so: its planner prefers
// tickets_team for a GROUP BY on the team, and then reads every row it
// points to, ten times slower for a year. PostgreSQL chooses well alone.
func reportWhere(e db.Engine, f ReportFilter, withPeriod bool) *reportQuery {
	q := &reportQuery{from: " FROM tickets t"}
	if withPeriod && e == db.SQLite {
		q.from += " INDEXED BY tickets_report"
	}
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

// durations are the SQL for a ticket's first response and resolution
// times (the resolution less the time pending) in whole microseconds:
// SQLite stores times so, and integers scan without conversion.
//
// On PostgreSQL date_part, not EXTRACT: since version 14 EXTRACT computes
// in numeric, which made the year's pass a third slower on the server
// (about 80 against 58 ms for half a year of 150,000 tickets). date_part's
// double holds a duration of up to a few centuries to the microsecond,
// which the cast rounds to.
func durations(e db.Engine) (first, resolution string) {
	if e == db.Postgres {
		return "CAST(date_part('epoch', t.first_responded_at - t.created_at) * 1000000 AS BIGINT)",
			"CAST((date_part('epoch', t.resolved_at - t.created_at) - t.paused_seconds) * 1000000 AS BIGINT)"
	}
	return "t.first_responded_at - t.created_at", "t.resolved_at - t.created_at - t.paused_seconds * 1000000"
}

// report reads the report in three queries side by side on the replica
// (db.DB.Replica: a report may lag the help desk by a moment): the names,
// the backlog now, and the period's tickets in one pass (periodScan).
func (s *Service) report(ctx context.Context, f ReportFilter, at time.Time) (Report, error) {
	r := Report{AgencyID: f.AgencyID, AppID: f.AppID, TeamID: f.TeamID, GeneratedAt: at}
	var n reportNames
	var g *periodGroups
	var backlog []BacklogRow
	q, e := s.db.Replica, s.db.Engine()
	steps := []func() error{
		func() (err error) { n, err = readReportNames(ctx, q); return },
		func() (err error) { g, err = periodScan(ctx, q, e, f, at); return },
		func() (err error) { backlog, err = backlogRows(ctx, q, e, f, at); return },
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
	r.Medians = g.med
	n.assemble(&r, g.slaList(), g.volumeList(), g.tagList(), backlog, g.timeList(), g.ratingList())
	return r, nil
}

// backlogRows counts the open tickets now by team and age, from the
// covering index of the open tickets tickets_backlog.
func backlogRows(ctx context.Context, dbq db.Querier, e db.Engine, f ReportFilter, at time.Time) ([]BacklogRow, error) {
	q := reportWhere(e, f, false)
	if e == db.SQLite { // the open tickets' own index (0012), as for the period
		q.from += " INDEXED BY tickets_backlog"
	}
	bucket := func(days int) string {
		return "SUM(CASE WHEN t.created_at > " + q.arg(at.AddDate(0, 0, -days)) + " THEN 1 ELSE 0 END)"
	}
	rows, err := dbq.QueryContext(ctx, `SELECT t.team_id, `+bucket(1)+`, `+bucket(3)+`, `+bucket(7)+`, `+bucket(30)+
		`, count(*) `+q.from+q.where+` AND t.status IN ('new', 'open', 'pending') GROUP BY t.team_id`, q.args...)
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

// reportNames are the names a report shows for the ids it counts.
type reportNames struct {
	agencies, apps, teams, agents map[int64]string
}

func readReportNames(ctx context.Context, q db.Querier) (reportNames, error) {
	n := reportNames{}
	for _, l := range []struct {
		dst  *map[int64]string
		sql  string
		args []any
	}{
		{&n.agencies, `SELECT id, name FROM agencies`, nil},
		{&n.apps, `SELECT id, name FROM apps`, nil},
		{&n.teams, `SELECT id, name FROM teams`, nil},
		{&n.agents, `SELECT DISTINCT a.id, e.name FROM accounts a JOIN employees e ON e.id = a.employee_id
			JOIN role_grants g ON g.account_id = a.id WHERE g.role IN (` + deskRolesIn(1) + `)`, deskRoleArgs()},
	} {
		m, err := nameMap(ctx, q, l.sql, l.args...)
		if err != nil {
			return n, fmt.Errorf("names: %w", err)
		}
		*l.dst = m
	}
	return n, nil
}

func nameMap(ctx context.Context, q db.Querier, query string, args ...any) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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
