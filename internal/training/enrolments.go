package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Enrolment is a person's place at an event.
type Enrolment struct {
	ID            int64      `json:"id"`
	EventID       int64      `json:"event_id"`
	EventTitle    string     `json:"event_title"`
	EventStartsAt time.Time  `json:"event_starts_at"`
	EmployeeID    int64      `json:"employee_id"`
	EmployeeName  string     `json:"employee_name"`
	AgencyID      int64      `json:"agency_id"`
	AgencyName    string     `json:"agency_name"`
	Status        string     `json:"status"`   // enrolled, waitlisted, cancelled, completed
	Approval      string     `json:"approval"` // pending, approved, declined, not_needed
	Source        string     `json:"source"`   // self, nominated, organizer
	NominatedBy   *int64     `json:"nominated_by"`
	PreScore      *int       `json:"pre_score"`
	PostScore     *int       `json:"post_score"`
	Gain          *int       `json:"gain"` // post − pre, when both are known
	Attended      int        `json:"attended_sessions"`
	Evaluated     bool       `json:"evaluated,omitempty"` // to the person themselves only: whether they evaluated the event
	CompletedAt   *time.Time `json:"completed_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Pre shows the pre-test score, "–" when unknown.
func (n Enrolment) Pre() string { return scoreText(n.PreScore) }

// Post shows the post-test score, "–" when unknown.
func (n Enrolment) Post() string { return scoreText(n.PostScore) }

// GainValue is the learning gain, 0 when unknown.
func (n Enrolment) GainValue() int {
	if n.Gain == nil {
		return 0
	}
	return *n.Gain
}

func scoreText(p *int) string {
	if p == nil {
		return "–"
	}
	return strconv.Itoa(*p)
}

// HoldsSeat reports whether the enrolment takes one of the event's seats.
func (n Enrolment) HoldsSeat() bool { return n.Status == Enrolled || n.Status == Completed }

// Cleared reports whether nothing stands between the person and taking
// part: a seat and no approval still awaited or refused.
func (n Enrolment) Cleared() bool {
	return n.HoldsSeat() && (n.Approval == ApprovalApproved || n.Approval == ApprovalNotNeeded)
}

const enrolmentColumns = `n.id, n.event_id, e.title, e.starts_at, n.employee_id, p.name, p.agency_id, g.name, n.status,
	n.approval, n.source, n.nominated_by, n.pre_score, n.post_score, n.completed_at, n.created_at, n.updated_at,
	(SELECT COUNT(*) FROM session_attendance a WHERE a.enrolment_id = n.id),
	(SELECT COUNT(*) FROM event_evaluations v WHERE v.enrolment_id = n.id)`

const enrolmentFrom = ` FROM enrolments n JOIN events e ON e.id = n.event_id JOIN employees p ON p.id = n.employee_id
	JOIN agencies g ON g.id = p.agency_id`

func scanEnrolment(row interface{ Scan(...any) error }) (Enrolment, error) {
	var n Enrolment
	var nominator sql.NullInt64
	var pre, post sql.NullInt64
	var completed sql.NullTime
	var evaluated int
	err := row.Scan(&n.ID, &n.EventID, &n.EventTitle, &n.EventStartsAt, &n.EmployeeID, &n.EmployeeName, &n.AgencyID,
		&n.AgencyName, &n.Status, &n.Approval, &n.Source, &nominator, &pre, &post, &completed, &n.CreatedAt,
		&n.UpdatedAt, &n.Attended, &evaluated)
	if nominator.Valid {
		n.NominatedBy = &nominator.Int64
	}
	if pre.Valid {
		v := int(pre.Int64)
		n.PreScore = &v
	}
	if post.Valid {
		v := int(post.Int64)
		n.PostScore = &v
	}
	if n.PreScore != nil && n.PostScore != nil {
		g := *n.PostScore - *n.PreScore
		n.Gain = &g
	}
	if completed.Valid {
		n.CompletedAt = utcPtr(&completed.Time)
	}
	n.Evaluated = evaluated > 0
	n.EventStartsAt, n.CreatedAt, n.UpdatedAt = n.EventStartsAt.UTC(), n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n, err
}

func findEnrolment(ctx context.Context, q db.Querier, id int64) (Enrolment, error) {
	n, err := scanEnrolment(q.QueryRowContext(ctx, `SELECT `+enrolmentColumns+enrolmentFrom+` WHERE n.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, errs.New(errs.NotFound, "training.enrolment_not_found")
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("training: enrolment %d: %w", id, err)
	}
	return n, nil
}

