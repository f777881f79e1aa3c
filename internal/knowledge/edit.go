package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// ConflictError is a save made against a version someone else has since
// replaced. Both texts are kept: the other save stays current (Current)
// and this one is stored as a revision marked conflict (Mine), so the
// editor can merge them. It is a Conflict (409) for the web layer.
type ConflictError struct {
	Current Article
	Mine    Revision
	err     *errs.Error
}

func (e *ConflictError) Error() string { return e.err.Error() }

// Unwrap gives the web layer the Conflict it answers with.
func (e *ConflictError) Unwrap() error { return e.err }

// auditView is what the audit log keeps of an article: its text lives in
// the revisions.
type auditView struct {
	Title        string   `json:"title"`
	Status       string   `json:"status"`
	Version      int      `json:"version"`
	CategoryID   *int64   `json:"category_id"`
	Apps         []int64  `json:"app_ids"`
	Competencies []string `json:"competencies"`
}

func viewOf(a Article) auditView {
	v := auditView{Title: a.Title, Status: a.Status, Version: a.Version, CategoryID: a.CategoryID,
		Competencies: a.Competencies}
	for _, app := range a.Apps {
		v.Apps = append(v.Apps, app.ID)
	}
	return v
}

// Update saves a new version of an article's text and links, made by
// editing version base. When base is no longer current, nothing of the
// article changes and the text is kept as a conflicting revision: the
// answer is a *ConflictError holding both. A save that changes nothing
// makes no version.
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, base int, in Input) (Article, error) {
	return s.Patch(ctx, actor, id, Change{Base: base, Input: &in})
}

// Change is what an edit changes: the text and links (Input, saved
// against version Base) and the status (with a reviewer's Comment); nil
// fields stay as they are.
type Change struct {
	Base    int
	Input   *Input
	Status  *string
	Comment string
	// Meanwhile asks (the editor page does) that a text refused because
	// the article was published while it was being written be kept as a
	// conflicting revision instead. Whether it was is the server's
	// records' to say (see publishedMeanwhile), not the editor's.
	Meanwhile bool
}

// Patch applies a change in one transaction: first the text, then the
// status, so "save and send to review" is one step. Every right is decided
// before anything is written, on the article as it is: publishing or
// returning it answers to the reviewers of the category it is in, not of
// the one the same change moves it to. A stale text changes nothing but is
// kept (see Update).
func (s *Service) Patch(ctx context.Context, actor *policy.Actor, id int64, c Change) (Article, error) {
	var out Article
	var conflict *ConflictError
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockArticle(ctx, tx, id); err != nil {
			return err
		}
		before, t, err := readable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		comment := strings.TrimSpace(c.Comment)
		if c.Status != nil && *c.Status != before.Status {
			next := before // the move as it will be made: after the text, in the category it sets
			if c.Input != nil {
				next.CategoryID = c.Input.CategoryID
			}
			if err := checkMove(actor, t, next, *c.Status, comment); err != nil {
				return err
			}
		}
		out = before
		switch {
		case c.Input != nil:
			if out, conflict, err = s.update(ctx, tx, actor, before, t, c); err != nil || conflict != nil {
				return err
			}
		case c.Base != 0 && before.Version != c.Base:
			return errs.New(errs.Conflict, "article.stale_status", c.Base, before.Version)
		case c.Status == nil:
			return policy.Check(actor, policy.ArticleEdit, t)
		}
		if c.Status != nil {
			out, err = move(ctx, tx, actor, out, *c.Status, comment)
		}
		return err
	})
	if err != nil {
		return Article{}, err
	}
	if conflict != nil {
		return Article{}, conflict
	}
	return out, nil
}

// readable loads an article the actor may read, in the transaction, with
// what policy needs to know of it.
func readable(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Article, policy.Target, error) {
	a, err := load(ctx, q, id)
	if err != nil {
		return Article{}, policy.Target{}, err
	}
	if !visible(actor, a) {
		return Article{}, policy.Target{}, errs.New(errs.NotFound, "article.not_found")
	}
	t, err := target(ctx, q, actor, a)
	return a, t, err
}

