package helpdesk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// A report covers the tickets filed in its period (from the first day's
// midnight to the end of the last day, in the city's zone), narrowed by
// agency, application and team. Every figure counts those tickets, except
// the backlog, which is the open tickets now (with the same filters).
//
// Definitions:
//   - SLA: a clock is met when its moment (the first public answer, or the
//     resolution, which also answers a ticket never answered before) came
//     by its due; breached when after; late when it has not come and its
//     due has passed (a pending ticket's clock stopped when it became
//     pending); running otherwise.
//   - First response time is from filing to the first public answer;
//     resolution time is from filing to resolution less the time spent
//     pending. Medians are exact: the middle value, or the mean of the two
//     middle values.
//   - Top recurring problems are the most frequent category × application
//     pairs and the most frequent tags (agents tag tickets with a shared
//     vocabulary, which subjects written by reporters are not).
//   - Time spent is the sum of the minutes agents logged on the period's
//     tickets; satisfaction is their ratings.

// maxReportDays is the longest period a report covers: a year and some.
const maxReportDays = 400

// topProblems is how many recurring problems and tags a report lists.
const topProblems = 10

// ReportFilter chooses the tickets of a report: filed at From or later and
// before To, of the agency, application and team given (nil: any).
type ReportFilter struct {
	From, To time.Time
	AgencyID *int64
	AppID    *int64
	TeamID   *int64
}

// Report is the help desk's figures for a period.
type Report struct {
	From           string         `json:"from"` // the first day, YYYY-MM-DD in the city's zone
	To             string         `json:"to"`   // the last day
	AgencyID       *int64         `json:"agency_id"`
	AppID          *int64         `json:"app_id"`
	TeamID         *int64         `json:"team_id"`
	GeneratedAt    time.Time      `json:"generated_at"`
	Tickets        int            `json:"tickets"`
	ByAgency       []Tally        `json:"by_agency"`
	ByApp          []Tally        `json:"by_app"`
	ByCategory     []Tally        `json:"by_category"`
	ByChannel      []Tally        `json:"by_channel"`
	SLA            SLARow         `json:"sla"`
	SLAByPriority  []SLARow       `json:"sla_by_priority"`
	SLAByTeam      []SLARow       `json:"sla_by_team"`
	Medians        Medians        `json:"medians"`
	Backlog        BacklogRow     `json:"backlog"`
	BacklogByTeam  []BacklogRow   `json:"backlog_by_team"`
	TopProblems    []Problem      `json:"top_problems"`
	TopTags        []Tally        `json:"top_tags"`
	TimeSpent      int            `json:"time_spent_minutes"`
	TimeByTeam     []Tally        `json:"time_by_team"` // Count is minutes
	TimeByApp      []Tally        `json:"time_by_app"`
	Satisfaction   Satisfaction   `json:"satisfaction"`
	RatingsByTeam  []Satisfaction `json:"ratings_by_team"`
	RatingsByAgent []Satisfaction `json:"ratings_by_agent"`
	RatingsByApp   []Satisfaction `json:"ratings_by_app"`

	// SelfService is what the articles suggested on the "Minta bantuan"
	// form solved, per application (selfservice.go).
	SelfService []SelfServiceRow `json:"self_service"`
}

