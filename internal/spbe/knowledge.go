package spbe

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// KnowledgePart is the evidence of knowledge management.
type KnowledgePart struct {
	Figures   []Figure        `json:"figures"`
	Policies  []Policy        `json:"policies"`
	Published []ArticleRecord `json:"published"` // articles published in the period
	Reviews   []ReviewRecord  `json:"reviews"`   // review decisions in the period
}

// ArticleRecord is an article published in the period.
type ArticleRecord struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Category    string    `json:"category"`
	PublishedAt time.Time `json:"published_at"`
}

// ReviewRecord is a reviewer's decision on an article: published or sent
// back to its writer.
type ReviewRecord struct {
	ArticleID int64     `json:"article_id"`
	Title     string    `json:"title"`
	Outcome   string    `json:"outcome"` // published or returned
	At        time.Time `json:"at"`
}

// knowledgeOf gathers the knowledge base's and the discussions' records.
func knowledgeOf(ctx context.Context, q db.Querier, lang string, from, to time.Time) (KnowledgePart, error) {
	var k KnowledgePart
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.title, COALESCE(c.name, ''), ev.created_at FROM article_events ev
		JOIN articles a ON a.id = ev.article_id LEFT JOIN article_categories c ON c.id = a.category_id
		WHERE ev.to_status = 'published' AND ev.from_status <> 'published' AND ev.created_at >= $1 AND ev.created_at < $2
		ORDER BY ev.created_at, ev.id`, from, to)
	if err != nil {
		return k, fmt.Errorf("spbe: published: %w", err)
	}
	seen := map[int64]bool{}
	for rows.Next() {
		var r ArticleRecord
		if err := rows.Scan(&r.ID, &r.Title, &r.Category, &r.PublishedAt); err != nil {
			rows.Close()
			return k, fmt.Errorf("spbe: published: %w", err)
		}
		if !seen[r.ID] { // published again after a change: once in the list
			seen[r.ID] = true
			r.PublishedAt = r.PublishedAt.UTC()
			k.Published = append(k.Published, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return k, fmt.Errorf("spbe: published: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT a.id, a.title, ev.to_status, ev.created_at FROM article_events ev
		JOIN articles a ON a.id = ev.article_id
		WHERE ev.from_status = 'review' AND ev.to_status IN ('published', 'draft') AND ev.created_at >= $1 AND ev.created_at < $2
		ORDER BY ev.created_at, ev.id`, from, to)
	if err != nil {
		return k, fmt.Errorf("spbe: reviews: %w", err)
	}
	for rows.Next() {
		var r ReviewRecord
		if err := rows.Scan(&r.ArticleID, &r.Title, &r.Outcome, &r.At); err != nil {
			rows.Close()
			return k, fmt.Errorf("spbe: reviews: %w", err)
		}
		if r.Outcome == "draft" {
			r.Outcome = "returned"
		}
		r.At = r.At.UTC()
		k.Reviews = append(k.Reviews, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return k, fmt.Errorf("spbe: reviews: %w", err)
	}
	// articles_live is as of the period's end, from each article's status
	// changes; the reviewers are as of generation (none is kept once
	// removed).
	var live, asked, accepted, answers, reviewers, categories int
	err = q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM articles a WHERE a.created_at < $2 AND COALESCE(
			(SELECT ev.to_status FROM article_events ev WHERE ev.article_id = a.id AND ev.created_at < $2
				ORDER BY ev.created_at DESC, ev.id DESC LIMIT 1),
			(SELECT ev.from_status FROM article_events ev WHERE ev.article_id = a.id AND ev.created_at >= $2
				ORDER BY ev.created_at, ev.id LIMIT 1),
			a.status) = 'published'),
		(SELECT count(*) FROM threads WHERE question = TRUE AND created_at >= $1 AND created_at < $2),
		(SELECT count(*) FROM threads WHERE question = TRUE AND created_at >= $1 AND created_at < $2 AND accepted_post_id IS NOT NULL),
		(SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.question = TRUE AND p.hidden_at IS NULL
			AND p.author_account_id <> t.author_account_id AND p.created_at >= $1 AND p.created_at < $2),
		(SELECT count(DISTINCT account_id) FROM article_category_reviewers),
		(SELECT count(DISTINCT category_id) FROM article_category_reviewers)`, from, to).
		Scan(&live, &asked, &accepted, &answers, &reviewers, &categories)
	if err != nil {
		return k, fmt.Errorf("spbe: knowledge figures: %w", err)
	}
	k.Figures = []Figure{count("articles_published", len(k.Published)), count("review_decisions", len(k.Reviews)),
		count("articles_live", live), count("questions_asked", asked), count("questions_accepted", accepted),
		count("answers_posted", answers)}
	k.Policies = []Policy{rule(lang, KnowledgeManagement, "spbe.rule.review", reviewers, categories)}
	return k, nil
}
