package knowledge

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Category groups articles and names their reviewers, in the order the
// expert team sets. Published counts its published articles.
type Category struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Position    int        `json:"position"`
	Reviewers   []Reviewer `json:"reviewers"`
	Published   int        `json:"published"`
}

// Reviewer is an account a category names to review its articles.
type Reviewer struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	// Email is what the category's form names them by: for those who
	// manage the categories only ("" and left out to anyone else).
	Email string `json:"email,omitempty"`
}

// CategoryInput is a category as the manage page gives it: reviewers by
// the email they sign in with.
type CategoryInput struct {
	Name, Description string
	Reviewers         []string
}

// Limits on a category.
const (
	maxCategoryName = 100
	maxCategoryDesc = 1000
	maxReviewers    = 30
)

// Categories lists every category in order with its reviewers and count
// of published articles; anyone signed in may read them, the reviewers'
// emails only those who manage the categories.
func (s *Service) Categories(ctx context.Context, actor *policy.Actor) ([]Category, error) {
	list, err := categories(ctx, s.db.R)
	if err != nil || policy.Can(actor, policy.ArticleCategoryManage, policy.Target{}) {
		return list, err
	}
	for _, c := range list {
		for i := range c.Reviewers {
			c.Reviewers[i].Email = ""
		}
	}
	return list, nil
}

func categories(ctx context.Context, q db.Querier) ([]Category, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.name, c.description, c.position,
		(SELECT count(*) FROM articles a WHERE a.category_id = c.id AND a.status = 'published')
		FROM article_categories c ORDER BY c.position, c.name, c.id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge: categories: %w", err)
	}
	list := []Category{}
	byID := map[int64]int{}
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.ID, &c.Name, &c.Description, &c.Position, &c.Published); err != nil {
			rows.Close()
			return nil, fmt.Errorf("knowledge: categories: %w", err)
		}
		c.Reviewers = []Reviewer{}
		byID[c.ID] = len(list)
		list = append(list, c)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT r.category_id, r.account_id, e.name, COALESCE(e.email, '')
		FROM article_category_reviewers r JOIN accounts u ON u.id = r.account_id JOIN employees e ON e.id = u.employee_id
		ORDER BY e.name, r.account_id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge: reviewers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cat int64
		var r Reviewer
		if err := rows.Scan(&cat, &r.AccountID, &r.Name, &r.Email); err != nil {
			return nil, fmt.Errorf("knowledge: reviewers: %w", err)
		}
		if i, ok := byID[cat]; ok {
			list[i].Reviewers = append(list[i].Reviewers, r)
		}
	}
	return list, rows.Err()
}