// update saves the change's text and links to a (read in the transaction,
// t its target), made by editing version c.Base.
func (s *Service) update(ctx context.Context, tx *sql.Tx, actor *policy.Actor, a Article, t policy.Target,
	c Change) (Article, *ConflictError, error) {
	base, in := c.Base, *c.Input
	if err := policy.Check(actor, policy.ArticleEdit, t); err != nil {
		if !c.Meanwhile || a.Status != StatusPublished || !policy.Can(actor, policy.ArticleWrite, policy.Target{}) {
			return Article{}, nil, err
		}
		// A writer's text begun before a reviewer published the article
		// is kept, once, rather than refused (see publishedMeanwhile).
		meanwhile, merr := publishedMeanwhile(ctx, tx, actor, a, base)
		if merr != nil {
			return Article{}, nil, merr
		}
		if !meanwhile {
			return Article{}, nil, err
		}
		if err := in.check(ctx, tx); err != nil {
			return Article{}, nil, err
		}
		conflict, err := keepConflict(ctx, tx, actor, a, min(base, a.Version), in, "article.published_meanwhile")
		return Article{}, conflict, err
	}
	if err := in.check(ctx, tx); err != nil {
		return Article{}, nil, err
	}
	// An article in review or published waits for (or answers to) its
	// category's reviewers: only they move it out of their category, so
	// nobody takes it to a category they review themselves to publish it.
	if a.Status != StatusDraft && !equalID(a.CategoryID, in.CategoryID) && !policy.Can(actor, policy.ArticlePublish, t) {
		return Article{}, nil, errs.FieldErr("category_id", "article.category_locked", a.Category)
	}
	if base != a.Version {
		conflict, err := keepConflict(ctx, tx, actor, a, base, in, "article.stale")
		return Article{}, conflict, err
	}
	if sameText(a, in) {
		return a, nil, nil
	}
	id := a.ID
	if s.beforeWrite != nil {
		if err := s.beforeWrite(ctx, tx); err != nil {
			return Article{}, nil, err
		}
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	res, err := tx.ExecContext(ctx, `UPDATE articles SET title = $1, body = $2, category_id = $3,
		version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`,
		in.Title, in.Body, in.CategoryID, at, id, base)
	if err != nil {
		return Article{}, nil, fmt.Errorf("knowledge: update article: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		// Saved by someone else between the read and the write, which the
		// article held before the read (lockArticle) rules out: kept as
		// the net under a caller that does not hold it. The conflict shows
		// their save, read again in the transaction.
		current, err := load(ctx, tx, id)
		if err != nil {
			return Article{}, nil, err
		}
		conflict, err := keepConflict(ctx, tx, actor, current, base, in, "article.stale")
		return Article{}, conflict, err
	}
	if err := setLinks(ctx, tx, id, in); err != nil {
		return Article{}, nil, err
	}
	out, err := load(ctx, tx, id)
	if err != nil {
		return Article{}, nil, err
	}
	if _, err := addRevision(ctx, tx, actor, out, false); err != nil {
		return Article{}, nil, err
	}
	if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "article", EntityID: id,
		Before: viewOf(a), After: viewOf(out)}); err != nil {
		return Article{}, nil, err
	}
	return out, nil, index(ctx, tx, out)
}

// publishedMeanwhile reports whether a writer's save of version base of
// the published article a is one begun before a reviewer published it,
// from what the server knows rather than what the editor says: the
// article was last published after version base was saved, and this
// writer has not had a text kept since. So each writer keeps at most one
// text for each time the article is published.
func publishedMeanwhile(ctx context.Context, q db.Querier, actor *policy.Actor, a Article, base int) (bool, error) {
	rev, err := revisionOfVersion(ctx, q, a.ID, min(base, a.Version))
	if errs.CodeOf(err) == errs.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	published, ok, err := lastTime(ctx, q, `SELECT created_at FROM article_events
		WHERE article_id = $1 AND to_status = $2 ORDER BY id DESC LIMIT 1`, a.ID, StatusPublished)
	if err != nil || !ok || !published.After(rev.CreatedAt) {
		return false, err
	}
	kept, ok, err := lastTime(ctx, q, `SELECT created_at FROM article_revisions
		WHERE article_id = $1 AND conflict = TRUE AND editor_account_id = $2 ORDER BY id DESC LIMIT 1`, a.ID, accountOf(actor))
	return err == nil && (!ok || kept.Before(published)), err
}

// lastTime reads the one time a query selects; ok is false when it
// selects none.
func lastTime(ctx context.Context, q db.Querier, query string, args ...any) (time.Time, bool, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, query, args...).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return at, false, nil
	}
	if err != nil {
		return at, false, fmt.Errorf("knowledge: %w", err)
	}
	return at, true, nil
}

// editable loads an article the actor may change, in the transaction.
func (s *Service) editable(ctx context.Context, tx *sql.Tx, actor *policy.Actor, id int64) (Article, error) {
	a, t, err := readable(ctx, tx, actor, id)
	if err != nil {
		return Article{}, err
	}
	return a, policy.Check(actor, policy.ArticleEdit, t)
}

