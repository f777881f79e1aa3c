package leadership

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// FollowUp is an action a review assigned to a person, due on a day.
type FollowUp struct {
	ID           int64      `json:"id"`
	ReviewID     int64      `json:"review_id"`
	ReviewTitle  string     `json:"review_title"`
	AgencyID     int64      `json:"agency_id"`
	FindingID    int64      `json:"finding_id,omitempty"`
	Action       string     `json:"action"`
	AssigneeID   int64      `json:"assignee_id"`
	AssigneeName string     `json:"assignee_name"`
	DueOn        time.Time  `json:"due_on"`
	Status       string     `json:"status"`
	DoneAt       *time.Time `json:"done_at"`
	Overdue      bool       `json:"overdue"`
	Notes        []Note     `json:"notes"`
}

// Note is the assignee's (or a leader's) report of progress.
type Note struct {
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// FollowUpInput is a follow-up to assign: FindingID 0 is about the review
// as a whole; DueOn is a day, "2026-03-31".
type FollowUpInput struct {
	FindingID  int64  `json:"finding_id,omitempty"`
	Action     string `json:"action"`
	AssigneeID int64  `json:"assignee_id"`
	DueOn      string `json:"due_on"`
}

// ProgressInput is a progress report on a follow-up; Status "done" closes
// it, "open" reopens it, "" leaves it as it is.
type ProgressInput struct {
	Body   string `json:"body"`
	Status string `json:"status,omitempty"`
}

// FollowUpLink is the page of a follow-up: its review.
func FollowUpLink(reviewID, id int64) string {
	return ReviewLink(reviewID) + "#tl-" + strconv.FormatInt(id, 10)
}

// followUps loads follow-ups matching where ($2 on; $1 is today, before
// which an open one is overdue), soonest due first.
func followUps(ctx context.Context, q db.Querier, today time.Time, where string, args ...any) ([]FollowUp, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.review_id, r.title, COALESCE(r.agency_id, 0), COALESCE(f.finding_id, 0),
		f.action, f.assignee_id, e.name, f.due_on, f.status, f.done_at, f.status = 'open' AND f.due_on < $1
		FROM follow_ups f JOIN reviews r ON r.id = f.review_id JOIN employees e ON e.id = f.assignee_id
		WHERE `+where+` ORDER BY f.status DESC, f.due_on, f.id`, append([]any{today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("leadership: follow-ups: %w", err)
	}
	defer rows.Close()
	out := []FollowUp{}
	for rows.Next() {
		var f FollowUp
		var done sql.NullTime
		if err := rows.Scan(&f.ID, &f.ReviewID, &f.ReviewTitle, &f.AgencyID, &f.FindingID, &f.Action, &f.AssigneeID,
			&f.AssigneeName, &f.DueOn, &f.Status, &done, &f.Overdue); err != nil {
			return nil, fmt.Errorf("leadership: follow-ups: %w", err)
		}
		f.DueOn, f.Notes = f.DueOn.UTC(), []Note{}
		if done.Valid {
			t := done.Time.UTC()
			f.DoneAt = &t
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// notes loads the progress notes of the follow-ups in one query.
func notes(ctx context.Context, q db.Querier, list []FollowUp) error {
	if len(list) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(list))
	for i, f := range list {
		at[f.ID], ids[i] = i, f.ID
	}
	in, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT n.follow_up_id, COALESCE(e.name, ''), n.body, n.created_at
		FROM follow_up_notes n JOIN accounts a ON a.id = n.author_id LEFT JOIN employees e ON e.id = a.employee_id
		WHERE n.follow_up_id IN (`+in+`) ORDER BY n.follow_up_id, n.id`, args...)
	if err != nil {
		return fmt.Errorf("leadership: notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n Note
		if err := rows.Scan(&id, &n.Author, &n.Body, &n.CreatedAt); err != nil {
			return err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		list[at[id]].Notes = append(list[at[id]].Notes, n)
	}
	return rows.Err()
}

// AddFollowUp assigns a follow-up action of a review to a person, who is
// told.
func (s *Service) AddFollowUp(ctx context.Context, actor *policy.Actor, reviewID int64, in FollowUpInput) (FollowUp, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		agency, err := reviewAgency(ctx, tx, reviewID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ReviewManage, policy.Target{AgencyID: agency}); err != nil {
			return err
		}
		var v errs.Validation
		in.Action = strings.TrimSpace(in.Action)
		text(&v, "action", in.Action, true, 2000)
		due := s.parseDay(&v, "due_on", in.DueOn, true)
		if in.AssigneeID == 0 {
			v.Add("assignee_id", "required")
		} else {
			// The assignee of an agency's review works there, as the
			// people an agency recognizes do: they will read the review.
			var where sql.NullInt64
			switch err := tx.QueryRowContext(ctx, `SELECT agency_id FROM employees WHERE id = $1 AND active`,
				in.AssigneeID).Scan(&where); {
			case errors.Is(err, sql.ErrNoRows):
				v.Add("assignee_id", "leadership.assignee_unknown")
			case err != nil:
				return fmt.Errorf("leadership: assignee %d: %w", in.AssigneeID, err)
			case agency != 0 && where.Int64 != agency:
				v.Add("assignee_id", "leadership.assignee_elsewhere")
			}
		}
		if in.FindingID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_findings WHERE id = $1 AND review_id = $2`,
				in.FindingID, reviewID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				v.Add("finding_id", "leadership.finding_unknown")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now()
		id, err = db.InsertID(ctx, tx, `INSERT INTO follow_ups (review_id, finding_id, action, assignee_id, due_on,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			reviewID, nullID(in.FindingID), in.Action, in.AssigneeID, *due, nullID(actor.AccountID), at)
		if err != nil {
			return fmt.Errorf("leadership: follow-up of %d: %w", reviewID, err)
		}
		if err := tellAssignee(ctx, tx, in.AssigneeID, "followup.assigned",
			[]string{in.Action, s.Day(*due)}, FollowUpLink(reviewID, id)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "follow_up", EntityID: id,
			AgencyID: agency, After: in})
	})
	if err != nil {
		return FollowUp{}, err
	}
	return s.FollowUp(ctx, actor, id)
}

