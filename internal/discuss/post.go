package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// ThreadInput is a new thread: its title, its first post and whether it
// asks a question.
type ThreadInput struct {
	Title    string `json:"title"`
	Body     string `json:"body"`
	Question bool   `json:"question"`
}

// PostInput is a reply.
type PostInput struct {
	Body string `json:"body"`
}

func checkBody(v *errs.Validation, body *string) {
	*body = strings.TrimSpace(*body)
	switch {
	case *body == "":
		v.Add("body", "required")
	case utf8.RuneCountInString(*body) > maxBody:
		v.Add("body", "too_long", maxBody)
	}
}

func checkTitle(v *errs.Validation, title *string) {
	*title = strings.Join(strings.Fields(*title), " ")
	switch n := utf8.RuneCountInString(*title); {
	case n == 0:
		v.Add("title", "required")
	case n < minTitle:
		v.Add("title", "discuss.too_short", minTitle)
	case n > maxTitle:
		v.Add("title", "too_long", maxTitle)
	}
}

// CreateThread starts a thread in a space the actor may read (NotFound
// otherwise) with its first post. Its author follows it; the space's
// followers and the people it mentions are told.
func (s *Service) CreateThread(ctx context.Context, actor *policy.Actor, spaceID int64, in ThreadInput) (Thread, Post, error) {
	var v errs.Validation
	checkTitle(&v, &in.Title)
	checkBody(&v, &in.Body)
	var t Thread
	var p Post
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		sp, _, err := ReadableSpace(ctx, tx, actor, spaceID)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		id, err := db.InsertID(ctx, tx, `INSERT INTO threads (space_id, title, author_account_id, question,
			last_post_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id`,
			sp.ID, in.Title, actor.AccountID, in.Question, at)
		if err != nil {
			return fmt.Errorf("discuss: create thread: %w", err)
		}
		if t, err = threadByID(ctx, tx, id); err != nil {
			return err
		}
		if p, err = s.addPost(ctx, tx, actor, sp, &t, in.Body, at); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "thread", EntityID: t.ID,
			AgencyID: sp.OwnerAgencyID, After: map[string]any{"space_id": sp.ID, "title": t.Title, "question": t.Question}}); err != nil {
			return err
		}
		followers, err := db.IDs(ctx, tx, `SELECT account_id FROM space_follows WHERE space_id = $1`, sp.ID)
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, actor, sp, t, p, followers, "discuss.thread")
	})
	return t, p, err
}

// Reply adds a post to a thread. A locked thread takes replies from its
// moderators only (Conflict for others); a thread in a space the actor may
// not read is NotFound. The thread's followers and the people the post
// mentions are told; the replier follows the thread (unless they once
// unfollowed it).
func (s *Service) Reply(ctx context.Context, actor *policy.Actor, threadID int64, in PostInput) (Post, error) {
	var v errs.Validation
	checkBody(&v, &in.Body)
	var p Post
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		if t.Locked && !policy.Can(actor, policy.SpaceModerate, tg) {
			return errs.New(errs.Conflict, "discuss.locked")
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		if p, err = s.addPost(ctx, tx, actor, sp, &t, in.Body, at); err != nil {
			return err
		}
		followers, err := db.IDs(ctx, tx, `SELECT account_id FROM thread_follows
			WHERE thread_id = $1 AND following = TRUE`, t.ID)
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, actor, sp, t, p, followers, "discuss.reply")
	})
	return p, err
}

// addPost writes a post of t with its audit record and index entry, bumps
// the thread, and makes the author follow it. The thread's row is locked
// (by bumping its count) before the post is written: replies at the same
// moment take their turns, so the last one in is the thread's last post,
// written no earlier than at.
func (s *Service) addPost(ctx context.Context, tx *sql.Tx, actor *policy.Actor, sp Space, t *Thread, body string, at time.Time) (Post, error) {
	if err := tx.QueryRowContext(ctx, `UPDATE threads SET post_count = post_count + 1 WHERE id = $1
		RETURNING post_count`, t.ID).Scan(&t.PostCount); err != nil {
		return Post{}, fmt.Errorf("discuss: bump thread: %w", err)
	}
	if now := time.Now().UTC().Truncate(time.Microsecond); now.After(at) {
		at = now // after waiting for the thread: later than the reply before
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, t.ID, actor.AccountID, body, at)
	if err != nil {
		return Post{}, fmt.Errorf("discuss: add post: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET last_post_id = $1, last_post_at = $2, updated_at = $2
		WHERE id = $3`, id, at, t.ID); err != nil {
		return Post{}, fmt.Errorf("discuss: bump thread: %w", err)
	}
	t.lastPostID, t.LastPostAt = id, at
	if err := autoFollow(ctx, tx, t.ID, actor.AccountID, at); err != nil {
		return Post{}, err
	}
	p, err := postByID(ctx, tx, id)
	if err != nil {
		return Post{}, err
	}
	p.First = t.PostCount == 1
	if err := s.indexPost(ctx, tx, sp, *t, p); err != nil {
		return Post{}, err
	}
	if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "post", EntityID: id,
		AgencyID: sp.OwnerAgencyID, After: map[string]any{"thread_id": t.ID, "body": body}}); err != nil {
		return Post{}, err
	}
	p.Reactions, p.Mine = map[string]int{}, []string{}
	p.HTML = render(ctx, tx, p.Body)
	return p, nil
}

// autoFollow makes account follow the thread it wrote in, unless it
// unfollowed it before.
func autoFollow(ctx context.Context, q db.Querier, threadID, accountID int64, at time.Time) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM thread_follows WHERE thread_id = $1 AND account_id = $2`,
		threadID, accountID).Scan(&n); err != nil {
		return fmt.Errorf("discuss: follow: %w", err)
	}
	if n > 0 {
		return nil
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO thread_follows (thread_id, account_id, following, created_at)
		VALUES ($1, $2, TRUE, $3)`, threadID, accountID, at); err != nil {
		return fmt.Errorf("discuss: follow: %w", err)
	}
	return nil
}

// ThreadLink is the page of a thread, at a post (0: its first page).
func ThreadLink(threadID, postID int64) string {
	link := "/diskusi/utas/" + strconv.FormatInt(threadID, 10)
	if postID != 0 {
		id := strconv.FormatInt(postID, 10)
		link += "?kiriman=" + id + "#p" + id
	}
	return link
}
