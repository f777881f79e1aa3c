// Package impact measures what a finished training event changed in the
// work of the people who attended it — Kirkpatrick's level 3 (behaviour)
// and level 4 (results) — from what Lontara records anyway: their tickets
// about the applications the event taught, their self-service, their
// answers in the discussions. No LMS measures this, because no LMS sees
// the help desk.
//
// The design is a difference in differences. For the attendees (those who
// completed the event) and a comparison group of colleagues who did not
// attend, each measure is counted per person in a window of Window before
// the event started and after it ended, as a rate per 30 days; the
// attendees' change minus the comparison group's change is the effect
// attributed to the event, with a 95% interval from the people's own
// changes. The comparison group is the active employees with an account in
// the attendees' agencies who either hold a position an attendee holds in
// the same agency or operate an application the event taught there, and
// who hold no place at this event (a cancelled or waitlisted one aside)
// nor completed another event teaching one of its competencies in the
// windows.
package impact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Window is how far before the start and after the end of an event its
// measures are counted.
const Window = 90 * 24 * time.Hour

// MinGroup is the smallest group a conclusion is drawn from; a smaller
// group's figures are not shown, nor its people named.
const MinGroup = 5

// MinAfter is how long after the event the after-window must have run
// before the change is judged: a week after a bimtek says little.
const MinAfter = 30 * 24 * time.Hour

// Service computes the impact of events.
type Service struct {
	db   *db.DB
	zone *time.Location
	now  func() time.Time
}

// NewService returns the service over d; zone is the city's, for dates.
func NewService(d *db.DB, zone *time.Location) *Service {
	return &Service{db: d, zone: zone, now: func() time.Time { return time.Now().UTC() }}
}

// The measures, in the order they are shown.
const (
	Tickets         = "tickets"          // tickets filed about the applications taught (level 4)
	SelfService     = "self_service"     // articles opened from the help form (level 3)
	Answers         = "answers"          // answers to others' questions in the discussions (level 3)
	AcceptedAnswers = "accepted_answers" // of those, accepted by the asker (level 4)
)

// Verdicts of a measure.
const (
	Improved  = "improved"  // the interval lies on the better side of zero
	Worsened  = "worsened"  // on the worse side
	Unclear   = "unclear"   // the interval holds zero
	TooSmall  = "too_small" // a group under MinGroup, or one subtraction would reveal
	TooEarly  = "too_early" // the after-window has run less than MinAfter
	NoActions = "no_data"   // nobody in either group did this in either window
)

// Group is one group's figures for a measure: rates per person per 30
// days before and after, and the change.
type Group struct {
	People int     `json:"people"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Change float64 `json:"change"`
	// Counts behind the rates, so a reader can redo them.
	CountBefore int `json:"count_before"`
	CountAfter  int `json:"count_after"`
}

// Measure is one measure's difference in differences.
type Measure struct {
	Key        string   `json:"key"`
	Level      int      `json:"level"`  // Kirkpatrick: 3 behaviour, 4 results
	Better     string   `json:"better"` // "lower" or "higher"
	Attendees  *Group   `json:"attendees"`
	Comparison *Group   `json:"comparison"`
	Effect     *float64 `json:"effect"` // the attendees' change minus the comparison's; nil when not shown
	Low        *float64 `json:"ci_low"` // the 95% interval of Effect
	High       *float64 `json:"ci_high"`
	Verdict    string   `json:"verdict"`
}

// App is an application the event taught.
type App struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Impact is an event's measured impact.
type Impact struct {
	EventID    int64     `json:"event_id"`
	Title      string    `json:"title"`
	AgencyID   *int64    `json:"agency_id"` // the people counted: one agency's, or null for all
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	WindowDays int       `json:"window_days"`
	BeforeFrom time.Time `json:"before_from"`
	AfterTo    time.Time `json:"after_to"`
	AfterDays  float64   `json:"after_days"` // of the after-window, how many days have passed
	Apps       []App     `json:"apps"`
	// Completed is everyone who completed the event (in scope); Attendees
	// those of them with an account, whose work can be seen.
	Completed  int  `json:"completed"`
	Attendees  int  `json:"attendees"`
	Comparison int  `json:"comparison"`
	Conclusive bool `json:"conclusive"` // both groups big enough and the window long enough
	// Suppressed: both groups are big enough, but their figures are not
	// shown because, set against the city's or the other agencies', they
	// would reveal a group under MinGroup.
	Suppressed bool      `json:"suppressed"`
	Measures   []Measure `json:"measures"`
	At         time.Time `json:"computed_at"`
}

// Event computes the impact of a finished event for actor, counting the
// people of agencyID (0: every agency; an actor who may not read the city
// gets their own agency's). An event not finished, or cancelled, is a
// Conflict: there is nothing to measure yet.
func (s *Service) Event(ctx context.Context, actor *policy.Actor, eventID, agencyID int64) (Impact, error) {
	scope, err := s.scope(ctx, actor, agencyID)
	if err != nil {
		return Impact{}, err
	}
	ev, err := s.event(ctx, eventID)
	if err != nil {
		return Impact{}, err
	}
	if ev.finished == nil || ev.cancelled {
		return Impact{}, errs.New(errs.Conflict, "impact.not_finished")
	}
	return s.measure(ctx, ev, scope)
}

// Scope decides whose people an actor reads: agencyID if they may read its
// insight (0: the city), else their own agency's when they ask for the city
// but may read only that.
func Scope(actor *policy.Actor, agencyID int64) (int64, error) {
	if actor == nil {
		return 0, errs.New(errs.Unauthorized, "unauthorized")
	}
	if agencyID == 0 && !policy.Can(actor, policy.InsightView, policy.Target{}) && actor.AgencyID != 0 &&
		policy.Can(actor, policy.InsightView, policy.Target{AgencyID: actor.AgencyID}) {
		return actor.AgencyID, nil
	}
	if err := policy.Check(actor, policy.InsightView, policy.Target{AgencyID: agencyID}); err != nil {
		return 0, err
	}
	return agencyID, nil
}

// scope is Scope, and an agency that does not exist is NotFound.
func (s *Service) scope(ctx context.Context, actor *policy.Actor, agencyID int64) (int64, error) {
	scope, err := Scope(actor, agencyID)
	if err != nil || scope == 0 {
		return scope, err
	}
	if _, err := s.AgencyName(ctx, scope); err != nil {
		return 0, err
	}
	return scope, nil
}

// eventRow is what the measure needs of an event.
type eventRow struct {
	id           int64
	title        string
	starts, ends time.Time
	finished     *time.Time
	cancelled    bool
}

func (s *Service) event(ctx context.Context, id int64) (eventRow, error) {
	var e eventRow
	var finished, cancelled sql.NullTime
	err := s.db.R.QueryRowContext(ctx, `SELECT id, title, starts_at, ends_at, finished_at, cancelled_at FROM events
		WHERE id = $1`, id).Scan(&e.id, &e.title, &e.starts, &e.ends, &finished, &cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.New(errs.NotFound, "impact.event_not_found")
	}
	if err != nil {
		return e, fmt.Errorf("impact: event %d: %w", id, err)
	}
	e.starts, e.ends = e.starts.UTC(), e.ends.UTC()
	if finished.Valid {
		t := finished.Time.UTC()
		e.finished = &t
	}
	e.cancelled = cancelled.Valid
	return e, nil
}
