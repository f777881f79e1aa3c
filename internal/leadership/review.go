package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// Severities of a finding, least first.
var Severities = []string{"low", "medium", "high"}

// Follow-up statuses.
const (
	Open = "open"
	Done = "done"
)

// Review is a monitoring-and-evaluation review of an agency (0: the city)
// for a period, with its findings and follow-up actions.
type Review struct {
	ID         int64      `json:"id"`
	AgencyID   int64      `json:"agency_id"`
	AgencyName string     `json:"agency_name,omitempty"`
	Period     string     `json:"period"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	Findings   []Finding  `json:"findings"`
	FollowUps  []FollowUp `json:"follow_ups"`
	Open       int        `json:"open"`
	Overdue    int        `json:"overdue"`
	Manage     bool       `json:"-"` // the reader may add findings and follow-ups
}

// Finding is what a review found.
type Finding struct {
	ID       int64  `json:"id"`
	Text     string `json:"text"`
	Severity string `json:"severity"`
}

// ReviewInput is a review to hold.
type ReviewInput struct {
	AgencyID int64  `json:"agency_id"`
	Period   string `json:"period"`
	Title    string `json:"title"`
	Summary  string `json:"summary,omitempty"`
}

// FindingInput is a finding to add.
type FindingInput struct {
	Text     string `json:"text"`
	Severity string `json:"severity"`
}

// ReviewLink is a review's page.
func ReviewLink(id int64) string { return "/pimpinan/evaluasi/" + strconv.FormatInt(id, 10) }

// CreateReview holds a review of an agency or the city for a period.
func (s *Service) CreateReview(ctx context.Context, actor *policy.Actor, in ReviewInput) (Review, error) {
	if err := policy.Check(actor, policy.ReviewManage, policy.Target{AgencyID: in.AgencyID}); err != nil {
		return Review{}, err
	}
	var v errs.Validation
	in.Title = strings.TrimSpace(in.Title)
	text(&v, "title", in.Title, true, 200)
	text(&v, "summary", in.Summary, false, 20000)
	if p, err := period.Parse(in.Period, s.zone); err != nil {
		v.Add("period", "period.invalid")
	} else {
		in.Period = p.Label
	}
	if err := v.Err(); err != nil {
		return Review{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := agencyExists(ctx, tx, "agency_id", in.AgencyID); err != nil {
			return err
		}
		at := now()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO reviews (agency_id, period, title, summary, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			nullID(in.AgencyID), in.Period, in.Title, in.Summary, nullID(actor.AccountID), at)
		if err != nil {
			return fmt.Errorf("leadership: create review: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "review", EntityID: id,
			AgencyID: in.AgencyID, After: in})
	})
	if err != nil {
		return Review{}, err
	}
	return s.Review(ctx, actor, id)
}

// AddFinding adds a finding to a review.
func (s *Service) AddFinding(ctx context.Context, actor *policy.Actor, reviewID int64, in FindingInput) (Review, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		agency, err := reviewAgency(ctx, tx, reviewID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ReviewManage, policy.Target{AgencyID: agency}); err != nil {
			return err
		}
		var v errs.Validation
		text(&v, "text", in.Text, true, 5000)
		if !slices.Contains(Severities, in.Severity) {
			v.Add("severity", "one_of", strings.Join(Severities, ", "))
		}
		if err := v.Err(); err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO review_findings (review_id, text, severity, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, reviewID, in.Text, in.Severity, now())
		if err != nil {
			return fmt.Errorf("leadership: finding of %d: %w", reviewID, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "review_finding", EntityID: id,
			AgencyID: agency, After: in})
	})
	if err != nil {
		return Review{}, err
	}
	return s.Review(ctx, actor, reviewID)
}

// reviewAgency returns the agency (0: the city) a review is of.
func reviewAgency(ctx context.Context, q db.Querier, id int64) (int64, error) {
	var agency sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT agency_id FROM reviews WHERE id = $1`, id).Scan(&agency)
	if err == sql.ErrNoRows {
		return 0, errs.New(errs.NotFound, "leadership.review_not_found")
	}
	if err != nil {
		return 0, fmt.Errorf("leadership: review %d: %w", id, err)
	}
	return idOf(agency), nil
}

