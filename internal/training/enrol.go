package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// ApprovalsLink is the agency head's list of nominations to answer.
const ApprovalsLink = "/pelatihan/persetujuan"

// Enrol gives person employeeID a place at event eventID: a seat while
// seats are free, else a place on the waitlist — never more seats than
// the event has, however many ask at once (the event's row is locked
// while its seats are counted). Who asks decides how:
//   - the event's organizer or trainer (policy.EventManage) enrols anyone
//     directly;
//   - the person enrols themselves where the event allows it;
//   - their agency's admin nominates them (policy.EnrolmentNominate); the
//     agency head's approval is then pending (unless the head nominated),
//     while the place is held.
//
// Self-enrolment and nomination close when the event ends (a late
// joiner of a bimtek of several days may still attend enough of it).
func (s *Service) Enrol(ctx context.Context, actor *policy.Actor, eventID, employeeID int64) (Enrolment, error) {
	if actor == nil {
		return Enrolment{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) {
		id, err = s.enrol(ctx, tx, actor, eventID, employeeID)
		return err
	})
	if err != nil {
		return Enrolment{}, err
	}
	return findEnrolment(ctx, s.db.R, id)
}

// EnrolMany enrols (or nominates) several people at once, all or none:
// on a refusal it returns the person refused and why.
func (s *Service) EnrolMany(ctx context.Context, actor *policy.Actor, eventID int64, employees []int64) (failed int64, err error) {
	if actor == nil {
		return 0, errs.New(errs.Unauthorized, "unauthorized")
	}
	if len(employees) == 0 {
		return 0, errs.FieldErr("employee_id", "training.pick_someone")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range employees {
			if _, err := s.enrol(ctx, tx, actor, eventID, p); err != nil {
				failed = p
				return err
			}
		}
		return nil
	})
	return failed, err
}

func (s *Service) enrol(ctx context.Context, tx *sql.Tx, actor *policy.Actor, eventID, employeeID int64) (int64, error) {
	e, err := lockEvent(ctx, tx, eventID)
	if err != nil {
		return 0, err
	}
	if err := openCheck(e); err != nil {
		return 0, err
	}
	var agency int64
	var active bool
	err = tx.QueryRowContext(ctx, `SELECT agency_id, active FROM employees WHERE id = $1`, employeeID).Scan(&agency, &active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return 0, errs.FieldErr("employee_id", "training.employee_unknown")
	}
	if err != nil {
		return 0, fmt.Errorf("training: employee %d: %w", employeeID, err)
	}
	source, approval, err := s.howEnrolled(ctx, tx, actor, e, employeeID, agency)
	if err != nil {
		return 0, err
	}
	if e.AgencyID != nil && *e.AgencyID != agency {
		return 0, errs.FieldErr("employee_id", "training.other_agency", e.AgencyName)
	}
	status := Waitlisted
	if e.Enrolled < e.Capacity {
		status = Enrolled
	}
	id, err := s.place(ctx, tx, actor, e, employeeID, status, approval, source)
	if err != nil {
		return 0, err
	}
	if err := s.tellEnrolled(ctx, tx, actor, e, employeeID, agency, status, approval); err != nil {
		return 0, err
	}
	return id, audit.Write(ctx, tx, actor, audit.Entry{Action: "enrol", Entity: "enrolment", EntityID: id,
		AgencyID: agency, After: map[string]any{"event_id": eventID, "employee_id": employeeID, "status": status,
			"approval": approval, "source": source}})
}

