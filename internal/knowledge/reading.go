package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// Vote records whether the actor found a published article helpful: one
// vote per person and article, which a second vote changes. The article's
// helpfulness in the search index follows.
func (s *Service) Vote(ctx context.Context, actor *policy.Actor, id int64, helpful bool) (Article, error) {
	if actor == nil || actor.AccountID == 0 {
		return Article{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	var out Article
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Votes at once on one article take turns (lockArticle), so each
		// counts the votes before it and the helpfulness indexed is never
		// stale.
		if err := lockArticle(ctx, tx, id); err != nil {
			return err
		}
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !visible(actor, a) {
			return errs.New(errs.NotFound, "article.not_found")
		}
		if a.Status != StatusPublished {
			return errs.FieldErr("helpful", "article.vote_unpublished")
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_votes (article_id, account_id, helpful, voted_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, account_id) DO UPDATE SET helpful = excluded.helpful,
			voted_at = excluded.voted_at`, id, actor.AccountID, helpful, at); err != nil {
			return fmt.Errorf("knowledge: vote: %w", err)
		}
		if out, err = load(ctx, tx, id); err != nil {
			return err
		}
		return index(ctx, tx, out)
	})
	return out, err
}

// MyVote is the actor's vote on an article: nil when they have not voted.
func (s *Service) MyVote(ctx context.Context, actor *policy.Actor, id int64) (*bool, error) {
	if actor == nil || actor.AccountID == 0 {
		return nil, nil
	}
	var helpful bool
	err := s.db.R.QueryRowContext(ctx, `SELECT helpful FROM article_votes WHERE article_id = $1 AND account_id = $2`,
		id, actor.AccountID).Scan(&helpful)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("knowledge: my vote: %w", err)
	}
	return &helpful, nil
}

// View records that a signed-in person read a published article (see
// RecordView) and returns how many times it has been read.
func (s *Service) View(ctx context.Context, actor *policy.Actor, a Article) (int, error) {
	if a.Status == StatusPublished && actor != nil && actor.AccountID != 0 {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			return RecordView(ctx, tx, a.ID, actor.AccountID, time.Now())
		}); err != nil {
			return 0, err
		}
	}
	var n int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM article_views WHERE article_id = $1`, a.ID).Scan(&n); err != nil {
		return 0, fmt.Errorf("knowledge: views: %w", err)
	}
	return n, nil
}

// Delete removes an article with everything of it (revisions, votes,
// views, files) and takes it out of the search index.
func (s *Service) Delete(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockArticle(ctx, tx, id); err != nil {
			return err
		}
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if !visible(actor, a) {
			return errs.New(errs.NotFound, "article.not_found")
		}
		t, err := target(ctx, tx, actor, a)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ArticleDelete, t); err != nil {
			return err
		}
		for _, stmt := range []string{
			`DELETE FROM article_file_data WHERE file_id IN (SELECT id FROM article_files WHERE article_id = $1)`,
			`DELETE FROM article_files WHERE article_id = $1`, `DELETE FROM article_views WHERE article_id = $1`,
			`DELETE FROM article_votes WHERE article_id = $1`, `DELETE FROM article_revisions WHERE article_id = $1`,
			`DELETE FROM article_events WHERE article_id = $1`, `DELETE FROM article_apps WHERE article_id = $1`,
			`DELETE FROM article_competencies WHERE article_id = $1`, `DELETE FROM articles WHERE id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
				return fmt.Errorf("knowledge: delete article: %w", err)
			}
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "article", EntityID: id, Before: viewOf(a)}); err != nil {
			return err
		}
		return search.Remove(ctx, tx, search.KindArticle, id)
	})
}

// Home is what the knowledge base's front page shows.
type Home struct {
	Categories []Category
	Latest     []Article // published, most recently changed first
	Helpful    []Article // published, most helpful votes (net) first
}

// Home returns the front page: the categories, the latest and the most
// helpful published articles.
func (s *Service) Home(ctx context.Context, n int) (Home, error) {
	var h Home
	var err error
	if h.Categories, err = s.Categories(ctx, nil); err != nil {
		return h, err
	}
	if h.Latest, err = queryArticles(ctx, s.db.R, articleSelect+` WHERE a.status = 'published'
		ORDER BY a.updated_at DESC, a.id DESC LIMIT $1`, n); err != nil {
		return h, err
	}
	h.Helpful, err = queryArticles(ctx, s.db.R, articleSelect+` JOIN (SELECT article_id,
		sum(CASE WHEN helpful THEN 1 ELSE -1 END) AS net FROM article_votes GROUP BY article_id) v ON v.article_id = a.id
		WHERE a.status = 'published' AND v.net > 0 ORDER BY v.net DESC, a.id DESC LIMIT $1`, n)
	return h, err
}

// FAQ returns an application's published articles, most helpful first,
// with the application's name; an unknown application is NotFound.
func (s *Service) FAQ(ctx context.Context, slug string) (AppRef, []Article, error) {
	var app AppRef
	err := s.db.R.QueryRowContext(ctx, `SELECT id, slug, name FROM apps WHERE slug = $1`, slug).Scan(&app.ID, &app.Slug, &app.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return app, nil, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return app, nil, fmt.Errorf("knowledge: faq app: %w", err)
	}
	list, err := queryArticles(ctx, s.db.R, articleSelect+` LEFT JOIN (SELECT article_id,
		sum(CASE WHEN helpful THEN 1 ELSE -1 END) AS net FROM article_votes GROUP BY article_id) v ON v.article_id = a.id
		WHERE a.status = 'published' AND EXISTS (SELECT 1 FROM article_apps l WHERE l.article_id = a.id AND l.app_id = $1)
		ORDER BY COALESCE(v.net, 0) DESC, a.title, a.id LIMIT 200`, app.ID)
	return app, list, err
}

// ReviewQueue lists the articles waiting in review that the actor may
// publish: those of the categories they review, and for the experts all.
func (s *Service) ReviewQueue(ctx context.Context, actor *policy.Actor) ([]Article, error) {
	where, args, err := reviewable(actor)
	if err != nil {
		return nil, err
	}
	return queryArticles(ctx, s.db.R, articleSelect+` WHERE `+where+` ORDER BY a.updated_at, a.id LIMIT 500`, args...)
}

// ReviewCount is how many articles wait in the actor's review queue: the
// figure the knowledge home shows, without loading the articles.
func (s *Service) ReviewCount(ctx context.Context, actor *policy.Actor) (int, error) {
	where, args, err := reviewable(actor)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM articles a WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("knowledge: review count: %w", err)
	}
	return n, nil
}

// reviewable is the condition on articles a of the actor's review queue.
func reviewable(actor *policy.Actor) (string, []any, error) {
	if err := policy.Check(actor, policy.ArticleWrite, policy.Target{}); err != nil {
		return "", nil, err
	}
	if policy.Can(actor, policy.ArticlePublish, policy.Target{}) {
		return `a.status = 'review'`, nil, nil
	}
	return `a.status = 'review' AND a.category_id IN
		(SELECT category_id FROM article_category_reviewers WHERE account_id = $1)`, []any{actor.AccountID}, nil
}

// Related returns up to n published articles close to a: sharing its
// category, applications or competencies (three points each), then
// words of their titles (one point per shared stem, stop words left out,
// so "pelayanan" and "layanan" meet); ties go to the most helpful, then
// the newest. Candidates are the 200 latest published articles sharing a
// link and the 200 latest overall, so the cost stays flat.
func (s *Service) Related(ctx context.Context, a Article, n int) ([]Article, error) {
	cands, err := queryArticlesUnrendered(ctx, s.db.R, articleSelect+` WHERE a.status = 'published' AND a.id <> $1 AND (
		a.category_id = $2 OR EXISTS (SELECT 1 FROM article_apps l WHERE l.article_id = a.id AND l.app_id IN
			(SELECT app_id FROM article_apps WHERE article_id = $1))
		OR EXISTS (SELECT 1 FROM article_competencies k WHERE k.article_id = a.id AND k.code IN
			(SELECT code FROM article_competencies WHERE article_id = $1)))
		ORDER BY a.updated_at DESC LIMIT 200`, a.ID, a.CategoryID)
	if err != nil {
		return nil, err
	}
	more, err := queryArticlesUnrendered(ctx, s.db.R, articleSelect+` WHERE a.status = 'published' AND a.id <> $1
		ORDER BY a.updated_at DESC LIMIT 200`, a.ID)
	if err != nil {
		return nil, err
	}
	words := stems(a.Title)
	type scored struct {
		Article
		score int
	}
	seen := map[int64]bool{}
	var list []scored
	for _, c := range append(cands, more...) {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		sc := 0
		if a.CategoryID != nil && c.CategoryID != nil && *a.CategoryID == *c.CategoryID {
			sc += 3
		}
		for _, x := range c.Apps {
			for _, y := range a.Apps {
				if x.ID == y.ID {
					sc += 3
				}
			}
		}
		for _, x := range c.Competencies {
			for _, y := range a.Competencies {
				if x == y {
					sc += 3
				}
			}
		}
		for w := range stems(c.Title) {
			if words[w] {
				sc++
			}
		}
		if sc > 0 {
			list = append(list, scored{c, sc})
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		hi, hj := list[i].Helpful-list[i].Unhelpful, list[j].Helpful-list[j].Unhelpful
		if hi != hj {
			return hi > hj
		}
		return list[i].UpdatedAt.After(list[j].UpdatedAt)
	})
	out := []Article{}
	for i := 0; i < len(list) && i < n; i++ {
		list[i].HTML = markdown.Render(list[i].Body)
		out = append(out, list[i].Article)
	}
	return out, nil
}

// stems is the set of the search stems of text's words.
func stems(text string) map[string]bool {
	set := map[string]bool{}
	for _, w := range search.Tokens(strings.ToLower(text)) {
		set[w] = true
	}
	return set
}

// AppChoices lists the applications an article may be linked to, by name.
func (s *Service) AppChoices(ctx context.Context) ([]AppRef, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, slug, name FROM apps WHERE status <> 'retired' ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge: apps: %w", err)
	}
	defer rows.Close()
	var list []AppRef
	for rows.Next() {
		var a AppRef
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name); err != nil {
			return nil, fmt.Errorf("knowledge: apps: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}
