// Package training is competency-based training at work: the learning
// activities of every kind (bimtek, workshop, course, on-the-job training,
// mentoring, self-study, online meeting) with the competencies they build
// and their lesson hours (JP); the events that run them in one or more
// sessions, for a number of seats, with their trainers; enrolment by the
// person, by their agency's admin (approved by the agency head) or by the
// organizer, with a waitlist served oldest first whenever a seat frees;
// attendance tapped by the trainer on a phone or checked in with a code
// shown in the room; pre- and post-test scores and the learning gain; a
// short reaction evaluation; and finishing an event, which puts each
// participant who attended into the JP ledger and their competency
// profile.
package training

import (
	"slices"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// The kinds of learning activity the study names.
const (
	KindBimtek        = "bimtek"
	KindWorkshop      = "workshop"
	KindCourse        = "course"
	KindOJT           = "ojt"
	KindMentoring     = "mentoring"
	KindSelfStudy     = "self_study"
	KindOnlineMeeting = "online_meeting"
)

// Kinds lists the activity kinds in the order forms show them.
var Kinds = []string{KindBimtek, KindWorkshop, KindCourse, KindOJT, KindMentoring, KindSelfStudy, KindOnlineMeeting}

// ValidKind reports whether k is an activity kind.
func ValidKind(k string) bool { return slices.Contains(Kinds, k) }

// Enrolment statuses: the seat.
const (
	Enrolled   = "enrolled"
	Waitlisted = "waitlisted"
	Cancelled  = "cancelled"
	Completed  = "completed"
)

// Approval states: the agency head's answer to a nomination.
const (
	ApprovalPending   = "pending"
	ApprovalApproved  = "approved"
	ApprovalDeclined  = "declined"
	ApprovalNotNeeded = "not_needed"
)

// Sources of an enrolment: who put the person there.
const (
	SourceSelf      = "self"
	SourceNominated = "nominated"
	SourceOrganizer = "organizer"
)

// Limits of what a form may hold.
const (
	maxTitle       = 200
	maxDescription = 20000
	maxPlace       = 300
	maxLink        = 1000
	maxCapacity    = 10000
	maxJP          = 1000
	maxComment     = 2000
	maxSessions    = 60
)

// CompetencyLevel is a competency an activity or event builds, and to
// which level.
type CompetencyLevel struct {
	CompetencyID int64  `json:"competency_id,omitempty"`
	Code         string `json:"code"`
	Name         string `json:"name,omitempty"`
	Level        int    `json:"level"`
}

// Service runs training: activities, events, enrolments, attendance.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// NewService returns the training service over d; times in notifications
// are shown in zone, the city's.
func NewService(d *db.DB, zone *time.Location) *Service {
	if zone == nil {
		zone = time.UTC
	}
	return &Service{db: d, zone: zone}
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// EventLink is an event's page.
func EventLink(id int64) string { return "/pelatihan/acara/" + strconv.FormatInt(id, 10) }

// ActivityLink is an activity's page.
func ActivityLink(id int64) string { return "/pelatihan/aktivitas/" + strconv.FormatInt(id, 10) }

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