// howEnrolled decides the source and approval of an enrolment, or refuses.
func (s *Service) howEnrolled(ctx context.Context, q db.Querier, actor *policy.Actor, e Event, employeeID, agency int64) (string, string, error) {
	t, err := eventTarget(ctx, q, actor, e)
	if err != nil {
		return "", "", err
	}
	if policy.Can(actor, policy.EventManage, t) {
		return SourceOrganizer, ApprovalNotNeeded, nil
	}
	person := policy.Target{AgencyID: agency, EmployeeID: employeeID}
	approval := ApprovalNotNeeded
	if e.NeedsApproval {
		approval = ApprovalPending
		if policy.Can(actor, policy.EnrolmentApprove, person) {
			approval = ApprovalApproved
		}
	}
	source := SourceNominated
	switch {
	case actor.EmployeeID == employeeID && e.SelfEnrol:
		source = SourceSelf
	case actor.EmployeeID == employeeID && !policy.Can(actor, policy.EnrolmentNominate, person):
		return "", "", errs.New(errs.Forbidden, "training.self_enrol_closed")
	default:
		if err := policy.Check(actor, policy.EnrolmentNominate, person); err != nil {
			return "", "", err
		}
	}
	if !now().Before(e.EndsAt) {
		return "", "", errs.New(errs.Conflict, "training.event_over")
	}
	return source, approval, nil
}

// place writes the enrolment: a new row, or a cancelled place taken again
// (at the end of the line).
func (s *Service) place(ctx context.Context, q db.Querier, actor *policy.Actor, e Event, employeeID int64, status, approval, source string) (int64, error) {
	at := now()
	var id int64
	var old string
	err := q.QueryRowContext(ctx, `SELECT id, status FROM enrolments WHERE event_id = $1 AND employee_id = $2`,
		e.ID, employeeID).Scan(&id, &old)
	nominator := any(nil)
	if source == SourceNominated {
		nominator = db.NullID(actor.AccountID)
	}
	decider, decided := any(nil), any(nil)
	if approval == ApprovalApproved {
		decider, decided = db.NullID(actor.AccountID), at
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err = db.InsertID(ctx, q, `INSERT INTO enrolments (event_id, employee_id, status, approval, source,
			nominated_by, decided_by, decided_at, queued_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING id`,
			e.ID, employeeID, status, approval, source, nominator, decider, decided, at)
		if err != nil {
			if _, dup := s.db.Dialect.UniqueViolation(err); dup {
				return 0, errs.New(errs.Conflict, "training.already_enrolled")
			}
			return 0, fmt.Errorf("training: enrol %d in %d: %w", employeeID, e.ID, err)
		}
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("training: enrolment of %d in %d: %w", employeeID, e.ID, err)
	case old != Cancelled:
		return 0, errs.New(errs.Conflict, "training.already_enrolled")
	}
	if _, err := q.ExecContext(ctx, `UPDATE enrolments SET status = $1, approval = $2, source = $3, nominated_by = $4,
		decided_by = $5, decided_at = $6, cancelled_by = NULL, cancelled_at = NULL, queued_at = $7, updated_at = $7
		WHERE id = $8`, status, approval, source, nominator, decider, decided, at, id); err != nil {
		return 0, fmt.Errorf("training: enrol %d in %d again: %w", employeeID, e.ID, err)
	}
	return id, nil
}

// tellEnrolled tells the person of a place someone else gave them, and
// the agency's heads of a nomination awaiting them.
func (s *Service) tellEnrolled(ctx context.Context, q db.Querier, actor *policy.Actor, e Event, employeeID, agency int64, status, approval string) error {
	if actor.EmployeeID != employeeID {
		account, err := accountOf(ctx, q, employeeID)
		if err != nil {
			return err
		}
		if err := s.tell(ctx, q, []int64{account}, "training."+status, e); err != nil {
			return err
		}
	}
	if approval != ApprovalPending {
		return nil
	}
	heads, err := db.IDs(ctx, q, `SELECT DISTINCT g.account_id FROM role_grants g JOIN accounts a ON a.id = g.account_id
		WHERE g.role = 'agency_head' AND g.agency_id = $1 AND a.active = TRUE ORDER BY g.account_id`, agency)
	if err != nil {
		return err
	}
	msgs := make([]notify.Message, 0, len(heads))
	for _, h := range heads {
		msgs = append(msgs, notify.Message{AccountID: h, Kind: "training.approval_needed", Args: []string{e.Title},
			Link: ApprovalsLink})
	}
	return notify.Send(ctx, q, msgs...)
}
