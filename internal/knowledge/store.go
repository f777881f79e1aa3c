package knowledge

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// articleSelect reads an article with its category's and author's names;
// details adds the links and the votes.
const articleSelect = `SELECT a.id, a.title, a.body, a.status, a.version, a.origin_kind, a.origin_id,
	a.author_account_id, COALESCE(e.name, ''), a.category_id, COALESCE(c.name, ''), a.created_at, a.updated_at
	FROM articles a LEFT JOIN article_categories c ON c.id = a.category_id
	LEFT JOIN accounts u ON u.id = a.author_account_id LEFT JOIN employees e ON e.id = u.employee_id`

func scanArticle(row interface{ Scan(...any) error }) (Article, error) {
	var a Article
	var kind sql.NullString
	var origin, author, category sql.NullInt64
	err := row.Scan(&a.ID, &a.Title, &a.Body, &a.Status, &a.Version, &kind, &origin, &author, &a.AuthorName, &category,
		&a.Category, &a.CreatedAt, &a.UpdatedAt)
	if kind.Valid {
		a.OriginKind = &kind.String
	}
	a.OriginID, a.AuthorID, a.CategoryID = idPtr(origin), idPtr(author), idPtr(category)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Apps, a.Competencies = []AppRef{}, []string{}
	return a, err
}

func idPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// load reads one article whole, NotFound when there is none.
func load(ctx context.Context, q db.Querier, id int64) (Article, error) {
	a, err := scanArticle(q.QueryRowContext(ctx, articleSelect+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, errs.New(errs.NotFound, "article.not_found")
	}
	if err != nil {
		return Article{}, fmt.Errorf("knowledge: article %d: %w", id, err)
	}
	a.HTML = markdown.Render(a.Body)
	return a, details(ctx, q, []*Article{&a})
}

// queryArticles reads the articles a query selects (articleSelect + its
// conditions), with their details and their text as HTML.
func queryArticles(ctx context.Context, q db.Querier, query string, args ...any) ([]Article, error) {
	list, err := queryArticlesUnrendered(ctx, q, query, args...)
	for i := range list {
		list[i].HTML = markdown.Render(list[i].Body)
	}
	return list, err
}

// queryArticlesUnrendered is queryArticles without rendering the texts, for
// reading many articles to choose a few (Related): rendering Markdown is
// the dearest part of reading an article.
func queryArticlesUnrendered(ctx context.Context, q db.Querier, query string, args ...any) ([]Article, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("knowledge: articles: %w", err)
	}
	defer rows.Close()
	list := []Article{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("knowledge: articles: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge: articles: %w", err)
	}
	ptrs := make([]*Article, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, details(ctx, q, ptrs)
}

// details fills the applications, competencies and vote counts of the
// articles, three queries however many articles there are.
func details(ctx context.Context, q db.Querier, list []*Article) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*Article{}
	ids := make([]string, 0, len(list))
	for _, a := range list {
		byID[a.ID] = a
		ids = append(ids, strconv.FormatInt(a.ID, 10)) // numbers from the database, not user input
	}
	in := "(" + strings.Join(ids, ",") + ")"
	rows, err := q.QueryContext(ctx, `SELECT l.article_id, p.id, p.slug, p.name FROM article_apps l
		JOIN apps p ON p.id = l.app_id WHERE l.article_id IN `+in+` ORDER BY p.name, p.id`)
	if err != nil {
		return fmt.Errorf("knowledge: article apps: %w", err)
	}
	for rows.Next() {
		var id int64
		var r AppRef
		if err := rows.Scan(&id, &r.ID, &r.Slug, &r.Name); err != nil {
			rows.Close()
			return fmt.Errorf("knowledge: article apps: %w", err)
		}
		byID[id].Apps = append(byID[id].Apps, r)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT article_id, code FROM article_competencies WHERE article_id IN `+in+
		` ORDER BY code`)
	if err != nil {
		return fmt.Errorf("knowledge: article competencies: %w", err)
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return fmt.Errorf("knowledge: article competencies: %w", err)
		}
		byID[id].Competencies = append(byID[id].Competencies, code)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT article_id, helpful, count(*) FROM article_votes WHERE article_id IN `+in+
		` GROUP BY article_id, helpful`)
	if err != nil {
		return fmt.Errorf("knowledge: article votes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var helpful bool
		var n int
		if err := rows.Scan(&id, &helpful, &n); err != nil {
			return fmt.Errorf("knowledge: article votes: %w", err)
		}
		if helpful {
			byID[id].Helpful = n
		} else {
			byID[id].Unhelpful = n
		}
	}
	return rows.Err()
}

// Input is an article's text and links as an author gives them.
type Input struct {
	Title, Body  string
	CategoryID   *int64 // nil: none
	AppIDs       []int64
	Competencies []string
}

// Limits on an article's links.
const (
	maxApps         = 20
	maxCompetencies = 20
)

// competencyCode is the shape of a competency's stable code: lowercase
// letters and digits, dots and dashes inside, at most 64 characters
// ("simpeg.input-data", "tik.keamanan-2").
var competencyCode = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9.-]{0,62}[a-z0-9])?$`)

// check trims the input and checks it, the links against the database:
// each wrong field is a named 422.
func (in *Input) check(ctx context.Context, q db.Querier) error {
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body)
	var v errs.Validation
	switch {
	case in.Title == "":
		v.Add("title", "required")
	case utf8.RuneCountInString(in.Title) > maxTitle:
		v.Add("title", "too_long", maxTitle)
	case !utf8.ValidString(in.Title) || strings.ContainsRune(in.Title, 0):
		v.Add("title", "text")
	}
	if utf8.RuneCountInString(in.Body) > maxBody {
		v.Add("body", "too_long", maxBody)
	} else if !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0) {
		v.Add("body", "text")
	}
	if in.CategoryID != nil {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM article_categories WHERE id = $1`, *in.CategoryID).Scan(&n); err != nil {
			return fmt.Errorf("knowledge: check category: %w", err)
		}
		if n == 0 {
			v.Add("category_id", "article.category_unknown", *in.CategoryID)
		}
	}
	slices.Sort(in.AppIDs)
	in.AppIDs = slices.Compact(in.AppIDs)
	if len(in.AppIDs) > maxApps {
		v.Add("app_ids", "article.too_many_apps", maxApps)
	}
	for _, id := range in.AppIDs {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM apps WHERE id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("knowledge: check app: %w", err)
		}
		if n == 0 {
			v.Add("app_ids", "article.app_unknown", id)
		}
	}
	codes := make([]string, 0, len(in.Competencies))
	for _, c := range in.Competencies {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
			continue
		case !competencyCode.MatchString(c):
			v.Add("competencies", "article.competency_code", c)
		}
		codes = append(codes, c)
	}
	slices.Sort(codes)
	in.Competencies = slices.Compact(codes)
	if len(in.Competencies) > maxCompetencies {
		v.Add("competencies", "article.too_many_competencies", maxCompetencies)
	}
	return v.Err()
}