// FollowUp returns a follow-up with its notes to whoever may read its review.
func (s *Service) FollowUp(ctx context.Context, actor *policy.Actor, id int64) (FollowUp, error) {
	if err := signedIn(actor); err != nil {
		return FollowUp{}, err
	}
	list, err := followUps(ctx, s.db.R, s.today(), "f.id = $2", id)
	if err != nil {
		return FollowUp{}, err
	}
	if len(list) == 0 {
		return FollowUp{}, errs.New(errs.NotFound, "leadership.followup_not_found")
	}
	ok, err := mayReadReview(ctx, s.db.R, actor, list[0].ReviewID, list[0].AgencyID)
	if err != nil {
		return FollowUp{}, err
	}
	if !ok {
		return FollowUp{}, errs.New(errs.NotFound, "leadership.followup_not_found")
	}
	return list[0], notes(ctx, s.db.R, list)
}

// Report adds a progress note to a follow-up, by its assignee or a leader
// of the review's agency, and closes or reopens it; whoever held the
// review hears of a follow-up done.
func (s *Service) Report(ctx context.Context, actor *policy.Actor, id int64, in ProgressInput) (FollowUp, error) {
	f, err := s.FollowUp(ctx, actor, id)
	if err != nil {
		return FollowUp{}, err
	}
	if err := policy.Check(actor, policy.FollowUpReport, policy.Target{AgencyID: f.AgencyID, EmployeeID: f.AssigneeID}); err != nil {
		return FollowUp{}, err
	}
	var v errs.Validation
	text(&v, "body", in.Body, in.Status == "", 5000)
	if in.Status != "" && in.Status != Open && in.Status != Done {
		v.Add("status", "one_of", "open, done")
	}
	if err := v.Err(); err != nil {
		return FollowUp{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		at := now()
		if strings.TrimSpace(in.Body) != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO follow_up_notes (follow_up_id, author_id, body, created_at)
				VALUES ($1, $2, $3, $4)`, id, actor.AccountID, in.Body, at); err != nil {
				return fmt.Errorf("leadership: note on %d: %w", id, err)
			}
		}
		if in.Status != "" && in.Status != f.Status {
			var done any
			if in.Status == Done {
				done = at
			}
			// Only while the status is still another: of the same report
			// sent twice at once, one changes it and tells the review's
			// holder, the other only adds its note.
			res, err := tx.ExecContext(ctx, `UPDATE follow_ups SET status = $1, done_at = $2, updated_at = $3
				WHERE id = $4 AND status <> $1`, in.Status, done, at, id)
			if err != nil {
				return fmt.Errorf("leadership: follow-up %d: %w", id, err)
			}
			changed, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if changed > 0 && in.Status == Done {
				creators, err := db.IDs(ctx, tx, `SELECT r.created_by FROM reviews r WHERE r.id = $1
					AND r.created_by IS NOT NULL AND r.created_by <> $2`, f.ReviewID, actor.AccountID)
				if err != nil {
					return err
				}
				for _, c := range creators {
					if err := notify.Send(ctx, tx, notify.Message{AccountID: c, Kind: "followup.done",
						Args: []string{f.Action, f.AssigneeName}, Link: FollowUpLink(f.ReviewID, id)}); err != nil {
						return err
					}
				}
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "report", Entity: "follow_up", EntityID: id,
			AgencyID: f.AgencyID, After: in})
	})
	if err != nil {
		return FollowUp{}, err
	}
	return s.FollowUp(ctx, actor, id)
}

// MyFollowUps lists the follow-ups assigned to the reader, open ones
// first, soonest due first; all set includes the done ones.
func (s *Service) MyFollowUps(ctx context.Context, actor *policy.Actor, all bool) ([]FollowUp, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	where := "f.assignee_id = $2"
	if !all {
		where += " AND f.status = 'open'"
	}
	list, err := followUps(ctx, s.db.R, s.today(), where, actor.EmployeeID)
	if err != nil {
		return nil, err
	}
	return list, notes(ctx, s.db.R, list)
}
