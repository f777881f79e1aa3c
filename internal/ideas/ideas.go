// Package ideas is feedback upwards: anyone proposes an idea for an
// application (owned by the agency that owns the application) or for a
// procedure of an agency; colleagues vote and comment; the owner agency's
// head or the executive answers it and moves its status (new → review →
// planned → done, or declined). An answer is required whenever the status
// moves past new, and the time an idea waits for its first answer is
// measured: per idea, and per agency (AnswerStats) for the leaders and the
// LO index.
package ideas

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service keeps ideas, their votes, comments and answers.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// NewService returns the ideas service over d; zone is the city's, for
// days of waiting and periods.
func NewService(d *db.DB, zone *time.Location) *Service { return &Service{db: d, zone: zone} }

// The statuses of an idea, in the order they usually follow.
const (
	StatusNew      = "new"
	StatusReview   = "review"
	StatusPlanned  = "planned"
	StatusDone     = "done"
	StatusDeclined = "declined"
)

// Statuses are every status, in order.
var Statuses = []string{StatusNew, StatusReview, StatusPlanned, StatusDone, StatusDeclined}

// Topics of an idea.
const (
	TopicApp       = "app"
	TopicProcedure = "procedure"
)

// Limits of what is written.
const (
	maxTitle     = 200
	maxBody      = 10000
	maxProcedure = 200
	maxAnswer    = 10000
	maxComment   = 5000
)

// Idea is an idea as the list and its page show it.
type Idea struct {
	ID            int64         `json:"id"`
	AgencyID      int64         `json:"agency_id"`
	AgencyName    string        `json:"agency_name"`
	AppID         *int64        `json:"app_id"`
	AppName       string        `json:"app_name,omitempty"`
	Topic         string        `json:"topic"`
	Procedure     string        `json:"procedure,omitempty"`
	Title         string        `json:"title"`
	Body          string        `json:"body"`
	AuthorID      int64         `json:"author_id"`
	AuthorName    string        `json:"author_name"`
	Status        string        `json:"status"`
	Answer        string        `json:"answer"`
	AnsweredBy    string        `json:"answered_by,omitempty"`
	AnsweredAt    *time.Time    `json:"answered_at"`
	Votes         int           `json:"votes"`
	Voted         bool          `json:"voted"`
	CommentCount  int           `json:"comment_count"`
	WaitDays      int           `json:"wait_days"` // days waited for the first answer (so far, while none)
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	Answers       []Answer      `json:"answers,omitempty"`
	Comments      []Comment     `json:"comments,omitempty"`
	BodyHTML      template.HTML `json:"-"`
	CanAnswer     bool          `json:"-"`
	CanEdit       bool          `json:"-"`
	WaitingAnswer bool          `json:"-"`
}

// Answer is one answer of the owner's leadership with the status it set.
type Answer struct {
	ID         int64         `json:"id"`
	StatusFrom string        `json:"status_from"`
	Status     string        `json:"status"`
	Answer     string        `json:"answer"`
	By         string        `json:"by"`
	CreatedAt  time.Time     `json:"created_at"`
	HTML       template.HTML `json:"-"`
}

// Comment is a colleague's comment on an idea.
type Comment struct {
	ID        int64         `json:"id"`
	Body      string        `json:"body"`
	By        string        `json:"by"`
	CreatedAt time.Time     `json:"created_at"`
	HTML      template.HTML `json:"-"`
}

// Input is a new idea: for an application (AppID; its owner agency answers)
// or for a procedure (Procedure) of an agency (AgencyID).
type Input struct {
	AppID     *int64 `json:"app_id,omitempty"`
	AgencyID  *int64 `json:"agency_id,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Title     string `json:"title"`
	Body      string `json:"body"`
}

// AnswerInput moves an idea to Status with the leadership's Answer.
type AnswerInput struct {
	Status string `json:"status"`
	Answer string `json:"answer"`
}

// CommentInput is a comment.
type CommentInput struct {
	Body string `json:"body"`
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Link is an idea's page.
func Link(id int64) string { return fmt.Sprintf("/ide/%d", id) }

var errNotFound = errs.New(errs.NotFound, "ideas.not_found")

func tooLong(v *errs.Validation, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, "too_long", max)
	}
}

// Create records a new idea by the actor, tells the owner agency's heads,
// and returns it.
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Idea, error) {
	if actor == nil {
		return Idea{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	if actor.EmployeeID == 0 {
		return Idea{}, errs.New(errs.Forbidden, "ideas.no_person")
	}
	in.Title, in.Body, in.Procedure = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body), strings.TrimSpace(in.Procedure)
	var v errs.Validation
	if in.Title == "" {
		v.Add("title", "required")
	}
	tooLong(&v, "title", in.Title, maxTitle)
	tooLong(&v, "body", in.Body, maxBody)
	tooLong(&v, "procedure", in.Procedure, maxProcedure)
	var id, agency int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		topic := TopicApp
		switch {
		case in.AppID != nil && *in.AppID != 0:
			err := tx.QueryRowContext(ctx, `SELECT owner_agency_id FROM apps WHERE id = $1 AND status <> 'retired'`,
				*in.AppID).Scan(&agency)
			if errors.Is(err, sql.ErrNoRows) {
				v.Add("app_id", "ideas.app_unknown")
			} else if err != nil {
				return fmt.Errorf("ideas: app: %w", err)
			}
			in.Procedure = ""
		case in.AgencyID != nil && *in.AgencyID != 0:
			topic = TopicProcedure
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id = $1`, *in.AgencyID).Scan(&n); err != nil {
				return fmt.Errorf("ideas: agency: %w", err)
			}
			if n == 0 {
				v.Add("agency_id", "ideas.agency_unknown")
			}
			if in.Procedure == "" {
				v.Add("procedure", "required")
			}
			agency = *in.AgencyID
		default:
			v.Add("app_id", "ideas.topic_required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO ideas (agency_id, app_id, topic, procedure_name, title, body, author_id,
			status, votes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', 0, $8, $8) RETURNING id`,
			agency, nullID(in.AppID), topic, in.Procedure, in.Title, in.Body, actor.EmployeeID, at)
		if err != nil {
			return fmt.Errorf("ideas: create: %w", err)
		}
		heads, err := accountsWith(ctx, tx, `SELECT DISTINCT g.account_id FROM role_grants g JOIN accounts c ON c.id = g.account_id
			JOIN employees e ON e.id = c.employee_id WHERE g.role = 'agency_head' AND g.agency_id = $1 AND e.active`, agency)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, a := range heads {
			if a != actor.AccountID {
				msgs = append(msgs, notify.Message{AccountID: a, Kind: "ideas.new", Args: []string{in.Title}, Link: Link(id)})
			}
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "idea", EntityID: id, AgencyID: agency,
			After: in})
	})
	if err != nil {
		return Idea{}, err
	}
	return s.Get(ctx, actor, id)
}

func nullID(id *int64) any {
	if id == nil || *id == 0 {
		return nil
	}
	return *id
}

// accountsWith runs query (one argument) for a list of account ids.
func accountsWith(ctx context.Context, q db.Querier, query string, arg any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, fmt.Errorf("ideas: recipients: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ideas: recipients: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
