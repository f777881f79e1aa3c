package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The working days the LAPOR! SP4N rules give an agency: to forward a
// complaint to whoever handles it, to follow it up, and after the
// follow-up, for the reporter to answer before the complaint closes.
const (
	LaporForwardDays  = 3
	LaporFollowupDays = 5
	LaporCloseDays    = 10
)

// LaporComplaint is a ticket registered as a LAPOR! complaint with its
// working-day clocks. Forwarded is when the ticket was first routed to a
// team; followed up, the help desk's first public reply. CloseDue is set
// by the follow-up; ClosedByJobAt when the ticket closed because the
// reporter did not answer by then.
type LaporComplaint struct {
	Number        string     `json:"number"`
	TrackingID    string     `json:"tracking_id"`
	ReceivedAt    time.Time  `json:"received_at"`
	ForwardDue    time.Time  `json:"forward_due"`
	FollowupDue   time.Time  `json:"followup_due"`
	ForwardedAt   *time.Time `json:"forwarded_at"`
	FollowedUpAt  *time.Time `json:"followed_up_at"`
	CloseDue      *time.Time `json:"close_due"`
	ClosedByJobAt *time.Time `json:"closed_by_job_at"`
}

// laporReceivedDays bounds how long before the ticket's creation a
// complaint may have been received in LAPOR!: its clocks (3, 5 and 10
// working days) are long run out by then, so an earlier date is a mistake
// (a year typed wrong, a zero date), not a complaint the city sat on.
const laporReceivedDays = 90

// LaporInput registers a ticket as a LAPOR! complaint. ReceivedAt is when
// LAPOR! passed the complaint to the city, where its clocks start; it is
// the ticket's creation when left out, may not be in the future nor more
// than laporReceivedDays before the ticket's creation.
type LaporInput struct {
	TrackingID string     `json:"tracking_id"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`
}

// trackingID is a LAPOR! tracking ID: letters, digits and hyphens (the
// leading # people copy from LAPOR! is dropped).
var trackingID = regexp.MustCompile(`^[A-Za-z0-9-]{4,40}$`)

// laporCalendar is the working calendar with the holidays from since's day
// on: LAPOR! counts working days whatever the SLA policies say.
func (s *Service) laporCalendar(ctx context.Context, q db.Querier, since time.Time) (*calendar.Calendar, error) {
	return s.calendarOf(ctx, q, calendar.Working, since)
}

// RegisterLapor registers a ticket the help desk works as the LAPOR!
// complaint with tracking ID in.TrackingID. A ticket already routed to a
// team or answered has its forwarding and follow-up recorded at once.
func (s *Service) RegisterLapor(ctx context.Context, actor *policy.Actor, number string, in LaporInput) (LaporComplaint, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return LaporComplaint{}, err
	}
	in.TrackingID = strings.TrimPrefix(strings.TrimSpace(in.TrackingID), "#")
	var v errs.Validation
	if in.TrackingID == "" {
		v.Add("tracking_id", "required")
	} else if !trackingID.MatchString(in.TrackingID) {
		v.Add("tracking_id", "lapor.tracking_id")
	}
	at := now()
	if in.ReceivedAt != nil && in.ReceivedAt.After(at.Add(time.Minute)) {
		v.Add("received_at", "lapor.received_future")
	}
	if err := v.Err(); err != nil {
		return LaporComplaint{}, err
	}
	var out LaporComplaint
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TicketWork, target(t)); err != nil {
			return err
		}
		if t.Status == StatusClosed {
			return errs.New(errs.Conflict, "ticket.closed")
		}
		if in.ReceivedAt != nil && in.ReceivedAt.Before(t.CreatedAt.AddDate(0, 0, -laporReceivedDays)) {
			return errs.FieldErr("received_at", "lapor.received_old", laporReceivedDays)
		}
		received := t.CreatedAt
		if in.ReceivedAt != nil {
			received = in.ReceivedAt.UTC().Truncate(time.Microsecond)
		}
		cal, err := s.laporCalendar(ctx, tx, received)
		if err != nil {
			return err
		}
		l := LaporComplaint{Number: t.Number, TrackingID: in.TrackingID, ReceivedAt: received,
			ForwardDue:  cal.AddWorkingDays(received, LaporForwardDays).UTC(),
			FollowupDue: cal.AddWorkingDays(received, LaporFollowupDays).UTC()}
		if l.ForwardedAt, err = forwardedAt(ctx, tx, t); err != nil {
			return err
		}
		if t.FirstRespondedAt != nil {
			l.FollowedUpAt = t.FirstRespondedAt
			due := cal.AddWorkingDays(*t.FirstRespondedAt, LaporCloseDays).UTC()
			l.CloseDue = &due
		}
		if err := insertLapor(ctx, tx, t.ID, l); err != nil {
			if key, ok := s.db.Dialect.UniqueViolation(err); ok {
				if key == "lapor_complaints.tracking_id" {
					return &errs.Error{Code: errs.Conflict, Key: "lapor.tracking_taken", Args: []any{l.TrackingID},
						Fields: []errs.Field{{Name: "tracking_id", Key: "lapor.tracking_taken_field"}}}
				}
				return errs.New(errs.Conflict, "lapor.registered")
			}
			return fmt.Errorf("helpdesk: register LAPOR! complaint: %w", err)
		}
		ev := []Event{{Actor: authorName(actor), Kind: "lapor", New: l.TrackingID, At: at}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		out = l
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "lapor", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID), After: l})
	})
	return out, err
}

