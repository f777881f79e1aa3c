package ideas

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
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

// ideaColumns read an idea; $1 is the reader's account, for Voted.
const ideaColumns = `i.id, i.agency_id, ag.name, i.app_id, COALESCE(ap.name, ''), i.topic, i.procedure_name, i.title,
	i.body, i.author_id, au.name, i.status, i.answer, COALESCE(ae.name, ''), i.answered_at, i.votes,
	EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.account_id = $1),
	(SELECT COUNT(*) FROM idea_comments c WHERE c.idea_id = i.id), i.created_at, i.updated_at`

const ideaFrom = ` FROM ideas i JOIN agencies ag ON ag.id = i.agency_id LEFT JOIN apps ap ON ap.id = i.app_id
	JOIN employees au ON au.id = i.author_id LEFT JOIN accounts ac ON ac.id = i.answered_by
	LEFT JOIN employees ae ON ae.id = ac.employee_id`

func scanIdea(row interface{ Scan(...any) error }, at time.Time) (Idea, error) {
	var i Idea
	err := row.Scan(&i.ID, &i.AgencyID, &i.AgencyName, &i.AppID, &i.AppName, &i.Topic, &i.Procedure, &i.Title, &i.Body,
		&i.AuthorID, &i.AuthorName, &i.Status, &i.Answer, &i.AnsweredBy, &i.AnsweredAt, &i.Votes, &i.Voted,
		&i.CommentCount, &i.CreatedAt, &i.UpdatedAt)
	i.CreatedAt, i.UpdatedAt = i.CreatedAt.UTC(), i.UpdatedAt.UTC()
	end := at
	if i.AnsweredAt != nil {
		t := i.AnsweredAt.UTC()
		i.AnsweredAt, end = &t, t
	}
	i.WaitDays = int(end.Sub(i.CreatedAt).Hours() / 24)
	i.WaitingAnswer = i.AnsweredAt == nil
	return i, err
}

func load(ctx context.Context, q db.Querier, reader, id int64) (Idea, error) {
	i, err := scanIdea(q.QueryRowContext(ctx, `SELECT `+ideaColumns+ideaFrom+` WHERE i.id = $2`, reader, id), now())
	if errors.Is(err, sql.ErrNoRows) {
		return Idea{}, errNotFound
	}
	if err != nil {
		return Idea{}, fmt.Errorf("ideas: load %d: %w", id, err)
	}
	return i, nil
}

func signedIn(actor *policy.Actor) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return nil
}

