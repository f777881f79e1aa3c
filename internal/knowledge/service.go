package knowledge

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// Service is the knowledge base: articles, their versions, review,
// votes, files and categories.
type Service struct {
	db    *db.DB
	files upload.Limits
	// beforeWrite, when set, runs in an edit's transaction between its
	// read and its write: a test's stand-in for another save landing there.
	beforeWrite func(ctx context.Context, tx *sql.Tx) error
}

// NewService returns the knowledge service over d, its files bounded by
// upload.Default until SetFileLimits.
func NewService(d *db.DB) *Service { return &Service{db: d, files: upload.Default} }

// SetFileLimits bounds articles' files as the help desk's are (the
// configuration's --attachment-max-mb and --attachment-max-files).
func (s *Service) SetFileLimits(l upload.Limits) { s.files = l }

// FileLimits returns the limits in force.
func (s *Service) FileLimits() upload.Limits { return s.files }

// visible reports whether actor may read a: a published article anyone
// signed in; a draft or one in review those who write articles.
func visible(actor *policy.Actor, a Article) bool {
	return a.Status == StatusPublished || policy.Can(actor, policy.ArticleWrite, policy.Target{})
}

// Get returns an article the actor may read; to anyone else it does not
// exist (NotFound).
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Article, error) {
	if actor == nil {
		return Article{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	a, err := load(ctx, s.db.R, id)
	if err != nil {
		return Article{}, err
	}
	if !visible(actor, a) {
		return Article{}, errs.New(errs.NotFound, "article.not_found")
	}
	return a, nil
}

// target is what policy needs to know of an article and the actor: are
// they one of its category's reviewers, its author, is it public.
func target(ctx context.Context, q db.Querier, actor *policy.Actor, a Article) (policy.Target, error) {
	t := policy.Target{Published: a.Status == StatusPublished,
		Author: a.AuthorID != nil && actor != nil && *a.AuthorID == actor.AccountID && actor.AccountID != 0}
	if a.CategoryID == nil || actor == nil || actor.AccountID == 0 {
		return t, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM article_category_reviewers
		WHERE category_id = $1 AND account_id = $2`, *a.CategoryID, actor.AccountID).Scan(&n); err != nil {
		return t, fmt.Errorf("knowledge: reviewer: %w", err)
	}
	t.Reviewer = n > 0
	return t, nil
}

// Rights say what the actor may do to an article, for its pages.
type Rights struct {
	Edit, Publish, Delete, Submit bool
	// Withdraw: the author may take their article back from review.
	Withdraw bool
}

// RightsOn returns what the actor may do to a.
func (s *Service) RightsOn(ctx context.Context, actor *policy.Actor, a Article) (Rights, error) {
	t, err := target(ctx, s.db.R, actor, a)
	if err != nil {
		return Rights{}, err
	}
	return Rights{Edit: policy.Can(actor, policy.ArticleEdit, t), Publish: policy.Can(actor, policy.ArticlePublish, t),
		Delete:   policy.Can(actor, policy.ArticleDelete, t),
		Submit:   a.Status == StatusDraft && policy.Can(actor, policy.ArticleWrite, t),
		Withdraw: a.Status == StatusReview && t.Author && policy.Can(actor, policy.ArticleWrite, t)}, nil
}

// Create writes a new draft article written from scratch.
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Article, error) {
	return s.CreateAs(ctx, actor, in, "")
}

// CreateAs writes a new article and moves it to status ("" or draft: it
// stays a draft; review: "save and send to review") in one transaction,
// so a refused move saves nothing.
func (s *Service) CreateAs(ctx context.Context, actor *policy.Actor, in Input, status string) (Article, error) {
	var a Article
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		d := Draft{Title: in.Title, Body: in.Body, AppIDs: in.AppIDs, Competencies: in.Competencies}
		if in.CategoryID != nil {
			d.CategoryID = *in.CategoryID
		}
		var err error
		if a, err = CreateDraft(ctx, tx, actor, d); err != nil || status == "" || status == StatusDraft {
			return err
		}
		a, err = setStatus(ctx, tx, actor, a.ID, status, "")
		return err
	})
	return a, err
}

// Filter narrows a list of articles; nil fields do not narrow it.
type Filter struct {
	Status     *string
	CategoryID *int64
	AppID      *int64
	Competency *string
	AuthorID   *int64
	Query      *string // part of the title or body, ignoring case
}

// List returns a page of the articles the actor may read, newest first.
// Those who do not write articles see published ones only, whatever the
// status they ask for.
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, p db.Page) ([]Article, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Status != nil {
		switch *f.Status {
		case StatusDraft, StatusReview, StatusPublished:
		default:
			return nil, "", errs.FieldErr("status", "article.status_unknown", *f.Status)
		}
		where = append(where, "a.status = "+arg(*f.Status))
	}
	if !policy.Can(actor, policy.ArticleWrite, policy.Target{}) {
		where = append(where, "a.status = "+arg(StatusPublished))
	}
	if f.CategoryID != nil {
		where = append(where, "a.category_id = "+arg(*f.CategoryID))
	}
	if f.AppID != nil {
		where = append(where, "EXISTS (SELECT 1 FROM article_apps l WHERE l.article_id = a.id AND l.app_id = "+arg(*f.AppID)+")")
	}
	if f.Competency != nil {
		where = append(where, "EXISTS (SELECT 1 FROM article_competencies k WHERE k.article_id = a.id AND k.code = "+
			arg(strings.TrimSpace(*f.Competency))+")")
	}
	if f.AuthorID != nil {
		where = append(where, "a.author_account_id = "+arg(*f.AuthorID))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		where = append(where, "("+s.db.Dialect.ContainsFold("a.title", q)+" OR "+s.db.Dialect.ContainsFold("a.body", q)+")")
	}
	if p.After != "" {
		var id int64
		if err := db.ParseCursor(p.After, &id); err != nil {
			return nil, "", err
		}
		where = append(where, "a.id < "+arg(id))
	}
	query := articleSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	list, err := queryArticles(ctx, s.db.R, query+" ORDER BY a.id DESC LIMIT "+arg(p.Size()+1), args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return list, next, nil
}
