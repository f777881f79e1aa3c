// Package knowledge is the city's knowledge base. Articles in Markdown are
// written by operators, trainers, agents and the experts — from scratch,
// or as drafts made elsewhere through CreateDraft (an FAQ from a ticket, a
// promoted discussion thread, a meeting's notes, each keeping its origin) —
// and go draft → review → published, published by the reviewers their
// category names. Every save is a revision (a stale one kept as a
// conflict), and articles carry links to applications and competencies,
// files, "was this helpful?" votes, views and the tickets they prevented.
// Every change is put into the search index in its transaction.
package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
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
// for an article written from scratch. Version rises with every save of
// the text or the links; an edit names the version it started from.
type Article struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	Version    int       `json:"version"`
	OriginKind *string   `json:"origin_kind"`
	OriginID   *int64    `json:"origin_id"`
	AuthorID   *int64    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	CategoryID *int64    `json:"category_id"`
	Category   string    `json:"category"` // its name, "" for none
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// Apps are the applications it is about; Competencies the codes of
	// the competencies it teaches (see the package README section).
	Apps         []AppRef `json:"apps"`
	Competencies []string `json:"competencies"`
	// Helpful and Unhelpful count the "was this helpful?" votes.
	Helpful   int `json:"helpful"`
	Unhelpful int `json:"unhelpful"`

	// HTML is the body rendered and sanitized (see above).
	HTML template.HTML `json:"html"`
}

// AppRef names an application an article is linked to.
type AppRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Draft is a new article as its maker gives it. The links are optional.
type Draft struct {
	Title, Body  string
	OriginKind   string // "" for none
	OriginID     int64
	CategoryID   int64 // 0 for none
	AppIDs       []int64
	Competencies []string
}

// CreateDraft writes a draft article — its first revision, its links, its
// audit record and its entry in the search index — in the caller's
// transaction, so the change that makes it (a ticket's history) commits
// with it. The actor must be allowed to write articles. An origin that
// already has its article is a Conflict (ByOrigin finds it first).
func CreateDraft(ctx context.Context, q db.Querier, actor *policy.Actor, d Draft) (Article, error) {
	if err := policy.Check(actor, policy.ArticleWrite, policy.Target{}); err != nil {
		return Article{}, err
	}
	in := Input{Title: d.Title, Body: d.Body, AppIDs: d.AppIDs, Competencies: d.Competencies}
	if d.CategoryID != 0 {
		in.CategoryID = &d.CategoryID
	}
	if err := in.check(ctx, q); err != nil {
		return Article{}, err
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	a := Article{Title: in.Title, Body: in.Body, Status: StatusDraft, Version: 1, CategoryID: in.CategoryID,
		CreatedAt: at, UpdatedAt: at}
	if actor.AccountID != 0 {
		a.AuthorID = &actor.AccountID
	}
	if d.OriginKind != "" {
		a.OriginKind, a.OriginID = &d.OriginKind, &d.OriginID
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO articles (title, body, status, origin_kind, origin_id,
		author_account_id, category_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)
		RETURNING id`, a.Title, a.Body, a.Status, a.OriginKind, a.OriginID, a.AuthorID, a.CategoryID, at)
	if err != nil {
		return Article{}, fmt.Errorf("knowledge: create draft: %w", err)
	}
	a.ID = id
	if err := setLinks(ctx, q, id, in); err != nil {
		return Article{}, err
	}
	if _, err := addRevision(ctx, q, actor, a, false); err != nil {
		return Article{}, err
	}
	if err := audit.Write(ctx, q, actor, audit.Entry{Action: "create", Entity: "article", EntityID: id, After: a}); err != nil {
		return Article{}, err
	}
	a, err = load(ctx, q, id)
	if err != nil {
		return Article{}, err
	}
	return a, index(ctx, q, a)
}

// ByOrigin finds the article made from an origin (a ticket), if any.
func ByOrigin(ctx context.Context, q db.Querier, kind string, id int64) (Article, bool, error) {
	a, err := scanArticle(q.QueryRowContext(ctx, articleSelect+` WHERE a.origin_kind = $1 AND a.origin_id = $2`, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, false, nil
	}
	if err != nil {
		return Article{}, false, fmt.Errorf("knowledge: article of %s %d: %w", kind, id, err)
	}
	a.HTML = markdown.Render(a.Body)
	return a, true, details(ctx, q, []*Article{&a})
}

// CategoryKey is the article's category id as a link spells it, "" for none.
func (a Article) CategoryKey() string {
	if a.CategoryID == nil {
		return ""
	}
	return strconv.FormatInt(*a.CategoryID, 10)
}
