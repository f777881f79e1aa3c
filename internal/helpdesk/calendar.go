package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// maxHolidayName bounds a holiday's name.
const maxHolidayName = 100

// SLAPolicy is a priority's targets and the calendar its clocks run on.
type SLAPolicy struct {
	Priority             string `json:"priority"`
	FirstResponseMinutes int    `json:"first_response_minutes"`
	ResolutionMinutes    int    `json:"resolution_minutes"`
	Calendar             string `json:"calendar"` // 24x7 or working
}

// SLAPolicyInput sets a priority's policy whole.
type SLAPolicyInput struct {
	FirstResponseMinutes int    `json:"first_response_minutes"`
	ResolutionMinutes    int    `json:"resolution_minutes"`
	Calendar             string `json:"calendar"`
}

// maxSLAMinutes bounds a target: a year.
const maxSLAMinutes = 366 * 24 * 60

// SetZone sets the city's zone, in which working hours and holidays are
// read (Asia/Makassar unless the configuration says otherwise).
func (s *Service) SetZone(loc *time.Location) { s.zone = loc }

// cityZone is WITA, the zone of the city Lontara was built for; a fixed
// offset stands in when the system has no zone database (WITA has no
// daylight saving time).
func cityZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Makassar"); err == nil {
		return loc
	}
	return time.FixedZone("WITA", 8*3600)
}

// calendarOf returns the calendar of a kind with the holidays from since's
// day on. Holidays are read in the caller's transaction, one small query
// and only for a working calendar, rather than cached: every node of a
// deployment changes and reads them, a per-node cache would need its
// invalidation shared, and the rows are few (a year has about 25).
func (s *Service) calendarOf(ctx context.Context, q db.Querier, kind string, since time.Time) (*calendar.Calendar, error) {
	if kind != calendar.Working {
		return calendar.Always(), nil
	}
	list, err := calendar.Holidays(ctx, q, since.In(s.zone))
	if err != nil {
		return nil, err
	}
	return calendar.New(s.zone, s.week, calendar.Days(list)...)
}

// slaPolicy reads a priority's policy.
func slaPolicy(ctx context.Context, q db.Querier, priority string) (SLAPolicy, error) {
	p := SLAPolicy{Priority: priority}
	err := q.QueryRowContext(ctx, `SELECT first_response_minutes, resolution_minutes, calendar FROM sla_policies
		WHERE priority = $1`, priority).Scan(&p.FirstResponseMinutes, &p.ResolutionMinutes, &p.Calendar)
	if err != nil {
		return p, fmt.Errorf("helpdesk: SLA of %s: %w", priority, err)
	}
	return p, nil
}

// setDues sets the SLA dues from the priority's policy, counted on its
// calendar from the ticket's creation and moved on by the time it has spent
// pending (counted on that calendar too, see transition).
func (s *Service) setDues(ctx context.Context, q db.Querier, t *Ticket) error {
	p, err := slaPolicy(ctx, q, t.Priority)
	if err != nil {
		return err
	}
	cal, err := s.calendarOf(ctx, q, p.Calendar, t.CreatedAt)
	if err != nil {
		return err
	}
	paused := time.Duration(t.PausedSeconds) * time.Second
	t.FirstResponseDue = cal.Add(t.CreatedAt, time.Duration(p.FirstResponseMinutes)*time.Minute+paused)
	t.ResolutionDue = cal.Add(t.CreatedAt, time.Duration(p.ResolutionMinutes)*time.Minute+paused)
	return nil
}

// pauseCalendar is the calendar a pending ticket's pause is counted on when
// it ends: its priority's, with the holidays since the ticket was filed (its
// dues, which the pause moves on, may lie before the pause began). A ticket
// that is not pending needs none.
func (s *Service) pauseCalendar(ctx context.Context, q db.Querier, t Ticket) (*calendar.Calendar, error) {
	if t.PendingSince == nil {
		return calendar.Always(), nil
	}
	p, err := slaPolicy(ctx, q, t.Priority)
	if err != nil {
		return nil, err
	}
	return s.calendarOf(ctx, q, p.Calendar, t.CreatedAt)
}

// canReadSLA: the help desk reads its targets and the holidays; the
// superadmin also sets them.
func canReadSLA(actor *policy.Actor) error {
	if policy.Can(actor, policy.TicketWork, policy.Target{}) {
		return nil
	}
	return policy.Check(actor, policy.SLAManage, policy.Target{})
}