// enrolmentOf finds a person's enrolment in an event; NotFound if none.
func enrolmentOf(ctx context.Context, q db.Querier, eventID, employeeID int64) (Enrolment, error) {
	n, err := scanEnrolment(q.QueryRowContext(ctx, `SELECT `+enrolmentColumns+enrolmentFrom+`
		WHERE n.event_id = $1 AND n.employee_id = $2`, eventID, employeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, errs.New(errs.NotFound, "training.enrolment_not_found")
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("training: enrolment of %d in %d: %w", employeeID, eventID, err)
	}
	return n, nil
}

func queryEnrolments(ctx context.Context, q db.Querier, where string, order string, args ...any) ([]Enrolment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+enrolmentColumns+enrolmentFrom+` WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("training: enrolments: %w", err)
	}
	defer rows.Close()
	list := []Enrolment{}
	for rows.Next() {
		n, err := scanEnrolment(rows)
		if err != nil {
			return nil, fmt.Errorf("training: enrolments: %w", err)
		}
		list = append(list, n)
	}
	return list, rows.Err()
}

// Roster is who takes part in an event, as the actor may see it.
type Roster struct {
	// All: the actor runs the event and sees everyone; otherwise the list
	// holds the people of the agencies they nominate for and themselves.
	All    bool
	People []Enrolment
}

// rosterOrder puts the seats first, then the waitlist in its order, then
// the cancelled.
const rosterOrder = `CASE n.status WHEN 'completed' THEN 0 WHEN 'enrolled' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
	CASE WHEN n.status = 'waitlisted' THEN COALESCE(n.queued_at, n.created_at) END, p.name, n.id`

// Enrolments lists the places at event e (as Event gave it to the actor)
// the actor may see: every one for those who run it (Roster.All); their
// agency's people for those who nominate them (an agency's admin or head);
// their own for anyone. Seats first, then the waitlist in its order, then
// the cancelled.
func (s *Service) Enrolments(ctx context.Context, actor *policy.Actor, e Event) (Roster, error) {
	return s.roster(ctx, actor, e, "")
}

// EnrolmentPage is one page of Enrolments, for the API; next is "" on the
// last page.
func (s *Service) EnrolmentPage(ctx context.Context, actor *policy.Actor, eventID int64, page db.Page) ([]Enrolment, string, error) {
	off, err := pageOffset(page)
	if err != nil {
		return nil, "", err
	}
	e, err := s.Event(ctx, actor, eventID)
	if err != nil {
		return nil, "", err
	}
	r, err := s.roster(ctx, actor, e, fmt.Sprintf(" LIMIT %d OFFSET %d", page.Size()+1, off))
	if err != nil {
		return nil, "", err
	}
	list, next := pageOf(r.People, page, off)
	return list, next, nil
}

func (s *Service) roster(ctx context.Context, actor *policy.Actor, e Event, limit string) (Roster, error) {
	eventID := e.ID
	ok, err := s.CanManage(ctx, actor, e)
	if err != nil {
		return Roster{}, err
	}
	if ok {
		list, err := queryEnrolments(ctx, s.db.R, "n.event_id = $1", rosterOrder+limit, eventID)
		return Roster{All: true, People: forViewer(actor, list)}, err
	}
	conds := []string{"n.employee_id = $2"}
	args := []any{eventID, actor.EmployeeID}
	for _, a := range agenciesFor(actor, policy.EnrolmentNominate) {
		args = append(args, a)
		conds = append(conds, fmt.Sprintf("p.agency_id = $%d", len(args)))
	}
	list, err := queryEnrolments(ctx, s.db.R, "n.event_id = $1 AND ("+strings.Join(conds, " OR ")+")", rosterOrder+limit, args...)
	return Roster{People: forViewer(actor, list)}, err
}

// forViewer keeps whether someone evaluated an event to themselves: those
// who run it must not learn who wrote which evaluation.
func forViewer(actor *policy.Actor, list []Enrolment) []Enrolment {
	for i := range list {
		if actor == nil || list[i].EmployeeID != actor.EmployeeID {
			list[i].Evaluated = false
		}
	}
	return list
}

// agenciesFor are the agencies in which the actor holds a role and policy
// lets them do act to the agency's people (EnrolmentNominate: their admin
// and head; EnrolmentApprove: their head).
func agenciesFor(actor *policy.Actor, act policy.Action) []int64 {
	if actor == nil {
		return nil
	}
	var out []int64
	for _, g := range actor.Grants {
		if g.AgencyID != 0 && !slices.Contains(out, g.AgencyID) &&
			policy.Can(actor, act, policy.Target{AgencyID: g.AgencyID}) {
			out = append(out, g.AgencyID)
		}
	}
	return out
}

// Enrolment returns one place, to the person, to those who run the event
// and to their agency's admin and head.
func (s *Service) Enrolment(ctx context.Context, actor *policy.Actor, id int64) (Enrolment, error) {
	n, err := findEnrolment(ctx, s.db.R, id)
	if err != nil {
		return Enrolment{}, err
	}
	if actor != nil && actor.EmployeeID == n.EmployeeID {
		return n, nil
	}
	n.Evaluated = false
	person := policy.Target{AgencyID: n.AgencyID, EmployeeID: n.EmployeeID}
	if policy.Can(actor, policy.EnrolmentNominate, person) {
		return n, nil
	}
	e, err := findEvent(ctx, s.db.R, n.EventID)
	if err != nil {
		return Enrolment{}, err
	}
	if ok, err := s.CanManage(ctx, actor, e); err != nil || !ok {
		return Enrolment{}, errs.New(errs.NotFound, "training.enrolment_not_found")
	}
	return n, nil
}

// Approvals lists the nominations awaiting the actor's answer as agency
// head, soonest event first, a page at a time (next is "" on the last).
func (s *Service) Approvals(ctx context.Context, actor *policy.Actor, page db.Page) ([]Enrolment, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	off, err := pageOffset(page)
	if err != nil {
		return nil, "", err
	}
	order := fmt.Sprintf("e.starts_at, p.name, n.id LIMIT %d OFFSET %d", page.Size()+1, off)
	const where = `n.approval = 'pending' AND n.status <> 'cancelled' AND e.cancelled_at IS NULL AND e.finished_at IS NULL`
	var list []Enrolment
	if policy.Can(actor, policy.EnrolmentApprove, policy.Target{}) {
		// Policy lets the actor answer for every agency (the superadmin).
		list, err = queryEnrolments(ctx, s.db.R, where, order)
	} else {
		heads := agenciesFor(actor, policy.EnrolmentApprove)
		if len(heads) == 0 {
			return nil, "", errs.New(errs.Forbidden, "training.not_head")
		}
		marks, args := db.InList(heads)
		list, err = queryEnrolments(ctx, s.db.R, where+` AND p.agency_id IN (`+marks+`)`, order, args...)
	}
	if err != nil {
		return nil, "", err
	}
	list, next := pageOf(forViewer(actor, list), page, off)
	return list, next, nil
}

// Mine lists the actor's own places that are not cancelled, latest event
// first.
func (s *Service) Mine(ctx context.Context, actor *policy.Actor) ([]Enrolment, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	return queryEnrolments(ctx, s.db.R, `n.employee_id = $1 AND n.status <> 'cancelled'`, "e.starts_at DESC, n.id",
		actor.EmployeeID)
}