// sameText reports whether in would save nothing new.
func sameText(a Article, in Input) bool {
	apps := make([]int64, len(a.Apps))
	for i, app := range a.Apps {
		apps[i] = app.ID
	}
	slices.Sort(apps)
	return a.Title == in.Title && a.Body == in.Body && equalID(a.CategoryID, in.CategoryID) &&
		slices.Equal(apps, in.AppIDs) && slices.Equal(a.Competencies, in.Competencies)
}

func equalID(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// keepConflict stores a stale save as a conflicting revision (the version
// it started from) and audits it, leaving the article as it is; key words
// the Conflict (its arguments: the two versions and who saved the current).
func keepConflict(ctx context.Context, tx *sql.Tx, actor *policy.Actor, current Article, base int,
	in Input, key string) (*ConflictError, error) {
	if base < 1 || base > current.Version {
		return nil, errs.FieldErr("version", "article.version_unknown", base)
	}
	stale := Article{ID: current.ID, Title: in.Title, Body: in.Body, Version: base}
	revID, err := addRevision(ctx, tx, actor, stale, true)
	if err != nil {
		return nil, err
	}
	if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "edit_conflict", Entity: "article", EntityID: current.ID,
		After: map[string]any{"base_version": base, "current_version": current.Version, "revision_id": revID}}); err != nil {
		return nil, err
	}
	mine, err := revision(ctx, tx, current.ID, revID)
	if err != nil {
		return nil, err
	}
	by, err := revisionOfVersion(ctx, tx, current.ID, current.Version)
	if err != nil {
		return nil, err
	}
	return &ConflictError{Current: current, Mine: mine,
		err: errs.New(errs.Conflict, key, base, current.Version, by.EditorName)}, nil
}

// Revision is one saved version of an article's text. A conflicting
// revision is a save that lost a race: Version is the version it started
// from, and it never became current.
type Revision struct {
	ID         int64     `json:"id"`
	ArticleID  int64     `json:"article_id"`
	Version    int       `json:"version"`
	Conflict   bool      `json:"conflict"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	EditorID   *int64    `json:"editor_id"`
	EditorName string    `json:"editor_name"`
	CreatedAt  time.Time `json:"created_at"`
}

const revisionSelect = `SELECT r.id, r.article_id, r.version, r.conflict, r.title, r.body, r.editor_account_id,
	COALESCE(e.name, ''), r.created_at FROM article_revisions r
	LEFT JOIN accounts u ON u.id = r.editor_account_id LEFT JOIN employees e ON e.id = u.employee_id`

func scanRevision(row interface{ Scan(...any) error }) (Revision, error) {
	var r Revision
	var editor sql.NullInt64
	err := row.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Conflict, &r.Title, &r.Body, &editor, &r.EditorName, &r.CreatedAt)
	r.EditorID, r.CreatedAt = idPtr(editor), r.CreatedAt.UTC()
	return r, err
}

func revision(ctx context.Context, q db.Querier, articleID, id int64) (Revision, error) {
	r, err := scanRevision(q.QueryRowContext(ctx, revisionSelect+` WHERE r.article_id = $1 AND r.id = $2`, articleID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, errs.New(errs.NotFound, "article.revision_not_found")
	}
	if err != nil {
		return Revision{}, fmt.Errorf("knowledge: revision: %w", err)
	}
	return r, nil
}

func revisionOfVersion(ctx context.Context, q db.Querier, articleID int64, version int) (Revision, error) {
	r, err := scanRevision(q.QueryRowContext(ctx, revisionSelect+` WHERE r.article_id = $1 AND r.version = $2
		AND r.conflict = FALSE`, articleID, version))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, errs.New(errs.NotFound, "article.revision_not_found")
	}
	if err != nil {
		return Revision{}, fmt.Errorf("knowledge: revision: %w", err)
	}
	return r, nil
}

// Revisions returns an article and every saved version of it, newest
// first, conflicting saves among them. The history is the writers' (it
// holds drafts never published); readers see the article as it is.
func (s *Service) Revisions(ctx context.Context, actor *policy.Actor, id int64) (Article, []Revision, error) {
	a, err := s.historyReader(ctx, actor, id)
	if err != nil {
		return Article{}, nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, revisionSelect+` WHERE r.article_id = $1 ORDER BY r.id DESC`, id)
	if err != nil {
		return Article{}, nil, fmt.Errorf("knowledge: revisions: %w", err)
	}
	defer rows.Close()
	list := []Revision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return Article{}, nil, fmt.Errorf("knowledge: revisions: %w", err)
		}
		list = append(list, r)
	}
	return a, list, rows.Err()
}

// historyReader returns the article if the actor may read its history.
func (s *Service) historyReader(ctx context.Context, actor *policy.Actor, id int64) (Article, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return Article{}, err
	}
	return a, policy.Check(actor, policy.ArticleWrite, policy.Target{})
}
