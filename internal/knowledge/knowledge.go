// Package knowledge is the seam the knowledge base grows from: articles
// that start as drafts — today made by the help desk from a resolved ticket
// ("Jadikan FAQ") — go through review and are published, and the count of
// tickets each article prevented. The knowledge issue adds the editor, the
// review, the public pages and search over this; the help desk only makes
// drafts through CreateDraft and records where they came from.
package knowledge

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
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

// An article's statuses: written, waiting for an expert's review, public.
const (
	StatusDraft     = "draft"
	StatusReview    = "review"
	StatusPublished = "published"
)

// Where an article came from: an FAQ made from a help desk ticket, a
// discussion thread promoted to an article, a meeting's notes.
const (
	OriginTicket  = "ticket"
	OriginThread  = "thread"
	OriginMeeting = "meeting"
)

// Limits on an article's text.
const (
	maxTitle = 200
	maxBody  = 100000
)

// Article is a piece of the city's knowledge: a title (for an FAQ, the
// question) and a body in Markdown (the answer), with HTML the body
// rendered and sanitized (markdown.Render), filled on every read so pages
// and API clients never render the Markdown themselves. OriginKind and
// OriginID say what it was made from ("ticket" and the ticket's id), nil
// for an article written from scratch.
type Article struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	OriginKind *string   `json:"origin_kind"`
	OriginID   *int64    `json:"origin_id"`
	AuthorID   *int64    `json:"author_id"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// HTML is the body rendered and sanitized (see above).
	HTML template.HTML `json:"html"`
}

// Draft is a new article as its maker gives it.
type Draft struct {
	Title, Body string
	OriginKind  string // "" for none
	OriginID    int64
}

const articleColumns = `id, title, body, status, origin_kind, origin_id, author_account_id, created_at, updated_at`

func scanArticle(row interface{ Scan(...any) error }) (Article, error) {
	var a Article
	var kind sql.NullString
	var origin, author sql.NullInt64
	err := row.Scan(&a.ID, &a.Title, &a.Body, &a.Status, &kind, &origin, &author, &a.CreatedAt, &a.UpdatedAt)
	if kind.Valid {
		a.OriginKind = &kind.String
	}
	if origin.Valid {
		a.OriginID = &origin.Int64
	}
	if author.Valid {
		a.AuthorID = &author.Int64
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if err == nil {
		a.HTML = markdown.Render(a.Body)
	}
	return a, err
}

// CreateDraft writes a draft article with its audit record in the
// caller's transaction, so the change that makes it (a ticket's history)
// commits with it. The actor must be allowed to write articles. An origin
// that already has its article is a Conflict (ByOrigin finds it first).
func CreateDraft(ctx context.Context, q db.Querier, actor *policy.Actor, d Draft) (Article, error) {
	if err := policy.Check(actor, policy.ArticleWrite, policy.Target{}); err != nil {
		return Article{}, err
	}
	d.Title, d.Body = strings.TrimSpace(d.Title), strings.TrimSpace(d.Body)
	var v errs.Validation
	switch {
	case d.Title == "":
		v.Add("title", "required")
	case utf8.RuneCountInString(d.Title) > maxTitle:
		v.Add("title", "too_long", maxTitle)
	}
	if utf8.RuneCountInString(d.Body) > maxBody {
		v.Add("body", "too_long", maxBody)
	}
	if err := v.Err(); err != nil {
		return Article{}, err
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	a := Article{Title: d.Title, Body: d.Body, Status: StatusDraft, CreatedAt: at, UpdatedAt: at}
	if actor.AccountID != 0 {
		a.AuthorID = &actor.AccountID
	}
	if d.OriginKind != "" {
		a.OriginKind, a.OriginID = &d.OriginKind, &d.OriginID
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO articles (title, body, status, origin_kind, origin_id,
		author_account_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		a.Title, a.Body, a.Status, a.OriginKind, a.OriginID, a.AuthorID, at)
	if err != nil {
		return Article{}, fmt.Errorf("knowledge: create draft: %w", err)
	}
	a.ID = id
	if err := audit.Write(ctx, q, actor, audit.Entry{Action: "create", Entity: "article", EntityID: id, After: a}); err != nil {
		return Article{}, err
	}
	// Rendered after the audit record, which keeps the source only.
	a.HTML = markdown.Render(a.Body)
	return a, nil
}

// ByOrigin finds the article made from an origin (a ticket), if any.
func ByOrigin(ctx context.Context, q db.Querier, kind string, id int64) (Article, bool, error) {
	a, err := scanArticle(q.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles
		WHERE origin_kind = $1 AND origin_id = $2`, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, false, nil
	}
	if err != nil {
		return Article{}, false, fmt.Errorf("knowledge: article of %s %d: %w", kind, id, err)
	}
	return a, true, nil
}

// Service reads articles for the pages and the API.
type Service struct{ db *db.DB }

// NewService returns the knowledge service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Get returns an article. Until the knowledge base publishes articles,
// every article is a draft or in review, which only those who write
// articles may read; to anyone else it does not exist (NotFound).
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Article, error) {
	if actor == nil {
		return Article{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	a, err := scanArticle(s.db.R.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, errs.New(errs.NotFound, "article.not_found")
	}
	if err != nil {
		return Article{}, fmt.Errorf("knowledge: get article: %w", err)
	}
	if a.Status != StatusPublished && !policy.Can(actor, policy.ArticleWrite, policy.Target{}) {
		return Article{}, errs.New(errs.NotFound, "article.not_found")
	}
	return a, nil
}
