package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// EditPost changes a post's text: its author (while the thread is not
// locked and the post not hidden) or a moderator. The post is marked
// edited and indexed again; the audit record keeps both texts. Mentions
// added by an edit notify no one (Discourse does the same: an edit is not
// a new message).
func (s *Service) EditPost(ctx context.Context, actor *policy.Actor, postID int64, in PostInput) (Post, error) {
	var v errs.Validation
	checkBody(&v, &in.Body)
	var p Post
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		var t Thread
		var sp Space
		var tg policy.Target
		if err := lockPost(ctx, tx, postID); err != nil {
			return err
		}
		if p, t, sp, tg, err = readablePost(ctx, tx, actor, postID); err != nil {
			return err
		}
		moderator := policy.Can(actor, policy.SpaceModerate, tg)
		switch {
		case moderator:
		case p.Author.ID != actor.AccountID:
			return errs.New(errs.Forbidden, "forbidden")
		case t.Locked:
			return errs.New(errs.Conflict, "discuss.locked")
		case p.Hidden:
			return errs.New(errs.Conflict, "discuss.hidden")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.Body == p.Body {
			return nil
		}
		at := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET body = $1, edited_at = $2, updated_at = $2 WHERE id = $3`,
			in.Body, at, postID); err != nil {
			return fmt.Errorf("discuss: edit post: %w", err)
		}
		before := p.Body
		p.Body, p.Edited = in.Body, true
		if err := s.indexPost(ctx, tx, sp, t, p); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "post", EntityID: postID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]string{"body": before}, After: map[string]string{"body": in.Body}})
	})
	if err == nil {
		p.HTML = render(ctx, s.db.R, p.Body)
	}
	return p, err
}

// Rename changes a thread's title: its author (while it is not locked) or
// a moderator. Every post is indexed again under the new title.
func (s *Service) Rename(ctx context.Context, actor *policy.Actor, threadID int64, title string) error {
	var v errs.Validation
	checkTitle(&v, &title)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		moderator := policy.Can(actor, policy.SpaceModerate, tg)
		switch {
		case moderator:
		case t.Author.ID != actor.AccountID:
			return errs.New(errs.Forbidden, "forbidden")
		case t.Locked:
			return errs.New(errs.Conflict, "discuss.locked")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if title == t.Title {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE threads SET title = $1, updated_at = $2 WHERE id = $3`,
			title, time.Now().UTC(), threadID); err != nil {
			return fmt.Errorf("discuss: rename: %w", err)
		}
		before := t.Title
		t.Title = title
		if err := s.reindexThread(ctx, tx, sp, t); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "thread", EntityID: threadID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]string{"title": before}, After: map[string]string{"title": title}})
	})
}

// PageOf returns the cursor of the thread page that shows post postID
// ("" for the first page), so a link to a post finds it however long the
// thread grew.
func (s *Service) PageOf(ctx context.Context, threadID, postID int64) (string, error) {
	var before int
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts WHERE thread_id = $1 AND id < $2`,
		threadID, postID).Scan(&before); err != nil {
		return "", fmt.Errorf("discuss: page of post: %w", err)
	}
	start := before - before%postsPerPage
	if start == 0 {
		return "", nil
	}
	var after int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT id FROM posts WHERE thread_id = $1 ORDER BY id LIMIT 1 OFFSET $2`,
		threadID, start-1).Scan(&after); err != nil {
		return "", fmt.Errorf("discuss: page of post: %w", err)
	}
	return cursorAfter(after), nil
}