// Tally is a count for one agency, application, team, agent (ID, null for
// none) or one category, channel, priority or tag (Code).
type Tally struct {
	ID    *int64 `json:"id"`
	Code  string `json:"code,omitempty"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Clock counts the tickets of an SLA clock by outcome.
type Clock struct {
	Met      int     `json:"met"`
	Breached int     `json:"breached"`
	Late     int     `json:"late"`    // not answered or resolved yet, and past due
	Running  int     `json:"running"` // not yet, and not yet due
	MetPct   float64 `json:"met_pct"` // met of those decided or late (met, breached, late), 0–100
}

// SLARow is the SLA compliance of a group of tickets: the whole report, a
// priority (Code) or a team (ID).
type SLARow struct {
	ID            *int64 `json:"id"`
	Code          string `json:"code,omitempty"`
	Name          string `json:"name"`
	Tickets       int    `json:"tickets"`
	FirstResponse Clock  `json:"first_response"`
	Resolution    Clock  `json:"resolution"`
}

// Medians are the median first response and resolution times in minutes,
// null when no ticket has one, with how many tickets they are of.
type Medians struct {
	FirstResponseMinutes *float64 `json:"first_response_minutes"`
	FirstResponses       int      `json:"first_responses"`
	ResolutionMinutes    *float64 `json:"resolution_minutes"`
	Resolutions          int      `json:"resolutions"`
}

// BacklogRow counts the open tickets (new, open or pending) of a team (ID;
// the total has none) by age.
type BacklogRow struct {
	ID     *int64 `json:"id"`
	Name   string `json:"name"`
	Under1 int    `json:"under_1d"`
	To3    int    `json:"d1_3"`
	To7    int    `json:"d3_7"`
	To30   int    `json:"d7_30"`
	Over30 int    `json:"over_30d"`
	Total  int    `json:"total"`
}

// Problem is a recurring category × application pair.
type Problem struct {
	Category string `json:"category"`
	AppID    *int64 `json:"app_id"`
	App      string `json:"app"`
	Count    int    `json:"count"`
}

// Satisfaction is the ratings of a group: the whole report, a team, an
// agent (the assignee) or an application. Scores[i] counts ratings of i+1.
type Satisfaction struct {
	ID      *int64  `json:"id"`
	Name    string  `json:"name"`
	Count   int     `json:"count"`
	Average float64 `json:"average"` // 0 when there are none
	Scores  [5]int  `json:"scores"`
}

// HelpdeskReport computes the report of f for actor. Without an agency, an
// actor who may read only their agency's figures (an admin or head) gets
// those; asking for another agency's is Forbidden.
func (s *Service) HelpdeskReport(ctx context.Context, actor *policy.Actor, f ReportFilter) (Report, error) {
	if actor == nil {
		return Report{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	if f.AgencyID == nil && !policy.Can(actor, policy.ReportView, policy.Target{}) {
		f.AgencyID = ownAgency(actor)
	}
	if err := policy.Check(actor, policy.ReportView, policy.Target{AgencyID: deref(f.AgencyID)}); err != nil {
		return Report{}, err
	}
	if err := checkPeriod(f.From, f.To); err != nil {
		return Report{}, err
	}
	now := time.Now().UTC()
	rep, err := s.report(ctx, f, now)
	if err != nil {
		return Report{}, err
	}
	// Self-service is counted in the same scope as the tickets, settled
	// above: an agency's admin sees their agency's, never the city's.
	rep.SelfService, err = s.selfService(ctx, f, now)
	return rep, err
}

// ownAgency returns the first agency whose report actor may read, nil when
// none.
func ownAgency(actor *policy.Actor) *int64 {
	for _, g := range actor.Grants {
		if g.AgencyID != 0 && policy.Can(actor, policy.ReportView, policy.Target{AgencyID: g.AgencyID}) {
			id := g.AgencyID
			return &id
		}
	}
	return nil
}

// checkPeriod refuses a period that ends before it starts or is longer
// than maxReportDays.
func checkPeriod(from, to time.Time) error {
	switch {
	case from.IsZero() || to.IsZero():
		return errs.FieldErr("from", "required")
	case !to.After(from):
		return errs.FieldErr("to", "report.order")
	case to.Sub(from).Round(24*time.Hour) > maxReportDays*24*time.Hour: // rounded: a zone's DST day
		return errs.FieldErr("to", "report.span", maxReportDays)
	}
	return nil
}

// ReportPeriod reads a report's period in the city's zone loc: a preset
// (this_month, last_month, this_year) or the first and last days as
// YYYY-MM-DD; neither is this month. It returns the period's bounds, the
// start and the end (exclusive) of its days.
func ReportPeriod(preset, from, to string, loc *time.Location, at time.Time) (time.Time, time.Time, error) {
	today := at.In(loc)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
	if preset == "" && from == "" && to == "" {
		preset = "this_month"
	}
	switch preset {
	case "this_month":
		return month, month.AddDate(0, 1, 0), nil
	case "last_month":
		return month.AddDate(0, -1, 0), month, nil
	case "this_year":
		year := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, loc)
		return year, year.AddDate(1, 0, 0), nil
	case "":
	default:
		return time.Time{}, time.Time{}, errs.FieldErr("preset", "one_of", "this_month, last_month, this_year")
	}
	var v errs.Validation
	start, okFrom := parseDay(&v, "from", from, loc)
	last, okTo := parseDay(&v, "to", to, loc)
	if err := v.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if !okFrom || !okTo {
		return time.Time{}, time.Time{}, errs.FieldErr("from", "required")
	}
	if last.Before(start) {
		return time.Time{}, time.Time{}, errs.FieldErr("to", "report.order")
	}
	end := last.AddDate(0, 0, 1)
	return start, end, checkPeriod(start, end)
}

// parseDay reads a date YYYY-MM-DD as its midnight in loc.
func parseDay(v *errs.Validation, field, s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		v.Add(field, "required")
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil || d.Year() < 2000 || d.Year() > 9999 {
		v.Add(field, "report.date")
		return time.Time{}, false
	}
	return d, true
}

// ReportChoices are the agencies, applications and teams the report page
// offers as filters: every agency to those who read the city's report,
// else the agencies whose figures actor may read (none: Forbidden).
func (s *Service) ReportChoices(ctx context.Context, actor *policy.Actor) (Choices, error) {
	if actor == nil {
		return Choices{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	n, err := readReportNames(ctx, s.db.Replica)
	if err != nil {
		return Choices{}, fmt.Errorf("helpdesk: report choices: %w", err)
	}
	city := policy.Can(actor, policy.ReportView, policy.Target{})
	var c Choices
	for id, name := range n.agencies {
		if city || policy.Can(actor, policy.ReportView, policy.Target{AgencyID: id}) {
			c.Agencies = append(c.Agencies, web.Option{ID: id, Name: name})
		}
	}
	if len(c.Agencies) == 0 && !city {
		return Choices{}, errs.New(errs.Forbidden, "forbidden")
	}
	c.Apps, c.Teams = nameOptions(n.apps), nameOptions(n.teams)
	sortOptions(c.Agencies)
	return c, nil
}

// nameOptions lists names by name.
func nameOptions(names map[int64]string) []web.Option {
	list := make([]web.Option, 0, len(names))
	for id, name := range names {
		list = append(list, web.Option{ID: id, Name: name})
	}
	sortOptions(list)
	return list
}

func sortOptions(list []web.Option) {
	slices.SortFunc(list, func(a, b web.Option) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
}
