package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// person is what account management needs to know about a person.
type person struct {
	employeeID int64
	agencyID   int64
	active     bool
	accountID  int64 // 0: no account yet
}

// findPerson returns the person with email and their account, if any, or
// sql.ErrNoRows.
func findPerson(ctx context.Context, q db.Querier, email string) (person, error) {
	var p person
	var account sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT e.id, e.agency_id, e.active, a.id FROM employees e
		LEFT JOIN accounts a ON a.employee_id = e.id WHERE e.email = $1`, email).
		Scan(&p.employeeID, &p.agencyID, &p.active, &account)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("auth: find person: %w", err)
	}
	p.accountID = account.Int64
	return p, err
}

func insertAccount(ctx context.Context, q db.Querier, employeeID int64, hash string, now time.Time) (int64, error) {
	id, err := db.InsertID(ctx, q, `INSERT INTO accounts (employee_id, password_hash, locale, active,
		password_changed_at, created_at, updated_at) VALUES ($1, $2, 'id', TRUE, $3, $3, $3) RETURNING id`,
		employeeID, hash, now)
	if err != nil {
		return 0, fmt.Errorf("auth: create account: %w", err)
	}
	return id, nil
}

// agencyIDByCode returns the id of the agency with code, ignoring case as
// the employee import does (an exact match wins), or sql.ErrNoRows.
func agencyIDByCode(ctx context.Context, q db.Querier, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM agencies WHERE upper(code) = upper($1)
		ORDER BY CASE WHEN code = $1 THEN 0 ELSE 1 END, id LIMIT 1`, code).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("auth: find agency %s: %w", code, err)
	}
	return id, err
}

// appIDBySlug returns the id of the application with slug, or sql.ErrNoRows.
func appIDBySlug(ctx context.Context, q db.Querier, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM apps WHERE slug = $1`, slug).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("auth: find app %s: %w", slug, err)
	}
	return id, err
}

// createCityAgency creates the CityAgencyCode agency, for a first
// city-wide account on an empty database.
func createCityAgency(ctx context.Context, tx *sql.Tx, actor *policy.Actor, now time.Time) (int64, error) {
	if err := policy.Check(actor, policy.AgencyWrite, policy.Target{}); err != nil {
		return 0, err
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ($1, $2, 'dinas', $3, $3) RETURNING id`, CityAgencyCode, cityAgencyName, now)
	if err != nil {
		return 0, fmt.Errorf("auth: create agency %s: %w", CityAgencyCode, err)
	}
	after := map[string]any{"id": id, "code": CityAgencyCode, "name": cityAgencyName, "type": "dinas"}
	return id, audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "agency", EntityID: id, AgencyID: id, After: after})
}