// Get reads an idea with its answers and comments, oldest first. Every
// signed-in person reads every idea: they are the city's shared agenda.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Idea, error) {
	if err := signedIn(actor); err != nil {
		return Idea{}, err
	}
	i, err := load(ctx, s.db.R, actor.AccountID, id)
	if err != nil {
		return Idea{}, err
	}
	i.BodyHTML = markdown.Render(i.Body)
	i.CanAnswer = policy.Can(actor, policy.IdeaAnswer, policy.Target{AgencyID: i.AgencyID})
	i.CanEdit = actor.EmployeeID != 0 && actor.EmployeeID == i.AuthorID && i.AnsweredAt == nil
	rows, err := s.db.R.QueryContext(ctx, `SELECT a.id, a.status_from, a.status_to, a.answer, COALESCE(e.name, ''),
		a.created_at FROM idea_answers a JOIN accounts c ON c.id = a.account_id LEFT JOIN employees e ON e.id = c.employee_id
		WHERE a.idea_id = $1 ORDER BY a.id`, id)
	if err != nil {
		return Idea{}, fmt.Errorf("ideas: answers of %d: %w", id, err)
	}
	defer rows.Close()
	i.Answers = []Answer{}
	for rows.Next() {
		var a Answer
		if err := rows.Scan(&a.ID, &a.StatusFrom, &a.Status, &a.Answer, &a.By, &a.CreatedAt); err != nil {
			return Idea{}, fmt.Errorf("ideas: answers of %d: %w", id, err)
		}
		a.CreatedAt, a.HTML = a.CreatedAt.UTC(), markdown.Render(a.Answer)
		i.Answers = append(i.Answers, a)
	}
	if err := rows.Err(); err != nil {
		return Idea{}, fmt.Errorf("ideas: answers of %d: %w", id, err)
	}
	crows, err := s.db.R.QueryContext(ctx, `SELECT m.id, m.body, COALESCE(e.name, ''), m.created_at FROM idea_comments m
		JOIN accounts c ON c.id = m.account_id LEFT JOIN employees e ON e.id = c.employee_id
		WHERE m.idea_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return Idea{}, fmt.Errorf("ideas: comments of %d: %w", id, err)
	}
	defer crows.Close()
	i.Comments = []Comment{}
	for crows.Next() {
		var c Comment
		if err := crows.Scan(&c.ID, &c.Body, &c.By, &c.CreatedAt); err != nil {
			return Idea{}, fmt.Errorf("ideas: comments of %d: %w", id, err)
		}
		c.CreatedAt, c.HTML = c.CreatedAt.UTC(), markdown.Render(c.Body)
		i.Comments = append(i.Comments, c)
	}
	return i, crows.Err()
}

// Sort orders of the list.
const (
	SortNewest  = "newest"  // newest first
	SortVotes   = "votes"   // most votes first
	SortWaiting = "waiting" // unanswered only, waiting longest first
)

// Sorts are the list's orders, the default first.
var Sorts = []string{SortNewest, SortVotes, SortWaiting}

// Filter picks ideas; nil fields do not filter.
type Filter struct {
	AgencyID *int64
	AppID    *int64
	Status   *string
	AuthorID *int64 // an employee's own ideas
	Query    *string
	Sort     string
}

func (f Filter) check() error {
	var v errs.Validation
	if f.Status != nil && !slices.Contains(Statuses, *f.Status) {
		v.Add("status", "one_of", strings.Join(Statuses, ", "))
	}
	if f.Sort != "" && !slices.Contains(Sorts, f.Sort) {
		v.Add("sort", "one_of", strings.Join(Sorts, ", "))
	}
	return v.Err()
}

// List reads a page of ideas in the filter's order.
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, page db.Page) ([]Idea, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	if err := f.check(); err != nil {
		return nil, "", err
	}
	args := []any{actor.AccountID}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	conds := []string{"TRUE"}
	if f.AgencyID != nil {
		conds = append(conds, "i.agency_id = "+arg(*f.AgencyID))
	}
	if f.AppID != nil {
		conds = append(conds, "i.app_id = "+arg(*f.AppID))
	}
	if f.Status != nil {
		conds = append(conds, "i.status = "+arg(*f.Status))
	}
	if f.AuthorID != nil {
		conds = append(conds, "i.author_id = "+arg(*f.AuthorID))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		p := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		conds = append(conds, "("+s.db.Dialect.ContainsFold("i.title", p)+" OR "+s.db.Dialect.ContainsFold("i.body", p)+")")
	}
	order := "i.id DESC"
	switch f.Sort {
	case SortVotes:
		order = "i.votes DESC, i.id DESC"
		if page.After != "" {
			var votes, id int64
			if err := db.ParseCursor(page.After, &votes, &id); err != nil {
				return nil, "", err
			}
			conds = append(conds, "(i.votes < "+arg(votes)+" OR (i.votes = "+arg(votes)+" AND i.id < "+arg(id)+"))")
		}
	case SortWaiting:
		order = "i.id"
		conds = append(conds, "i.answered_at IS NULL")
		if page.After != "" {
			var id int64
			if err := db.ParseCursor(page.After, &id); err != nil {
				return nil, "", err
			}
			conds = append(conds, "i.id > "+arg(id))
		}
	default:
		if page.After != "" {
			var id int64
			if err := db.ParseCursor(page.After, &id); err != nil {
				return nil, "", err
			}
			conds = append(conds, "i.id < "+arg(id))
		}
	}
	size := page.Size()
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+ideaColumns+ideaFrom+` WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY `+order+` LIMIT `+arg(size+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("ideas: list: %w", err)
	}
	defer rows.Close()
	at := now()
	list := []Idea{}
	for rows.Next() {
		i, err := scanIdea(rows, at)
		if err != nil {
			return nil, "", fmt.Errorf("ideas: list: %w", err)
		}
		list = append(list, i)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("ideas: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		last := list[size-1]
		if f.Sort == SortVotes {
			next = db.Cursor(last.Votes, last.ID)
		} else {
			next = db.Cursor(last.ID)
		}
	}
	return list, next, nil
}
