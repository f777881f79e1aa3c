package discuss

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Author is who wrote a thread or a post. Handle is what others write
// after @ to mention them: the part of their email before the @
// (nur.aini for nur.aini@makassarkota.go.id), "" without an email.
type Author struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Handle     string `json:"handle"`
	EmployeeID int64  `json:"-"`
}

// Thread is a conversation in a space. A question thread's asker (or a
// moderator) accepts one reply as its answer: AcceptedPostID.
type Thread struct {
	ID             int64     `json:"id"`
	SpaceID        int64     `json:"space_id"`
	Title          string    `json:"title"`
	Author         Author    `json:"author"`
	Question       bool      `json:"question"`
	Answered       bool      `json:"answered"`
	AcceptedPostID *int64    `json:"accepted_post_id"`
	Locked         bool      `json:"locked"`
	Pinned         bool      `json:"pinned"`
	PostCount      int       `json:"post_count"`
	LastPostAt     time.Time `json:"last_post_at"`
	CreatedAt      time.Time `json:"created_at"`
	lastPostID     int64
}

// Post is one message of a thread, its Markdown Body and HTML, the body
// rendered and sanitized. A hidden post shows its text to its author and
// the moderators only; to others Body and HTML are empty.
type Post struct {
	ID           int64          `json:"id"`
	ThreadID     int64          `json:"thread_id"`
	Author       Author         `json:"author"`
	Body         string         `json:"body"`
	HTML         template.HTML  `json:"html"`
	First        bool           `json:"first"`
	Accepted     bool           `json:"accepted"`
	Hidden       bool           `json:"hidden"`
	Edited       bool           `json:"edited"`
	HiddenReason string         `json:"hidden_reason,omitempty"`
	Reactions    map[string]int `json:"reactions"`
	Mine         []string       `json:"my_reactions"`
	CreatedAt    time.Time      `json:"created_at"`
}

const threadColumns = `t.id, t.space_id, t.title, t.author_account_id, e.name, COALESCE(e.email, ''), e.id,
	t.question, t.accepted_post_id, t.locked, t.pinned, t.post_count, t.last_post_id, t.last_post_at, t.created_at`

const threadFrom = ` FROM threads t JOIN accounts a ON a.id = t.author_account_id JOIN employees e ON e.id = a.employee_id`

func scanThread(row interface{ Scan(...any) error }) (Thread, error) {
	var t Thread
	var email string
	var accepted sql.NullInt64
	err := row.Scan(&t.ID, &t.SpaceID, &t.Title, &t.Author.ID, &t.Author.Name, &email, &t.Author.EmployeeID,
		&t.Question, &accepted, &t.Locked, &t.Pinned, &t.PostCount, &t.lastPostID, &t.LastPostAt, &t.CreatedAt)
	t.Author.Handle = handleOf(email)
	t.AcceptedPostID = nullID(accepted)
	t.Answered = accepted.Valid
	t.LastPostAt, t.CreatedAt = t.LastPostAt.UTC(), t.CreatedAt.UTC()
	return t, err
}

const postColumns = `p.id, p.thread_id, p.author_account_id, e.name, COALESCE(e.email, ''), e.id, p.body,
	p.hidden_at IS NOT NULL, p.hidden_reason, p.edited_at IS NOT NULL, p.created_at`

const postFrom = ` FROM posts p JOIN accounts a ON a.id = p.author_account_id JOIN employees e ON e.id = a.employee_id`

func scanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	var email string
	err := row.Scan(&p.ID, &p.ThreadID, &p.Author.ID, &p.Author.Name, &email, &p.Author.EmployeeID, &p.Body,
		&p.Hidden, &p.HiddenReason, &p.Edited, &p.CreatedAt)
	p.Author.Handle = handleOf(email)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

// handleOf is the mention handle of an email address.
func handleOf(email string) string {
	local, _, ok := strings.Cut(email, "@")
	if !ok {
		return ""
	}
	return strings.ToLower(local)
}

// threadByID loads a thread; a missing one is NotFound.
func threadByID(ctx context.Context, q db.Querier, id int64) (Thread, error) {
	return readThread(ctx, q, id, "")
}

// heldThread loads a thread as committed and holds it until the
// transaction ends (see lockPlace); a missing one is NotFound.
func (s *Service) heldThread(ctx context.Context, q db.Querier, id int64) (Thread, error) {
	lock := s.shareLock()
	if lock != "" {
		lock += " OF t" // the thread's row, not its author's
	}
	return readThread(ctx, q, id, lock)
}

