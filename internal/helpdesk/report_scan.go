package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// The period's tickets are read in one pass over the covering index
// tickets_report and added up here, rather than by a GROUP BY per table:
// SQLite groups by sorting, and the eight sorts of a year's 150,000
// tickets and two window-function medians took over a second in all, this
// pass about 190 ms for the whole report (each column a row brings costs
// the driver more than computing it in SQL, hence the packed codes). On
// PostgreSQL too the pass (about 300 ms) beat its own aggregates side by
// side (about 470 ms, measured under the same load). Only integers and the tags cross; nothing is kept per ticket but
// the two durations the medians need and what its minutes and rating are
// counted by.

// Outcomes of an SLA clock, as periodScan's query computes them
// (breached is met + 1).
const (
	clockRunning = iota
	clockMet
	clockBreached
	clockLate
)

// periodScan reads the period's tickets (scanTickets), in as many parts
// of the period side by side as there are processors, and adds the parts
// up; then the minutes logged and the ratings of those tickets, each read
// in one range of its index by ticket (a lookup per ticket reads pages all
// over the file instead, five times slower for a year on SQLite).
func periodScan(ctx context.Context, dbq db.Querier, e db.Engine, f ReportFilter, at time.Time) (*periodGroups, error) {
	parts := max(1, min(runtime.GOMAXPROCS(0), 4))
	groups := make([]*periodGroups, parts)
	refs := make([]refIndex, parts)
	errs := make([]error, parts)
	step := f.To.Sub(f.From) / time.Duration(parts)
	var wg sync.WaitGroup
	for i := range parts {
		part := f
		part.From = f.From.Add(time.Duration(i) * step)
		if i < parts-1 {
			part.To = part.From.Add(step)
		}
		wg.Go(func() { groups[i], errs[i] = scanTickets(ctx, dbq, e, part, at, &refs[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	g := groups[0]
	for i := 1; i < parts; i++ {
		g.merge(groups[i])
		refs[0].ids, refs[0].refs = append(refs[0].ids, refs[i].ids...), append(refs[0].refs, refs[i].refs...)
	}
	// The medians are selected while the minutes and ratings are read.
	var wg2 sync.WaitGroup
	wg2.Go(func() { g.med = g.medians() })
	defer wg2.Wait()
	if len(refs[0].ids) == 0 {
		return g, nil
	}
	return g, g.addPairs(ctx, dbq, &refs[0])
}

// scanTickets reads the tickets of f once, with the outcome of both SLA
// clocks and the two durations, adds them up, and notes each in refs.
//
// Each column of each row costs the driver two or three calls into SQLite
// (and a Go string for a text), more than the virtual machine's work to
// compute it: the three codes and the two outcomes come as one integer
// (ticketCodes, then two bits per outcome), nine columns instead of
// thirteen.
func scanTickets(ctx context.Context, dbq db.Querier, e db.Engine, f ReportFilter, at time.Time, refs *refIndex) (*periodGroups, error) {
	q := reportWhere(e, f, true)
	stop := "COALESCE(t.pending_since, " + q.arg(at) + ")"
	// A clock's outcome in arithmetic (fewer steps than a CASE): met (1)
	// or breached (2) when its moment came, else late (3) or running (0);
	// a comparison is 0 or 1, NULL when the moment has not come. Dues are
	// never NULL.
	truth := func(cond string) string {
		if e == db.Postgres {
			return "CAST(" + cond + " AS INTEGER)"
		}
		return "(" + cond + ")"
	}
	outcome := func(moment, due string) string {
		return fmt.Sprintf("COALESCE(%d + %s, %d * %s)", clockMet, truth(moment+" > "+due), clockLate, truth(due+" < "+stop))
	}
	frSQL, resSQL := durations(e)
	rows, err := dbq.QueryContext(ctx, `SELECT t.id, t.team_id, t.agency_id, t.app_id, t.assignee_account_id, t.tags, `+
		reportCodes.sql(e)+` * 16 + (`+
		outcome("COALESCE(t.first_responded_at, t.resolved_at)", "t.first_response_due")+`) * 4 + `+
		outcome("t.resolved_at", "t.resolution_due")+`, `+
		frSQL+`, `+resSQL+q.from+q.where, q.args...)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", err)
	}
	defer rows.Close()
	g := newPeriodGroups()
	// Integers scan into any, which database/sql fills without conversion
	// or reflection (a fifth of the pass when scanned into NullInt64).
	var id, team, agency, app, assignee, codes, fr, res any
	var tags sql.RawBytes
	const microsPerMinute = float64(time.Minute / time.Microsecond)
	for rows.Next() {
		if err := rows.Scan(&id, &team, &agency, &app, &assignee, &tags, &codes, &fr, &res); err != nil {
			return nil, err
		}
		packed := i64(codes)
		p, c, ch, ok := reportCodes.decode(packed / 16)
		if !ok { // the schema's CHECKs allow no other values
			return nil, fmt.Errorf("tickets: ticket %v: unknown priority, category or channel", id)
		}
		g.add(i64(team), i64(agency), i64(app), p, c, ch, packed/4%4, packed%4)
		if len(tags) > 0 {
			g.tags[string(tags)]++
		}
		if fr != nil {
			g.fr = append(g.fr, float64(i64(fr))/microsPerMinute)
		}
		if res != nil {
			g.res = append(g.res, float64(i64(res))/microsPerMinute)
		}
		refs.add(i64(id), ticketRef{team: i64(team), app: i64(app), assignee: i64(assignee)})
	}
	return g, rows.Err()
}

// ticketCodes packs a ticket's priority, category and channel into one
// integer in SQL: each is found by its position in the concatenation of
// its values (instr, strpos), which the schema's CHECKs make exact, and
// the three positions are the digits of a number in base 64.
type ticketCodes struct {
	lists  [3][]string // Priorities, Categories, Channels
	joined [3]string
	index  [3][64]int8 // position → index into the list, -1 for none
}

var reportCodes = newTicketCodes()

func newTicketCodes() *ticketCodes {
	c := &ticketCodes{lists: [3][]string{Priorities, Categories, Channels}}
	for k, list := range c.lists {
		c.joined[k] = strings.Join(list, "")
		if len(c.joined[k]) >= 64 {
			panic("helpdesk: report codes: values too long for base 64")
		}
		for i := range c.index[k] {
			c.index[k][i] = -1
		}
		for i, v := range list {
			pos := strings.Index(c.joined[k], v) + 1
			if c.index[k][pos] >= 0 {
				panic("helpdesk: report codes: " + v + " is found at another value's place")
			}
			c.index[k][pos] = int8(i)
		}
	}
	return c
}

// sql is the expression of the packed codes of ticket t.
func (c *ticketCodes) sql(e db.Engine) string {
	find := "instr('%s', t.%s)"
	if e == db.Postgres {
		find = "strpos('%s', t.%s)"
	}
	var parts [3]string
	for k, col := range []string{"priority", "category", "channel"} {
		parts[k] = fmt.Sprintf(find, c.joined[k], col)
	}
	return "(" + parts[0] + " * 4096 + " + parts[1] + " * 64 + " + parts[2] + ")"
}

// decode returns the indexes of the priority, category and channel of
// packed codes v.
func (c *ticketCodes) decode(v int64) (p, cat, ch uint8, ok bool) {
	if v < 0 || v >= 64*64*64 {
		return 0, 0, 0, false
	}
	a, b, d := c.index[0][v/4096], c.index[1][v/64%64], c.index[2][v%64]
	return uint8(a), uint8(b), uint8(d), a >= 0 && b >= 0 && d >= 0
}

// addPairs adds the minutes logged and the ratings of the tickets in refs.
func (g *periodGroups) addPairs(ctx context.Context, dbq db.Querier, refs *refIndex) error {
	lo, hi := refs.index()
	// The two read side by side; each writes only its own map.
	var timeErr, ratingErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		timeErr = eachPair(ctx, dbq, `SELECT m.ticket_id, m.time_spent_minutes FROM ticket_messages m
			WHERE m.time_spent_minutes > 0 AND m.ticket_id >= $1 AND m.ticket_id <= $2`, lo, hi, func(id, minutes int64) {
			if t, ok := refs.get(id); ok {
				g.times[[2]int64{t.team, t.app}] += int(minutes)
			}
		})
	})
	wg.Go(func() {
		ratingErr = eachPair(ctx, dbq, `SELECT r.ticket_id, r.score FROM ticket_ratings r
			WHERE r.ticket_id >= $1 AND r.ticket_id <= $2`, lo, hi, func(id, score int64) {
			if t, ok := refs.get(id); ok && score >= 1 && score <= 5 {
				g.ratings[ratingKey{t.team, t.assignee, t.app, int(score)}]++
			}
		})
	})
	wg.Wait()
	if timeErr != nil {
		return fmt.Errorf("time spent: %w", timeErr)
	}
	if ratingErr != nil {
		return fmt.Errorf("ratings: %w", ratingErr)
	}
	return nil
}

// ticketRef is what the minutes and ratings of a ticket are counted by.
type ticketRef struct {
	team, app, assignee int64
	ok                  bool
}

// refIndex finds the period's tickets by id. Ids of a period's tickets are
// close together, so they index a slice; a map holds them when they are
// not (a narrow filter over years).
type refIndex struct {
	ids   []int64
	refs  []ticketRef
	lo    int64
	dense []ticketRef
	byID  map[int64]ticketRef
}

func (x *refIndex) add(id int64, r ticketRef) {
	r.ok = true
	x.ids, x.refs = append(x.ids, id), append(x.refs, r)
}

// index builds the lookup and returns the lowest and highest id.
func (x *refIndex) index() (lo, hi int64) {
	lo, hi = slices.Min(x.ids), slices.Max(x.ids)
	x.lo = lo
	if span := hi - lo + 1; span <= 8*int64(len(x.ids))+1024 {
		x.dense = make([]ticketRef, span)
		for i, id := range x.ids {
			x.dense[id-lo] = x.refs[i]
		}
	} else {
		x.byID = make(map[int64]ticketRef, len(x.ids))
		for i, id := range x.ids {
			x.byID[id] = x.refs[i]
		}
	}
	x.ids, x.refs = nil, nil
	return lo, hi
}

func (x *refIndex) get(id int64) (ticketRef, bool) {
	if x.byID != nil {
		r, ok := x.byID[id]
		return r, ok
	}
	if i := id - x.lo; i >= 0 && i < int64(len(x.dense)) {
		return x.dense[i], x.dense[i].ok
	}
	return ticketRef{}, false
}

// eachPair calls fn with the two integers of each row of query, which
// takes the range lo–hi.
func eachPair(ctx context.Context, dbq db.Querier, query string, lo, hi int64, fn func(a, b int64)) error {
	rows, err := dbq.QueryContext(ctx, query, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	var a, b any
	for rows.Next() {
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(i64(a), i64(b))
	}
	return rows.Err()
}

// i64 is an integer column's value, 0 for NULL.
func i64(v any) int64 {
	n, _ := v.(int64)
	return n
}
