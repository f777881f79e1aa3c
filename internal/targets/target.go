// Package targets holds the learning targets leaders set for an agency or
// the whole city and a period — 20 JP per employee, every SIPD operator at
// level 3, 95% of tickets within the SLA, an LO index of 70 — and computes
// each target's progress from live data, with the people or items behind
// the figure.
package targets

import (
	"time"
)

// The metrics a target measures.
const (
	MetricJP         = "jp_per_employee"  // mean JP per active employee in the period
	MetricCompetency = "competency_level" // % of a group at a level of a competency
	MetricSLA        = "sla_compliance"   // % of the period's tickets resolved within the SLA
	MetricIndex      = "lo_index"         // the LO index (0..100)
)

// Metrics lists them in the order forms offer them.
var Metrics = []string{MetricJP, MetricCompetency, MetricSLA, MetricIndex}

// Defaults are the goals a new target of each metric starts from: the
// regulation's 20 JP, every member of the group, the help desk's 95%.
var Defaults = map[string]float64{MetricJP: 20, MetricCompetency: 100, MetricSLA: 95, MetricIndex: 70}

// Statuses of a target's progress.
const (
	StatusMet      = "met"
	StatusOnTrack  = "on_track" // short of the goal, but where the part of the period gone by asks
	StatusBehind   = "behind"
	StatusNoData   = "no_data"
	StatusUpcoming = "upcoming" // the period has not begun
)

// Target is a learning target. AgencyID nil is city-wide. A
// competency_level target names the competency and level and the group:
// the operators of AppID, the holders of Role, the people of PositionID,
// or (none of them) everyone in scope.
type Target struct {
	ID           int64     `json:"id"`
	AgencyID     *int64    `json:"agency_id"`
	Period       string    `json:"period"`
	Metric       string    `json:"metric"`
	Goal         float64   `json:"goal"`
	CompetencyID *int64    `json:"competency_id"`
	Level        *int      `json:"level"`
	AppID        *int64    `json:"app_id"`
	Role         *string   `json:"role"`
	PositionID   *int64    `json:"position_id"`
	Note         string    `json:"note"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// Names of what the ids point at, for showing.
	AgencyName     string `json:"agency_name"`
	CompetencyName string `json:"competency_name,omitempty"`
	AppName        string `json:"app_name,omitempty"`
	PositionName   string `json:"position_name,omitempty"`

	// Progress is computed when the target is read.
	Progress *Progress `json:"progress,omitempty"`
}

// Agency is the target's agency id, 0 for the city.
func (t Target) Agency() int64 {
	if t.AgencyID == nil {
		return 0
	}
	return *t.AgencyID
}

// Progress is where a target stands: the figure now in the metric's unit
// (nil: no data), computed from Numerator over Denominator, where it
// should be by now (Expected: the goal, or for JP the goal times the part
// of the period gone by), Percent of the goal reached, and the status.
// Items are the people or things behind the figure (the drill-down, the
// first MaxItems of ItemsTotal), read only for one target.
type Progress struct {
	Current     *float64 `json:"current"`
	Expected    float64  `json:"expected"`
	Percent     float64  `json:"percent"`
	Status      string   `json:"status"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Items       []Item   `json:"items,omitempty"`
	ItemsTotal  int      `json:"items_total"`
}

// MaxItems is the most items a drill-down lists.
const MaxItems = 200

// Item is one person or thing behind a target's figure: a person short of
// the JP or the level (Value: their JP or level), a ticket that missed its
// SLA, an input of the LO index (Value: its score).
type Item struct {
	Kind   string   `json:"kind"` // employee, ticket, input
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Value  *float64 `json:"value"`
	Detail string   `json:"detail"`
	Link   string   `json:"link"`
}

// Input is a new target.
type Input struct {
	AgencyID     *int64   `json:"agency_id"`
	Period       string   `json:"period"`
	Metric       string   `json:"metric"`
	Goal         *float64 `json:"goal"` // nil: the metric's default
	CompetencyID *int64   `json:"competency_id"`
	Level        *int     `json:"level"`
	AppID        *int64   `json:"app_id"`
	Role         *string  `json:"role"`
	PositionID   *int64   `json:"position_id"`
	Note         string   `json:"note"`
}

// Change is what may change of a target: its goal and note. Its metric,
// scope and period are what it is; another is a new target.
type Change struct {
	Version *int     `json:"version"`
	Goal    *float64 `json:"goal"`
	Note    *string  `json:"note"`
}

// Filter narrows a list of targets: an agency (0: the city-wide ones) and
// a period label.
type Filter struct {
	AgencyID *int64
	Period   *string
}

// Shown is the current figure for a page: 0 when there is none (Known
// says which).
func (p Progress) Shown() float64 {
	if p.Current == nil {
		return 0
	}
	return *p.Current
}

// Known reports whether there is a current figure.
func (p Progress) Known() bool { return p.Current != nil }

// Bar is the percent of the goal reached, capped to 0..100 for a
// progress bar.
func (p Progress) Bar() float64 { return max(0, min(100, p.Percent)) }

// Shown is an item's value for a page, 0 when there is none.
func (i Item) Shown() float64 {
	if i.Value == nil {
		return 0
	}
	return *i.Value
}