// readThread loads a thread with the locking clause lock; a missing one
// is NotFound.
func readThread(ctx context.Context, q db.Querier, id int64, lock string) (Thread, error) {
	t, err := scanThread(q.QueryRowContext(ctx, `SELECT `+threadColumns+threadFrom+` WHERE t.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Thread{}, errs.New(errs.NotFound, "discuss.thread_not_found")
	}
	if err != nil {
		return Thread{}, fmt.Errorf("discuss: thread %d: %w", id, err)
	}
	return t, nil
}

// readableThread loads a thread and its space for actor: NotFound when
// either is missing or the actor may not read the space.
func readableThread(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Thread, Space, policy.Target, error) {
	t, err := threadByID(ctx, q, id)
	if err != nil {
		return Thread{}, Space{}, policy.Target{}, err
	}
	sp, tg, err := ReadableSpace(ctx, q, actor, t.SpaceID)
	if errs.Is(err, errs.NotFound) {
		return Thread{}, Space{}, policy.Target{}, errs.New(errs.NotFound, "discuss.thread_not_found")
	}
	return t, sp, tg, err
}

// postByID loads a post; a missing one is NotFound.
func postByID(ctx context.Context, q db.Querier, id int64) (Post, error) {
	p, err := scanPost(q.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, errs.New(errs.NotFound, "discuss.post_not_found")
	}
	if err != nil {
		return Post{}, fmt.Errorf("discuss: post %d: %w", id, err)
	}
	return p, nil
}

// lockPost holds post id until the transaction ends; a change of a post
// calls it before reading the post. Changes of one post (an edit, a hide,
// a reaction) then take turns, and each decides and indexes on the post
// as the one before left it: an edit that read the post before a hide
// committed would otherwise put it back in search, visible.
func lockPost(ctx context.Context, q db.Querier, id int64) error {
	if err := db.HoldRow(ctx, q, "posts", id); err != nil {
		return fmt.Errorf("discuss: %w", err)
	}
	return nil
}

// readablePost loads a post with its thread and space for actor, NotFound
// as readableThread.
func readablePost(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Post, Thread, Space, policy.Target, error) {
	p, err := postByID(ctx, q, id)
	if err != nil {
		return Post{}, Thread{}, Space{}, policy.Target{}, err
	}
	t, sp, tg, err := readableThread(ctx, q, actor, p.ThreadID)
	if errs.Is(err, errs.NotFound) {
		err = errs.New(errs.NotFound, "discuss.post_not_found")
	}
	return p, t, sp, tg, err
}

// ThreadFilter narrows a space's threads: Kind "question" for questions,
// "unanswered" for questions without an accepted answer.
type ThreadFilter struct {
	Kind string
}

// Threads lists the threads of a space actor may read: pinned first, then
// by their latest post.
func (s *Service) Threads(ctx context.Context, actor *policy.Actor, spaceID int64, f ThreadFilter, p db.Page) ([]Thread, string, error) {
	if _, _, err := ReadableSpace(ctx, s.db.R, actor, spaceID); err != nil {
		return nil, "", err
	}
	where := []string{"t.space_id = $1"}
	args := []any{spaceID}
	switch f.Kind {
	case "":
	case "question":
		where = append(where, "t.question = TRUE")
	case "unanswered":
		where = append(where, "t.question = TRUE", "t.accepted_post_id IS NULL")
	default:
		return nil, "", errs.FieldErr("kind", "discuss.kind")
	}
	if p.After != "" {
		var pinned bool
		var last int64
		if err := db.ParseCursor(p.After, &pinned, &last); err != nil {
			return nil, "", err
		}
		pin := "FALSE"
		if pinned {
			pin = "TRUE"
		}
		args = append(args, last)
		where = append(where, fmt.Sprintf("(t.pinned < %s OR (t.pinned = %s AND t.last_post_id < $%d))", pin, pin, len(args)))
	}
	args = append(args, p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+threadColumns+threadFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY t.pinned DESC, t.last_post_id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("discuss: threads: %w", err)
	}
	defer rows.Close()
	var list []Thread
	for rows.Next() {
		t, err := scanThread(rows)
		if err != nil {
			return nil, "", fmt.Errorf("discuss: threads: %w", err)
		}
		list = append(list, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("discuss: threads: %w", err)
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.Pinned, last.lastPostID)
	}
	return list, next, nil
}
