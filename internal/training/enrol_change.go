package training

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Decide records the agency head's answer to a nomination: approved, the
// person keeps their place; declined, the place is freed for the next in
// line.
func (s *Service) Decide(ctx context.Context, actor *policy.Actor, enrolmentID int64, approve bool) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := findEnrolment(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.EnrolmentApprove, policy.Target{AgencyID: n.AgencyID,
			EmployeeID: n.EmployeeID}); err != nil {
			return err
		}
		e, err := lockEvent(ctx, tx, n.EventID)
		if err != nil {
			return err
		}
		if err := openCheck(e); err != nil {
			return err
		}
		if n, err = findEnrolment(ctx, tx, enrolmentID); err != nil {
			return err
		}
		if n.Approval != ApprovalPending || n.Status == Cancelled {
			return errs.New(errs.Conflict, "training.not_pending")
		}
		at := now()
		approval, kind := ApprovalApproved, "training.approved"
		if !approve {
			approval, kind = ApprovalDeclined, "training.declined"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enrolments SET approval = $1, decided_by = $2, decided_at = $3,
			updated_at = $3, status = CASE WHEN $4 THEN status ELSE 'cancelled' END,
			cancelled_at = CASE WHEN $4 THEN cancelled_at ELSE $3 END,
			cancelled_by = CASE WHEN $4 THEN cancelled_by ELSE $2 END WHERE id = $5`,
			approval, db.NullID(actor.AccountID), at, approve, enrolmentID); err != nil {
			return fmt.Errorf("training: decide %d: %w", enrolmentID, err)
		}
		if !approve {
			if err := s.promote(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		account, err := accountOf(ctx, tx, n.EmployeeID)
		if err != nil {
			return err
		}
		tell := []int64{account}
		if n.NominatedBy != nil && *n.NominatedBy != actor.AccountID {
			tell = append(tell, *n.NominatedBy)
		}
		if err := s.tell(ctx, tx, tell, kind, e); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "decide", Entity: "enrolment", EntityID: enrolmentID,
			AgencyID: n.AgencyID, Before: map[string]string{"approval": n.Approval},
			After: map[string]string{"approval": approval}})
	})
}

// CancelEnrolment gives up a place (or a place in line): by the person,
// by their agency's admin who may nominate them, or by the organizer.
// A seat freed goes to the next in line.
func (s *Service) CancelEnrolment(ctx context.Context, actor *policy.Actor, enrolmentID int64) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := findEnrolment(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		e, err := lockEvent(ctx, tx, n.EventID)
		if err != nil {
			return err
		}
		if n, err = findEnrolment(ctx, tx, enrolmentID); err != nil {
			return err
		}
		t, err := eventTarget(ctx, tx, actor, e)
		if err != nil {
			return err
		}
		self := actor.EmployeeID != 0 && actor.EmployeeID == n.EmployeeID
		if !self && !policy.Can(actor, policy.EventManage, t) {
			if err := policy.Check(actor, policy.EnrolmentNominate, policy.Target{AgencyID: n.AgencyID,
				EmployeeID: n.EmployeeID}); err != nil {
				return err
			}
		}
		if err := openCheck(e); err != nil {
			return err
		}
		if n.Status != Enrolled && n.Status != Waitlisted {
			return errs.New(errs.Conflict, "training.not_cancellable")
		}
		at := now()
		if _, err := tx.ExecContext(ctx, `UPDATE enrolments SET status = 'cancelled', cancelled_by = $1,
			cancelled_at = $2, updated_at = $2 WHERE id = $3`, db.NullID(actor.AccountID), at, enrolmentID); err != nil {
			return fmt.Errorf("training: cancel enrolment %d: %w", enrolmentID, err)
		}
		if n.Status == Enrolled {
			if err := s.promote(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		if !self {
			account, err := accountOf(ctx, tx, n.EmployeeID)
			if err != nil {
				return err
			}
			if err := s.tell(ctx, tx, []int64{account}, "training.enrolment_cancelled", e); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "cancel", Entity: "enrolment", EntityID: enrolmentID,
			AgencyID: n.AgencyID, Before: map[string]string{"status": n.Status}})
	})
}

// promote gives the free seats of event eventID to the waitlist, oldest
// first, and tells each person promoted. The caller holds the event's lock.
func (s *Service) promote(ctx context.Context, q db.Querier, eventID int64) error {
	e, err := findEvent(ctx, q, eventID)
	if err != nil {
		return err
	}
	free := e.Capacity - e.Enrolled
	// Once the event is over a seat freed is no use to anyone waiting.
	if free <= 0 || e.Waitlisted == 0 || !e.Open() || !now().Before(e.EndsAt) {
		return nil
	}
	ids, err := db.IDs(ctx, q, `SELECT id FROM enrolments WHERE event_id = $1 AND status = 'waitlisted'
		ORDER BY COALESCE(queued_at, created_at), id LIMIT $2`, eventID, free)
	if err != nil {
		return err
	}
	at := now()
	for _, id := range ids {
		var employee int64
		if err := q.QueryRowContext(ctx, `SELECT employee_id FROM enrolments WHERE id = $1`, id).Scan(&employee); err != nil {
			return fmt.Errorf("training: promote %d: %w", id, err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE enrolments SET status = 'enrolled', updated_at = $1 WHERE id = $2`,
			at, id); err != nil {
			return fmt.Errorf("training: promote %d: %w", id, err)
		}
		account, err := accountOf(ctx, q, employee)
		if err != nil {
			return err
		}
		if err := s.tell(ctx, q, []int64{account}, "training.promoted", e); err != nil {
			return err
		}
	}
	return nil
}
