package lessons

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

const lessonSelect = `SELECT l.id, l.kind, l.agency_id, COALESCE(a.name, ''), l.title, l.happened, l.expected, l.learned,
	l.changes, COALESCE(e.name, ''), l.article_id, COALESCE(ar.status, ''), l.created_at, l.updated_at FROM lessons l
	LEFT JOIN agencies a ON a.id = l.agency_id LEFT JOIN accounts c ON c.id = l.author_id
	LEFT JOIN employees e ON e.id = c.employee_id LEFT JOIN articles ar ON ar.id = l.article_id`

func scanLesson(row interface{ Scan(...any) error }) (Lesson, error) {
	var l Lesson
	err := row.Scan(&l.ID, &l.Kind, &l.AgencyID, &l.AgencyName, &l.Title, &l.Happened, &l.Expected, &l.Learned, &l.Changes,
		&l.AuthorName, &l.ArticleID, &l.articleStatus, &l.CreatedAt, &l.UpdatedAt)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	l.Tickets, l.Problems = []Ref{}, []Ref{}
	return l, err
}

func load(ctx context.Context, q db.Querier, id int64) (Lesson, error) {
	l, err := scanLesson(q.QueryRowContext(ctx, lessonSelect+` WHERE l.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Lesson{}, errNotFound
	}
	if err != nil {
		return Lesson{}, fmt.Errorf("lessons: load %d: %w", id, err)
	}
	list := []*Lesson{&l}
	return l, links(ctx, q, list)
}

// links fills the tickets and problems of the lessons, two queries for
// the lot.
func links(ctx context.Context, q db.Querier, list []*Lesson) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*Lesson{}
	ids := make([]int64, len(list))
	for i, l := range list {
		byID[l.ID], ids[i] = l, l.ID
	}
	marks, args := db.InList(ids)
	for _, k := range []struct {
		query string
		add   func(l *Lesson, id int64)
	}{
		{`SELECT lesson_id, ticket_id FROM lesson_tickets WHERE lesson_id IN (` + marks + `) ORDER BY ticket_id`,
			func(l *Lesson, id int64) { l.Tickets = append(l.Tickets, ticketRef(id)) }},
		{`SELECT lesson_id, problem_id FROM lesson_problems WHERE lesson_id IN (` + marks + `) ORDER BY problem_id`,
			func(l *Lesson, id int64) { l.Problems = append(l.Problems, problemRef(id)) }},
	} {
		rows, err := q.QueryContext(ctx, k.query, args...)
		if err != nil {
			return fmt.Errorf("lessons: links: %w", err)
		}
		for rows.Next() {
			var lesson, id int64
			if err := rows.Scan(&lesson, &id); err != nil {
				rows.Close()
				return fmt.Errorf("lessons: links: %w", err)
			}
			k.add(byID[lesson], id)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("lessons: links: %w", err)
		}
	}
	return nil
}

func signedIn(actor *policy.Actor) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return nil
}

// Get reads a lesson. Every signed-in person reads lessons: they are
// written to be learned from.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Lesson, error) {
	if err := signedIn(actor); err != nil {
		return Lesson{}, err
	}
	l, err := load(ctx, s.db.R, id)
	if err != nil {
		return Lesson{}, err
	}
	l.HappenedHTML, l.ExpectedHTML = markdown.Render(l.Happened), markdown.Render(l.Expected)
	l.LearnedHTML, l.ChangesHTML = markdown.Render(l.Learned), markdown.Render(l.Changes)
	l.CanWrite = policy.Can(actor, policy.LessonWrite, policy.Target{AgencyID: agencyOf(l.AgencyID)})
	// The tickets and problems are the help desk's pages: others see
	// their numbers, not links that would answer 403.
	if !policy.Can(actor, policy.TicketWork, policy.Target{}) {
		for _, refs := range [][]Ref{l.Tickets, l.Problems} {
			for i := range refs {
				refs[i].Link = ""
			}
		}
	}
	// Its article is linked once published, or as a draft for those who
	// read drafts (article writers).
	l.ArticleOpen = l.ArticleID != nil &&
		(l.articleStatus == knowledge.StatusPublished || policy.Can(actor, policy.ArticleWrite, policy.Target{}))
	return l, nil
}

// Filter picks lessons: an agency's (AgencyID) or the city's (City).
type Filter struct {
	AgencyID *int64
	City     bool
	Kind     *string
	Query    *string
}

// List reads a page of lessons, newest first.
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, page db.Page) ([]Lesson, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	conds := []string{"TRUE"}
	if f.City {
		conds = append(conds, "l.agency_id IS NULL")
	} else if f.AgencyID != nil {
		conds = append(conds, "l.agency_id = "+arg(*f.AgencyID))
	}
	if f.Kind != nil {
		if *f.Kind != KindIncident && *f.Kind != KindProject {
			return nil, "", errs.FieldErr("kind", "one_of", strings.Join(Kinds, ", "))
		}
		conds = append(conds, "l.kind = "+arg(*f.Kind))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		p := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		var ors []string
		for _, col := range []string{"l.title", "l.happened", "l.learned", "l.changes"} {
			ors = append(ors, s.db.Dialect.ContainsFold(col, p))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if page.After != "" {
		var after int64
		if err := db.ParseCursor(page.After, &after); err != nil {
			return nil, "", err
		}
		conds = append(conds, "l.id < "+arg(after))
	}
	size := page.Size()
	rows, err := s.db.R.QueryContext(ctx, lessonSelect+` WHERE `+strings.Join(conds, " AND ")+` ORDER BY l.id DESC LIMIT `+
		arg(size+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("lessons: list: %w", err)
	}
	defer rows.Close()
	list := []Lesson{}
	for rows.Next() {
		l, err := scanLesson(rows)
		if err != nil {
			return nil, "", fmt.Errorf("lessons: list: %w", err)
		}
		list = append(list, l)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("lessons: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[size-1].ID)
	}
	ptrs := make([]*Lesson, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, next, links(ctx, s.db.R, ptrs)
}