// mayReadReview: those who manage or watch the agency's learning, and the
// people a follow-up of the review is assigned to.
func mayReadReview(ctx context.Context, q db.Querier, actor *policy.Actor, id, agency int64) (bool, error) {
	if policy.Can(actor, policy.ReviewManage, policy.Target{AgencyID: agency}) ||
		policy.Can(actor, policy.InsightView, policy.Target{AgencyID: agency}) {
		return true, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM follow_ups WHERE review_id = $1 AND assignee_id = $2`,
		id, actor.EmployeeID).Scan(&n)
	return n > 0, err
}

// Review returns a review with its findings and follow-ups.
func (s *Service) Review(ctx context.Context, actor *policy.Actor, id int64) (Review, error) {
	if err := signedIn(actor); err != nil {
		return Review{}, err
	}
	var r Review
	var agency sql.NullInt64
	err := s.db.R.QueryRowContext(ctx, `SELECT r.id, r.agency_id, COALESCE(g.name, ''), r.period, r.title, r.summary,
		COALESCE(e.name, ''), r.created_at FROM reviews r LEFT JOIN agencies g ON g.id = r.agency_id
		LEFT JOIN accounts a ON a.id = r.created_by LEFT JOIN employees e ON e.id = a.employee_id WHERE r.id = $1`, id).
		Scan(&r.ID, &agency, &r.AgencyName, &r.Period, &r.Title, &r.Summary, &r.CreatedBy, &r.CreatedAt)
	if err == sql.ErrNoRows {
		return Review{}, errs.New(errs.NotFound, "leadership.review_not_found")
	}
	if err != nil {
		return Review{}, fmt.Errorf("leadership: review %d: %w", id, err)
	}
	r.AgencyID, r.CreatedAt = idOf(agency), r.CreatedAt.UTC()
	ok, err := mayReadReview(ctx, s.db.R, actor, id, r.AgencyID)
	if err != nil {
		return Review{}, err
	}
	if !ok {
		return Review{}, errs.New(errs.NotFound, "leadership.review_not_found")
	}
	r.Manage = policy.Can(actor, policy.ReviewManage, policy.Target{AgencyID: r.AgencyID})
	if r.Findings, err = findings(ctx, s.db.R, id); err != nil {
		return Review{}, err
	}
	if r.FollowUps, err = followUps(ctx, s.db.R, s.today(), "f.review_id = $2", id); err != nil {
		return Review{}, err
	}
	if err := notes(ctx, s.db.R, r.FollowUps); err != nil {
		return Review{}, err
	}
	r.count()
	return r, nil
}

// count fills in the review's open and overdue follow-ups.
func (r *Review) count() {
	for _, f := range r.FollowUps {
		if f.Status == Open {
			r.Open++
			if f.Overdue {
				r.Overdue++
			}
		}
	}
}

func findings(ctx context.Context, q db.Querier, reviewID int64) ([]Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, text, severity FROM review_findings WHERE review_id = $1 ORDER BY id`, reviewID)
	if err != nil {
		return nil, fmt.Errorf("leadership: findings of %d: %w", reviewID, err)
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.ID, &f.Text, &f.Severity); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ReviewFilter narrows the list of reviews.
type ReviewFilter struct {
	AgencyID *int64 // 0: the city's own reviews
	Period   string
}

// Reviews lists the reviews the reader may read, newest first: of the
// agencies they lead or watch (all for the executive and the expert
// team), and those with a follow-up assigned to them.
func (s *Service) Reviews(ctx context.Context, actor *policy.Actor, f ReviewFilter, p db.Page) ([]Review, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !policy.Can(actor, policy.InsightView, policy.Target{}) && !policy.Can(actor, policy.ReviewManage, policy.Target{}) {
		scope := []string{"r.id IN (SELECT review_id FROM follow_ups WHERE assignee_id = " + arg(actor.EmployeeID) + ")"}
		for _, g := range actor.Grants {
			if g.AgencyID != 0 && (policy.Can(actor, policy.InsightView, policy.Target{AgencyID: g.AgencyID}) ||
				policy.Can(actor, policy.ReviewManage, policy.Target{AgencyID: g.AgencyID})) {
				scope = append(scope, "r.agency_id = "+arg(g.AgencyID))
			}
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.AgencyID != nil {
		where = append(where, "COALESCE(r.agency_id, 0) = "+arg(*f.AgencyID))
	}
	if f.Period != "" {
		pp, err := period.Parse(f.Period, s.zone)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "r.period = "+arg(pp.Label))
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		where = append(where, "r.id < "+arg(after))
	}
	query := `SELECT r.id, r.agency_id, COALESCE(g.name, ''), r.period, r.title, r.summary, r.created_at,
		(SELECT COUNT(*) FROM follow_ups f WHERE f.review_id = r.id AND f.status = 'open'),
		(SELECT COUNT(*) FROM follow_ups f WHERE f.review_id = r.id AND f.status = 'open' AND f.due_on < ` + arg(s.today()) + `)
		FROM reviews r LEFT JOIN agencies g ON g.id = r.agency_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY r.id DESC LIMIT %d", p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("leadership: reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		var agency sql.NullInt64
		if err := rows.Scan(&r.ID, &agency, &r.AgencyName, &r.Period, &r.Title, &r.Summary, &r.CreatedAt,
			&r.Open, &r.Overdue); err != nil {
			return nil, "", fmt.Errorf("leadership: reviews: %w", err)
		}
		r.AgencyID, r.CreatedAt, r.Findings, r.FollowUps = idOf(agency), r.CreatedAt.UTC(), []Finding{}, []FollowUp{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > p.Size() {
		out = out[:p.Size()]
		next = db.Cursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// today is midnight today in the city's zone, in UTC: a follow-up due
// before it is overdue.
func (s *Service) today() time.Time {
	n := time.Now().In(s.zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, s.zone).UTC()
}

// tellAssignee notifies the account of an employee, if they have one.
func tellAssignee(ctx context.Context, tx *sql.Tx, employeeID int64, kind string, args []string, link string) error {
	ids, err := db.IDs(ctx, tx, `SELECT id FROM accounts WHERE employee_id = $1 AND active`, employeeID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := notify.Send(ctx, tx, notify.Message{AccountID: id, Kind: kind, Args: args, Link: link}); err != nil {
			return err
		}
	}
	return nil
}