// setLinks replaces an article's applications and competencies.
func setLinks(ctx context.Context, q db.Querier, id int64, in Input) error {
	for _, stmt := range []string{`DELETE FROM article_apps WHERE article_id = $1`,
		`DELETE FROM article_competencies WHERE article_id = $1`} {
		if _, err := q.ExecContext(ctx, stmt, id); err != nil {
			return fmt.Errorf("knowledge: links: %w", err)
		}
	}
	for _, app := range in.AppIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO article_apps (article_id, app_id) VALUES ($1, $2)`, id, app); err != nil {
			return fmt.Errorf("knowledge: link app: %w", err)
		}
	}
	for _, code := range in.Competencies {
		if _, err := q.ExecContext(ctx, `INSERT INTO article_competencies (article_id, code) VALUES ($1, $2)`, id, code); err != nil {
			return fmt.Errorf("knowledge: link competency: %w", err)
		}
	}
	return nil
}

// addRevision records a save of the article's text: the article's current
// version, or (conflict) a stale save that started from a.Version.
func addRevision(ctx context.Context, q db.Querier, actor *policy.Actor, a Article, conflict bool) (int64, error) {
	var editor *int64
	if actor != nil && actor.AccountID != 0 {
		editor = &actor.AccountID
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO article_revisions (article_id, version, conflict, title, body,
		editor_account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		a.ID, a.Version, conflict, a.Title, a.Body, editor, time.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return 0, fmt.Errorf("knowledge: revision: %w", err)
	}
	return id, nil
}

// lockArticle holds article id until the transaction ends; a change of an
// article calls it before reading the article. Changes of one article then
// take turns, and each decides its rights and indexes on the article as
// the one before left it: a writer's save read while the article was a
// draft, and written after a reviewer published it, would otherwise
// publish unreviewed text; a backfill read before an unpublish would put
// the article back in search for everyone.
func lockArticle(ctx context.Context, q db.Querier, id int64) error {
	if err := db.HoldRow(ctx, q, "articles", id); err != nil {
		return fmt.Errorf("knowledge: %w", err)
	}
	return nil
}

// index puts the article into the search index as the contract says: a
// published article for everyone signed in, a draft or one in review for
// those who write articles.
func index(ctx context.Context, q db.Querier, a Article) error {
	doc := search.Doc{Kind: search.KindArticle, ID: a.ID, Ref: strconv.FormatInt(a.ID, 10), Title: a.Title,
		Body: a.Body, Updated: a.UpdatedAt}
	if a.Status == StatusPublished {
		doc.Audience, doc.Helpful = []string{search.Everyone}, a.Helpful-a.Unhelpful
	} else {
		// Exactly who may read a draft (policy.ArticleWrite): an author who
		// no longer writes articles no longer finds theirs.
		doc.Audience = []string{search.Writers}
	}
	if len(a.Apps) > 0 {
		doc.AppID = slices.MinFunc(a.Apps, func(x, y AppRef) int { return cmp.Compare(x.ID, y.ID) }).ID
	}
	if err := search.Put(ctx, q, doc); err != nil {
		return fmt.Errorf("knowledge: index article %d: %w", a.ID, err)
	}
	return nil
}
