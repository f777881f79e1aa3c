package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// AgencyRow is one agency's year: its people in service, their JP, and how
// many met the target or are behind.
type AgencyRow struct {
	AgencyID   int64   `json:"agency_id"`
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	People     int     `json:"people"`
	JP         int     `json:"jp"`
	AverageJP  float64 `json:"average_jp"`
	Met        int     `json:"met"`
	Behind     int     `json:"behind"`
	MetPercent int     `json:"met_percent"`
}

// City is the city's year: every agency's row, the worst off first, and
// the totals.
type City struct {
	Year     Year        `json:"year"`
	Agencies []AgencyRow `json:"agencies"`
	Total    AgencyRow   `json:"total"`
}

// yearJP is the JP of each person in the year, summed once: the other
// queries join it to the people they list. Arguments $1, $2: the year's
// bounds. Its statements run planned for their year (db.Planned): read in
// person order from learning_records_person, the sums stream (about 290 ms
// for the city at ministry scale), where a plan made without the bounds
// hashes every person's sum (680 ms).
const yearJP = `SELECT employee_id, SUM(jp) AS jp FROM learning_records
	WHERE completed_at >= $1 AND completed_at < $2 GROUP BY employee_id`

// personJP is the JP of the person e in the year, summed from the index of
// a person's records alone: the lists of one agency's people use it, as
// summing the whole city's year (yearJP) for a few hundred people cost
// 240 ms at ministry scale against 3–5 ms. Arguments $1, $2: the year's
// bounds.
const personJP = `(SELECT SUM(r.jp) FROM learning_records r
	WHERE r.employee_id = e.id AND r.completed_at >= $1 AND r.completed_at < $2)`

// City answers the city's ledger of year y (0: this year) in one grouped
// query, however many people the city has. The query reads the replica
// (it may lag by a moment); the year's target comes from the primary, as
// the page shows it right after someone sets it.
func (s *Service) City(ctx context.Context, actor *policy.Actor, y int) (City, error) {
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{}); err != nil {
		return City{}, err
	}
	yr, err := s.year(ctx, s.db.R, y)
	if err != nil {
		return City{}, err
	}
	rows, err := s.db.Replica.QueryContext(ctx, `SELECT a.id, a.code, a.name, COUNT(*), CAST(COALESCE(SUM(j.jp), 0) AS BIGINT),
		SUM(CASE WHEN COALESCE(j.jp, 0) >= $3 THEN 1 ELSE 0 END),
		SUM(CASE WHEN COALESCE(j.jp, 0) < $4 THEN 1 ELSE 0 END)
		FROM employees e JOIN agencies a ON a.id = e.agency_id
		LEFT JOIN (`+yearJP+`) j ON j.employee_id = e.id
		WHERE e.active GROUP BY a.id, a.code, a.name`, s.db.Planned(yr.From, yr.To, yr.Target, yr.Pace)...)
	if err != nil {
		return City{}, fmt.Errorf("ledger: city: %w", err)
	}
	defer rows.Close()
	c := City{Year: yr, Total: AgencyRow{Name: "total"}}
	for rows.Next() {
		var a AgencyRow
		if err := rows.Scan(&a.AgencyID, &a.Code, &a.Name, &a.People, &a.JP, &a.Met, &a.Behind); err != nil {
			return City{}, fmt.Errorf("ledger: city: %w", err)
		}
		a.finish()
		c.Agencies = append(c.Agencies, a)
		c.Total.People += a.People
		c.Total.JP += a.JP
		c.Total.Met += a.Met
		c.Total.Behind += a.Behind
	}
	if err := rows.Err(); err != nil {
		return City{}, fmt.Errorf("ledger: city: %w", err)
	}
	c.Total.finish()
	sortAgencies(c.Agencies)
	return c, nil
}

func (a *AgencyRow) finish() {
	if a.People > 0 {
		a.AverageJP = float64(a.JP*10/a.People) / 10
		a.MetPercent = a.Met * 100 / a.People
	}
}