// SaveCategory creates a category (id 0, placed last) or changes one,
// naming its reviewers: each email must be an active account that may
// write articles.
func (s *Service) SaveCategory(ctx context.Context, actor *policy.Actor, id int64, in CategoryInput) (Category, error) {
	if err := policy.Check(actor, policy.ArticleCategoryManage, policy.Target{}); err != nil {
		return Category{}, err
	}
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	var v errs.Validation
	switch {
	case in.Name == "":
		v.Add("name", "required")
	case utf8.RuneCountInString(in.Name) > maxCategoryName:
		v.Add("name", "too_long", maxCategoryName)
	}
	if utf8.RuneCountInString(in.Description) > maxCategoryDesc {
		v.Add("description", "too_long", maxCategoryDesc)
	}
	var out Category
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		reviewers, err := reviewerAccounts(ctx, tx, &v, in.Reviewers)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		action := "update"
		if id == 0 {
			action = "create"
			id, err = db.InsertID(ctx, tx, `INSERT INTO article_categories (name, description, position, created_at, updated_at)
				VALUES ($1, $2, (SELECT COALESCE(max(position), 0) + 1 FROM article_categories), $3, $3) RETURNING id`,
				in.Name, in.Description, at)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE article_categories SET name = $1, description = $2, updated_at = $3
				WHERE id = $4`, in.Name, in.Description, at, id)
			if n, _ := rowsOf(res); err == nil && n == 0 {
				return errs.New(errs.NotFound, "article.category_not_found")
			}
		}
		if _, dup := s.db.Dialect.UniqueViolation(err); dup {
			return errs.FieldErr("name", "article.category_taken", in.Name)
		}
		if err != nil {
			return fmt.Errorf("knowledge: save category: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_category_reviewers WHERE category_id = $1`, id); err != nil {
			return fmt.Errorf("knowledge: reviewers: %w", err)
		}
		for _, acc := range reviewers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_category_reviewers (category_id, account_id) VALUES ($1, $2)`,
				id, acc); err != nil {
				return fmt.Errorf("knowledge: reviewers: %w", err)
			}
		}
		all, err := categories(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range all {
			if c.ID == id {
				out = c
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: action, Entity: "article_category", EntityID: id, After: out})
	})
	return out, err
}

func rowsOf(res sql.Result) (int64, error) {
	if res == nil {
		return 0, nil
	}
	return res.RowsAffected()
}

// reviewerAccounts finds the accounts of the reviewers' emails, adding a
// "reviewers" error for each one that is unknown or may not write.
func reviewerAccounts(ctx context.Context, tx *sql.Tx, v *errs.Validation, emails []string) ([]int64, error) {
	var ids []int64
	var unknown, readers []string
	seen := map[int64]bool{}
	for _, email := range emails {
		email = strings.TrimSpace(email)
		if email == "" {
			continue
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT u.id FROM accounts u JOIN employees e ON e.id = u.employee_id
			WHERE lower(e.email) = lower($1) AND u.active = TRUE`, email).Scan(&id)
		if err == sql.ErrNoRows {
			unknown = append(unknown, email)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("knowledge: reviewer %s: %w", email, err)
		}
		roles, err := rolesOf(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !policy.Can(&policy.Actor{AccountID: id, Grants: roles}, policy.ArticleWrite, policy.Target{}) {
			readers = append(readers, email)
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	// One message per kind of fault naming every address, so the form's
	// one line per field shows them all.
	if len(unknown) > 0 {
		v.Add("reviewers", "article.reviewer_unknown", strings.Join(unknown, ", "))
	}
	if len(readers) > 0 {
		v.Add("reviewers", "article.reviewer_not_writer", strings.Join(readers, ", "))
	}
	if len(ids) > maxReviewers {
		v.Add("reviewers", "article.too_many_reviewers", maxReviewers)
	}
	return ids, nil
}

// rolesOf reads the roles an account holds, for deciding whether it may
// review.
func rolesOf(ctx context.Context, tx *sql.Tx, account int64) ([]policy.Grant, error) {
	rows, err := tx.QueryContext(ctx, `SELECT role, COALESCE(agency_id, 0) FROM role_grants WHERE account_id = $1`, account)
	if err != nil {
		return nil, fmt.Errorf("knowledge: roles: %w", err)
	}
	defer rows.Close()
	var out []policy.Grant
	for rows.Next() {
		var g policy.Grant
		if err := rows.Scan(&g.Role, &g.AgencyID); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// MoveCategory moves a category one place up (delta -1) or down (+1),
// renumbering every category's position.
func (s *Service) MoveCategory(ctx context.Context, actor *policy.Actor, id int64, delta int) error {
	if err := policy.Check(actor, policy.ArticleCategoryManage, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		all, err := categories(ctx, tx)
		if err != nil {
			return err
		}
		i := -1
		for k, c := range all {
			if c.ID == id {
				i = k
			}
		}
		if i < 0 {
			return errs.New(errs.NotFound, "article.category_not_found")
		}
		j := i + delta
		if j < 0 || j >= len(all) {
			return nil
		}
		all[i], all[j] = all[j], all[i]
		for k, c := range all {
			if _, err := tx.ExecContext(ctx, `UPDATE article_categories SET position = $1 WHERE id = $2`, k+1, c.ID); err != nil {
				return fmt.Errorf("knowledge: move category: %w", err)
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "move", Entity: "article_category", EntityID: id,
			After: map[string]int{"position": j + 1}})
	})
}

// DeleteCategory removes a category no article belongs to (any status);
// one still in use is a Conflict: move its articles first.
func (s *Service) DeleteCategory(ctx context.Context, actor *policy.Actor, id int64) error {
	if err := policy.Check(actor, policy.ArticleCategoryManage, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var name string
		var used int
		err := tx.QueryRowContext(ctx, `SELECT name, (SELECT count(*) FROM articles WHERE category_id = $1)
			FROM article_categories WHERE id = $1`, id).Scan(&name, &used)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "article.category_not_found")
		}
		if err != nil {
			return fmt.Errorf("knowledge: delete category: %w", err)
		}
		if used > 0 {
			return errs.New(errs.Conflict, "article.category_in_use", name, used)
		}
		for _, stmt := range []string{`DELETE FROM article_category_reviewers WHERE category_id = $1`,
			`DELETE FROM article_categories WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
				return fmt.Errorf("knowledge: delete category: %w", err)
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "article_category", EntityID: id,
			Before: map[string]string{"name": name}})
	})
}