// SLAPolicies lists the policies, most urgent first.
func (s *Service) SLAPolicies(ctx context.Context, actor *policy.Actor) ([]SLAPolicy, error) {
	if err := canReadSLA(actor); err != nil {
		return nil, err
	}
	list := make([]SLAPolicy, 0, len(Priorities))
	for i := len(Priorities) - 1; i >= 0; i-- {
		p, err := slaPolicy(ctx, s.db.R, Priorities[i])
		if err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, nil
}

// UpdateSLAPolicy sets a priority's targets and calendar. Tickets already
// filed keep their dues; the policy counts for tickets filed, or changed to
// the priority, from now on.
func (s *Service) UpdateSLAPolicy(ctx context.Context, actor *policy.Actor, priority string, in SLAPolicyInput) (SLAPolicy, error) {
	if err := policy.Check(actor, policy.SLAManage, policy.Target{}); err != nil {
		return SLAPolicy{}, err
	}
	var v errs.Validation
	oneOf(&v, "priority", priority, Priorities)
	if v.Has("priority") {
		return SLAPolicy{}, errs.New(errs.NotFound, "calendar.policy_not_found")
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"first_response_minutes", in.FirstResponseMinutes}, {"resolution_minutes", in.ResolutionMinutes}} {
		if f.n < 1 || f.n > maxSLAMinutes {
			v.Add(f.name, "calendar.minutes", maxSLAMinutes)
		}
	}
	if !v.Has("first_response_minutes") && !v.Has("resolution_minutes") && in.FirstResponseMinutes > in.ResolutionMinutes {
		v.Add("first_response_minutes", "calendar.first_after_resolution")
	}
	oneOf(&v, "calendar", in.Calendar, calendar.Kinds)
	if err := v.Err(); err != nil {
		return SLAPolicy{}, err
	}
	after := SLAPolicy{Priority: priority, FirstResponseMinutes: in.FirstResponseMinutes,
		ResolutionMinutes: in.ResolutionMinutes, Calendar: in.Calendar}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := slaPolicy(ctx, tx, priority)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sla_policies SET first_response_minutes = $1, resolution_minutes = $2,
			calendar = $3 WHERE priority = $4`, after.FirstResponseMinutes, after.ResolutionMinutes, after.Calendar,
			priority); err != nil {
			return fmt.Errorf("helpdesk: update SLA of %s: %w", priority, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "sla_policy", Before: before, After: after})
	})
	if err != nil {
		return SLAPolicy{}, err
	}
	return after, nil
}

// Holidays lists the holidays from the start of year on (all when year is
// 0), earliest first.
func (s *Service) Holidays(ctx context.Context, actor *policy.Actor, year int) ([]calendar.Holiday, error) {
	if err := canReadSLA(actor); err != nil {
		return nil, err
	}
	var since time.Time
	if year > 0 {
		since = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return calendar.Holidays(ctx, s.db.R, since)
}

// parseDate reads a YYYY-MM-DD date, refusing anything else (2026-2-3,
// 2026-02-30, a year out of this century).
func parseDate(s string) (string, bool) {
	d, err := time.Parse(calendar.DateLayout, strings.TrimSpace(s))
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return "", false
	}
	return d.Format(calendar.DateLayout), true
}

// AddHoliday adds a day off; a date that is one already is a Conflict.
func (s *Service) AddHoliday(ctx context.Context, actor *policy.Actor, h calendar.Holiday) (calendar.Holiday, error) {
	if err := policy.Check(actor, policy.SLAManage, policy.Target{}); err != nil {
		return calendar.Holiday{}, err
	}
	var v errs.Validation
	date, ok := parseDate(h.Date)
	if !ok {
		v.Add("date", "calendar.date")
	}
	h = calendar.Holiday{Date: date, Name: strings.TrimSpace(h.Name)}
	text(&v, "name", h.Name, maxHolidayName, true)
	if err := v.Err(); err != nil {
		return calendar.Holiday{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := calendar.InsertHoliday(ctx, tx, h)
		if key, ok := s.db.Dialect.UniqueViolation(err); ok && key == "holidays.day" {
			return &errs.Error{Code: errs.Conflict, Key: "calendar.holiday_taken", Args: []any{h.Date},
				Fields: []errs.Field{{Name: "date", Key: "calendar.holiday_taken_field"}}}
		}
		if err != nil {
			return fmt.Errorf("helpdesk: add holiday: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "holiday", After: h})
	})
	if err != nil {
		return calendar.Holiday{}, err
	}
	return h, nil
}

// RemoveHoliday makes a date a working day again.
func (s *Service) RemoveHoliday(ctx context.Context, actor *policy.Actor, date string) error {
	if err := policy.Check(actor, policy.SLAManage, policy.Target{}); err != nil {
		return err
	}
	day, ok := parseDate(date)
	if !ok {
		return errs.New(errs.NotFound, "calendar.holiday_not_found")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		h, ok, err := calendar.DeleteHoliday(ctx, tx, day)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.NotFound, "calendar.holiday_not_found")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "holiday", Before: h})
	})
}