// sortAgencies puts the agencies with the largest share behind first, so
// the page and the export lead with where help is needed.
func sortAgencies(list []AgencyRow) {
	share := func(a AgencyRow) int {
		if a.People == 0 {
			return 0
		}
		return a.Behind * 10000 / a.People
	}
	slices.SortFunc(list, func(a, b AgencyRow) int {
		if c := cmp.Compare(share(b), share(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.AgencyID, b.AgencyID)
	})
}

// PersonRow is a person's JP of the year, in a list.
type PersonRow struct {
	EmployeeID int64   `json:"employee_id"`
	Name       string  `json:"name"`
	NIP        *string `json:"nip"`
	AgencyID   int64   `json:"agency_id"`
	AgencyName string  `json:"agency_name"`
	JP         int     `json:"jp"`
	Target     int     `json:"target"`
	Remaining  int     `json:"remaining"`
	Status     string  `json:"status"`
}

// Filter picks the people of a ledger list.
type Filter struct {
	Year     int    // 0: this year
	AgencyID *int64 // nil: the whole city
	Behind   bool   // only those behind
}

// People lists the people of an agency (or the city) with their JP of the
// year, fewest JP first, one grouped query a page.
func (s *Service) People(ctx context.Context, actor *policy.Actor, f Filter, p db.Page) ([]PersonRow, string, Year, error) {
	var agency int64
	if f.AgencyID != nil {
		agency = *f.AgencyID
	}
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: agency}); err != nil {
		return nil, "", Year{}, err
	}
	yr, err := s.year(ctx, s.db.R, f.Year)
	if err != nil {
		return nil, "", Year{}, err
	}
	var after *personKey
	if p.After != "" {
		after = &personKey{}
		if err := db.ParseCursor(p.After, &after.jp, &after.name, &after.id); err != nil {
			return nil, "", Year{}, err
		}
	}
	size := p.Size()
	list, err := s.people(ctx, actor, yr, f, after, size+1)
	if err != nil {
		return nil, "", Year{}, err
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		last := list[size-1]
		next = db.Cursor(last.JP, last.Name, last.EmployeeID)
	}
	return list, next, yr, nil
}

// personKey is where a page of people starts: after this JP, name and id.
type personKey struct {
	jp   int
	name string
	id   int64
}

// people runs the list's query: at most limit rows (0: all) after the key.
// A NIP is shown only to those who may see the person's private details
// (policy.EmployeeViewPrivate), as in the directory.
func (s *Service) people(ctx context.Context, actor *policy.Actor, yr Year, f Filter, after *personKey, limit int) ([]PersonRow, error) {
	args := []any{yr.From, yr.To}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	inner := []string{"e.active"}
	jp, join := "j.jp", ` LEFT JOIN (`+yearJP+`) j ON j.employee_id = e.id`
	if f.AgencyID != nil {
		inner = append(inner, "e.agency_id = "+arg(*f.AgencyID))
		jp, join = personJP, ""
	}
	var outer []string
	if f.Behind {
		outer = append(outer, "p.jp < "+arg(yr.Pace))
	}
	if after != nil {
		jp, name := arg(after.jp), arg(after.name)
		outer = append(outer, "(p.jp > "+jp+" OR (p.jp = "+jp+" AND (p.name > "+name+
			" OR (p.name = "+name+" AND p.id > "+arg(after.id)+"))))")
	}
	where := ""
	if len(outer) > 0 {
		where = "WHERE " + strings.Join(outer, " AND ")
	}
	tail := ""
	if limit > 0 {
		tail = " LIMIT " + arg(limit)
	}
	rows, err := s.db.Replica.QueryContext(ctx, `SELECT p.id, p.name, p.nip, p.agency_id, p.agency_name, p.jp FROM (
		SELECT e.id, e.name, e.nip, e.agency_id, a.name AS agency_name, COALESCE(`+jp+`, 0) AS jp
		FROM employees e JOIN agencies a ON a.id = e.agency_id`+join+`
		WHERE `+strings.Join(inner, " AND ")+`) p `+where+` ORDER BY p.jp, p.name, p.id`+tail, s.db.Planned(args...)...)
	if err != nil {
		return nil, fmt.Errorf("ledger: people: %w", err)
	}
	defer rows.Close()
	var list []PersonRow
	for rows.Next() {
		var r PersonRow
		if err := rows.Scan(&r.EmployeeID, &r.Name, &r.NIP, &r.AgencyID, &r.AgencyName, &r.JP); err != nil {
			return nil, fmt.Errorf("ledger: people: %w", err)
		}
		if !policy.Can(actor, policy.EmployeeViewPrivate, policy.Target{EmployeeID: r.EmployeeID, AgencyID: r.AgencyID}) {
			r.NIP = nil
		}
		r.Target, r.Remaining, r.Status = yr.Target, max(yr.Target-r.JP, 0), yr.Status(r.JP)
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: people: %w", err)
	}
	return list, nil
}

// errNoPerson is the answer for a person who does not exist.
var errNoPerson = errs.New(errs.NotFound, "ledger.person_not_found")
