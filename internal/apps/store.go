package apps

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// appColumns are the columns scanApp reads, with the owner's name joined in.
const appColumns = `a.id, a.slug, a.name, a.owner_agency_id, o.name, a.status, a.url, a.description,
	a.created_at, a.updated_at`

const appFrom = ` FROM apps a JOIN agencies o ON o.id = a.owner_agency_id`

func scanApp(row interface{ Scan(...any) error }) (App, error) {
	var a App
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.OwnerAgencyID, &a.OwnerAgencyName, &a.Status, &a.URL,
		&a.Description, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// heldApp holds application id's row until tx ends, then reads it: the
// changes of who uses and operates it take turns, each reading what the
// one before left, so the same change twice at once neither collides on a
// key (a 500) nor grants twice.
func heldApp(ctx context.Context, tx db.Querier, id int64) (App, error) {
	if err := db.HoldRow(ctx, tx, "apps", id); err != nil {
		return App{}, err
	}
	return findApp(ctx, tx, "a.id", id)
}

// findApp reads one application by a unique column ("a.id" or "a.slug").
func findApp(ctx context.Context, q db.Querier, col string, val any) (App, error) {
	a, err := scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+col+` = $1`, val))
	if errors.Is(err, sql.ErrNoRows) {
		return App{}, errs.New(errs.NotFound, "app.not_found")
	}
	if err != nil {
		return App{}, fmt.Errorf("apps: find by %s: %w", col, err)
	}
	return a, nil
}

func insertApp(ctx context.Context, q db.Querier, a *App) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO apps
		(slug, name, owner_agency_id, status, url, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		a.Slug, a.Name, a.OwnerAgencyID, a.Status, a.URL, a.Description, a.CreatedAt)
	a.ID = id
	return err
}

func updateApp(ctx context.Context, q db.Querier, a App) error {
	_, err := q.ExecContext(ctx, `UPDATE apps SET slug = $1, name = $2, owner_agency_id = $3, status = $4,
		url = $5, description = $6, updated_at = $7 WHERE id = $8`,
		a.Slug, a.Name, a.OwnerAgencyID, a.Status, a.URL, a.Description, a.UpdatedAt, a.ID)
	return err
}

// agencyName returns an agency's name, or ok=false when there is none.
func agencyName(ctx context.Context, q db.Querier, id int64) (name string, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return name, err == nil, err
}

// slugTaken reports whether another application (not id) has the slug.
func slugTaken(ctx context.Context, q db.Querier, slug string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM apps WHERE slug = $1 AND id <> $2`, slug, id).Scan(&n)
	return n > 0, err
}

// listApps runs the filtered, keyset-paged list query.
func listApps(ctx context.Context, d *db.DB, f AppFilter, p db.Page) ([]App, string, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.OwnerAgencyID != nil {
		where = append(where, "a.owner_agency_id = "+arg(*f.OwnerAgencyID))
	}
	if f.UsedByAgencyID != nil {
		where = append(where, "EXISTS (SELECT 1 FROM app_agencies u WHERE u.app_id = a.id AND u.agency_id = "+
			arg(*f.UsedByAgencyID)+")")
	}
	if f.Status != nil {
		where = append(where, "a.status = "+arg(*f.Status))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		p := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		where = append(where, "("+d.Dialect.ContainsFold("a.name", p)+" OR "+d.Dialect.ContainsFold("a.slug", p)+
			" OR "+d.Dialect.ContainsFold("a.description", p)+")")
	}
	if p.After != "" {
		var name string
		var id int64
		if err := db.ParseCursor(p.After, &name, &id); err != nil {
			return nil, "", err
		}
		n, i := arg(name), arg(id)
		where = append(where, "(a.name > "+n+" OR (a.name = "+n+" AND a.id > "+i+"))")
	}
	q := `SELECT ` + appColumns + appFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.name, a.id LIMIT " + arg(p.Size()+1)
	rows, err := d.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("apps: list: %w", err)
	}
	defer rows.Close()
	list := []App{}
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, "", fmt.Errorf("apps: list: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("apps: list: %w", err)
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.Name, last.ID)
	}
	return list, next, nil
}

// usedBy lists the agencies that use an application, by name.
func usedBy(ctx context.Context, q db.Querier, appID int64) ([]AgencyRef, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.code, g.name FROM app_agencies u
		JOIN agencies g ON g.id = u.agency_id WHERE u.app_id = $1 ORDER BY g.name, g.id`, appID)
	if err != nil {
		return nil, fmt.Errorf("apps: used by: %w", err)
	}
	defer rows.Close()
	list := []AgencyRef{}
	for rows.Next() {
		var r AgencyRef
		if err := rows.Scan(&r.ID, &r.Code, &r.Name); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// operatorQuery selects the operators of one application. A person who
// left service, or whose account is switched off, operates nothing and is
// not listed (review 2, finding 2).
const operatorQuery = `SELECT g.agency_id, ag.name, e.id, g.account_id, e.name
	FROM role_grants g
	JOIN accounts ac ON ac.id = g.account_id
	JOIN employees e ON e.id = ac.employee_id
	JOIN agencies ag ON ag.id = g.agency_id
	WHERE g.role = 'operator' AND g.app_id = $1 AND ac.active AND e.active
	ORDER BY ag.name, g.agency_id, e.name, e.id`

// operators lists an application's operators ordered by agency name, then
// by the person's name.
func operators(ctx context.Context, q db.Querier, appID int64) ([]Operator, error) {
	rows, err := q.QueryContext(ctx, operatorQuery, appID)
	if err != nil {
		return nil, fmt.Errorf("apps: operators: %w", err)
	}
	defer rows.Close()
	list := []Operator{}
	for rows.Next() {
		var o Operator
		if err := rows.Scan(&o.AgencyID, &o.AgencyName, &o.EmployeeID, &o.AccountID, &o.Name); err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, rows.Err()
}
