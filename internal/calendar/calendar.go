// Package calendar is the business calendar the help desk's clocks run on:
// either 24/7, where time is plain time, or working hours per weekday in the
// city's zone with the holidays the city keeps (national holidays and cuti
// bersama, from the database). Its functions are pure: a Calendar is built
// once with its holidays and answers Add, Between and AddWorkingDays.
//
// Wall-clock hours are turned into moments day by day with time.Date, so a
// zone with daylight saving time is handled too, though WITA has none.
package calendar

import (
	"errors"
	"time"
)

// The kinds of calendar an SLA policy runs on.
const (
	Always24x7 = "24x7"    // every moment counts
	Working    = "working" // only working hours of working days count
)

// Kinds are the calendar kinds in the order forms offer them.
var Kinds = []string{Always24x7, Working}

// Hours are one day's working hours, from From to To after midnight
// (wall-clock time). The zero Hours is a day off.
type Hours struct{ From, To time.Duration }

// Off reports whether the day has no working hours.
func (h Hours) Off() bool { return h.To <= h.From }

// Week holds the working hours of each weekday, indexed by time.Weekday.
type Week [7]Hours

// DefaultWeek is the working week of the city's offices: Monday to
// Thursday 07:30–16:00, Friday 07:30–16:30 (longer for the Friday prayer
// break), Saturday and Sunday off. It is data, not a rule: a deployment
// may run its clocks on another week.
var DefaultWeek = Week{
	time.Monday:    {From: clock(7, 30), To: clock(16, 0)},
	time.Tuesday:   {From: clock(7, 30), To: clock(16, 0)},
	time.Wednesday: {From: clock(7, 30), To: clock(16, 0)},
	time.Thursday:  {From: clock(7, 30), To: clock(16, 0)},
	time.Friday:    {From: clock(7, 30), To: clock(16, 30)},
}

func clock(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// Check reports a week no clock could run on: one without any working
// hours, or with hours outside the day.
func (w Week) Check() error {
	working := false
	for _, h := range w {
		if h.From < 0 || h.To > 24*time.Hour {
			return errors.New("calendar: working hours outside the day")
		}
		working = working || !h.Off()
	}
	if !working {
		return errors.New("calendar: a week without working hours")
	}
	return nil
}

// day is a civil date, the key of the holidays.
type day struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) day { y, m, d := t.Date(); return day{y, m, d} }

// Calendar answers how much working time lies between moments. The zero
// value is not usable: build one with Always or New.
type Calendar struct {
	always   bool
	loc      *time.Location
	week     Week
	holidays map[day]bool
}

// Always returns the 24/7 calendar: every moment is working time, so Add
// and Between are plain time arithmetic.
func Always() *Calendar { return &Calendar{always: true} }

// New returns the working calendar of week in loc, with holidays: dates
// whose year, month and day (read in UTC, as the database stores a DATE)
// are days off whatever the week says.
func New(loc *time.Location, week Week, holidays ...time.Time) (*Calendar, error) {
	if err := week.Check(); err != nil {
		return nil, err
	}
	c := &Calendar{loc: loc, week: week, holidays: make(map[day]bool, len(holidays))}
	for _, h := range holidays {
		c.holidays[dayOf(h.UTC())] = true
	}
	return c, nil
}

// Is24x7 reports whether every moment is working time.
func (c *Calendar) Is24x7() bool { return c.always }

// span is the working hours of the local day that starts at midnight;
// ok=false on a day off.
func (c *Calendar) span(midnight time.Time) (from, to time.Time, ok bool) {
	h := c.week[midnight.Weekday()]
	if h.Off() || c.holidays[dayOf(midnight)] {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := midnight.Date()
	at := func(x time.Duration) time.Time {
		return time.Date(y, m, d, int(x/time.Hour), int(x%time.Hour/time.Minute), int(x%time.Minute/time.Second), 0, c.loc)
	}
	return at(h.From), at(h.To), true
}

// midnight is the start of t's local day.
func (c *Calendar) midnight(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

func next(midnight time.Time) time.Time {
	y, m, d := midnight.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, midnight.Location())
}

// Add returns the moment when d of working time has passed since start:
// the earliest such moment, so a duration that ends with a day's hours
// ends at their close, not at the next opening. Starting outside working
// hours counts from the next opening. A d of zero or less is start itself.
// The result is in start's location.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if c.always || d <= 0 {
		return start.Add(max(d, 0))
	}
	t := start.In(c.loc)
	for day := c.midnight(t); ; day = next(day) {
		from, to, ok := c.span(day)
		if !ok || !t.Before(to) {
			continue
		}
		if t.Before(from) {
			t = from
		}
		left := to.Sub(t)
		if d <= left {
			return t.Add(d).In(start.Location())
		}
		d -= left
	}
}

// Between returns the working time from a to b; negative when b is before
// a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if c.always {
		return b.Sub(a)
	}
	if b.Before(a) {
		return -c.Between(b, a)
	}
	var sum time.Duration
	end := c.midnight(b)
	for day := c.midnight(a); !day.After(end); day = next(day) {
		from, to, ok := c.span(day)
		if !ok {
			continue
		}
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		if to.After(from) {
			sum += to.Sub(from)
		}
	}
	return sum
}

// AddWorkingDays returns the end of the n-th working day after start's day
// (the last second of that day, 23:59:59 local): what "within n working
// days" means for LAPOR! complaints, counted from the day after the one
// something happened on, and still met by a help desk that works through
// the evening. On the 24/7 calendar it is plain arithmetic: start plus n
// days. An n of zero or less is start itself.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	if n <= 0 {
		return start
	}
	if c.always {
		return start.Add(time.Duration(n) * 24 * time.Hour)
	}
	day := c.midnight(start)
	for n > 0 {
		day = next(day)
		if _, _, ok := c.span(day); ok {
			n--
		}
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, c.loc).In(start.Location())
}