// forwardedAt is when a ticket was first routed to a team: the first
// history entry naming one, or its creation when it was filed with its
// team; nil when it has none.
func forwardedAt(ctx context.Context, q db.Querier, t Ticket) (*time.Time, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT at FROM ticket_events WHERE ticket_id = $1 AND kind = 'team'
		AND new_value <> '' ORDER BY id LIMIT 1`, t.ID).Scan(&at)
	switch {
	case err == nil:
		at = at.UTC()
		return &at, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("helpdesk: forwarded: %w", err)
	case t.TeamID != nil:
		return &t.CreatedAt, nil
	}
	return nil, nil
}

// Lapor returns the LAPOR! complaint a ticket the actor may see was
// registered as; NotFound when it was not.
func (s *Service) Lapor(ctx context.Context, actor *policy.Actor, number string) (LaporComplaint, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return LaporComplaint{}, err
	}
	t, err := s.visible(ctx, s.db.R, actor, id)
	if err != nil {
		return LaporComplaint{}, err
	}
	l, ok, err := findLapor(ctx, s.db.R, t.ID)
	if err != nil {
		return LaporComplaint{}, err
	}
	if !ok {
		return LaporComplaint{}, errs.New(errs.NotFound, "lapor.not_found")
	}
	l.Number = t.Number
	return l, nil
}

// laporRecord records on a ticket's LAPOR! complaint, if it is one, the
// moments a change brings: its first routing to a team (forwarded) and the
// help desk's first public reply (followed up, which starts the clock to
// close). It runs in the change's transaction, and only for the changes
// that bring such a moment, so other changes cost nothing.
func (s *Service) laporRecord(ctx context.Context, tx *sql.Tx, t Ticket, events []Event) error {
	var forwarded, followed *time.Time
	for _, e := range events {
		switch {
		case e.Kind == "team" && e.New != "" && forwarded == nil:
			forwarded = &e.At
		case e.Kind == "first_response" && followed == nil:
			followed = &e.At
		}
	}
	if forwarded == nil && followed == nil {
		return nil
	}
	l, ok, err := findLapor(ctx, tx, t.ID)
	if err != nil || !ok {
		return err
	}
	if forwarded != nil && l.ForwardedAt == nil {
		if _, err := tx.ExecContext(ctx, `UPDATE lapor_complaints SET forwarded_at = $2
			WHERE ticket_id = $1 AND forwarded_at IS NULL`, t.ID, *forwarded); err != nil {
			return fmt.Errorf("helpdesk: LAPOR! forwarded: %w", err)
		}
	}
	if followed != nil && l.FollowedUpAt == nil {
		cal, err := s.laporCalendar(ctx, tx, *followed)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE lapor_complaints SET followed_up_at = $2, close_due = $3
			WHERE ticket_id = $1 AND followed_up_at IS NULL`, t.ID, *followed,
			cal.AddWorkingDays(*followed, LaporCloseDays).UTC()); err != nil {
			return fmt.Errorf("helpdesk: LAPOR! followed up: %w", err)
		}
	}
	return nil
}

const laporColumns = `tracking_id, received_at, forward_due, followup_due, forwarded_at, followed_up_at, close_due,
	closed_by_job_at`

func findLapor(ctx context.Context, q db.Querier, ticketID int64) (LaporComplaint, bool, error) {
	var l LaporComplaint
	var forwarded, followed, closeDue, closed sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT `+laporColumns+` FROM lapor_complaints WHERE ticket_id = $1`, ticketID).
		Scan(&l.TrackingID, &l.ReceivedAt, &l.ForwardDue, &l.FollowupDue, &forwarded, &followed, &closeDue, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("helpdesk: LAPOR! complaint: %w", err)
	}
	l.ReceivedAt, l.ForwardDue, l.FollowupDue = l.ReceivedAt.UTC(), l.ForwardDue.UTC(), l.FollowupDue.UTC()
	l.ForwardedAt, l.FollowedUpAt, l.CloseDue, l.ClosedByJobAt = timePtr(forwarded), timePtr(followed),
		timePtr(closeDue), timePtr(closed)
	return l, true, nil
}

func insertLapor(ctx context.Context, q db.Querier, ticketID int64, l LaporComplaint) error {
	_, err := q.ExecContext(ctx, `INSERT INTO lapor_complaints (ticket_id, tracking_id, received_at, forward_due,
		followup_due, forwarded_at, followed_up_at, close_due) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		ticketID, l.TrackingID, l.ReceivedAt, l.ForwardDue, l.FollowupDue, l.ForwardedAt, l.FollowedUpAt, l.CloseDue)
	return err
}
