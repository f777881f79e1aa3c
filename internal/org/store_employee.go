package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// employeeSelect reads a person with the names of their agency, unit and
// position in one query; every read of employees goes through it.
const employeeSelect = `SELECT e.id, e.agency_id, a.name, e.unit_id, COALESCE(u.name, ''), e.position_id,
	COALESCE(p.name, ''), e.nip, e.name, e.front_title, e.back_title, e.email, e.phone, e.rank,
	e.employment_type, e.supervisor_id, e.active, e.end_reason, e.ended_on, e.created_at, e.updated_at
	FROM employees e
	JOIN agencies a ON a.id = e.agency_id
	LEFT JOIN units u ON u.id = e.unit_id
	LEFT JOIN positions p ON p.id = e.position_id`

func scanEmployee(row interface{ Scan(...any) error }) (Employee, error) {
	var e Employee
	err := row.Scan(&e.ID, &e.AgencyID, &e.AgencyName, &e.UnitID, &e.UnitName, &e.PositionID,
		&e.PositionName, &e.NIP, &e.Name, &e.FrontTitle, &e.BackTitle, &e.Email, &e.Phone, &e.Rank,
		&e.EmploymentType, &e.SupervisorID, &e.Active, &e.EndReason, &e.EndedOn, &e.CreatedAt, &e.UpdatedAt)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if e.EndedOn != nil {
		d := dateOf(*e.EndedOn)
		e.EndedOn = &d
	}
	return e, err
}

// dateOf drops the time of day and zone that the engines attach to a DATE.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// heldEmployee holds person id's row until tx ends, then reads them: the
// changes of one person (an edit, a transfer, a deactivation) take turns,
// each reading what the one before left, so two at once neither both pass
// a check that only one should (a transfer recorded twice) nor write back
// what the other changed.
func heldEmployee(ctx context.Context, tx db.Querier, id int64) (Employee, error) {
	if err := db.HoldRow(ctx, tx, "employees", id); err != nil {
		return Employee{}, err
	}
	return findEmployee(ctx, tx, "e.id", id)
}

// findEmployee reads one person by a unique column ("e.id", "e.nip", "e.email").
func findEmployee(ctx context.Context, q db.Querier, col string, val any) (Employee, error) {
	e, err := scanEmployee(q.QueryRowContext(ctx, employeeSelect+" WHERE "+col+" = $1", val))
	if errors.Is(err, sql.ErrNoRows) {
		return Employee{}, errs.New(errs.NotFound, "employee.not_found")
	}
	if err != nil {
		return Employee{}, fmt.Errorf("org: read employee: %w", err)
	}
	return e, nil
}

// insertEmployee writes a new person whose unit and position ids are resolved.
func insertEmployee(ctx context.Context, q db.Querier, e *Employee, now time.Time) (int64, error) {
	return db.InsertID(ctx, q, `INSERT INTO employees (agency_id, unit_id, position_id, nip, name,
		front_title, back_title, email, phone, rank, employment_type, supervisor_id, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, TRUE, $13, $13) RETURNING id`,
		e.AgencyID, e.UnitID, e.PositionID, e.NIP, e.Name, e.FrontTitle, e.BackTitle, e.Email, e.Phone,
		e.Rank, e.EmploymentType, e.SupervisorID, now)
}

// updateEmployee writes the editable fields of a person.
func updateEmployee(ctx context.Context, q db.Querier, e *Employee, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE employees SET agency_id = $2, unit_id = $3, position_id = $4,
		nip = $5, name = $6, front_title = $7, back_title = $8, email = $9, phone = $10, rank = $11,
		employment_type = $12, supervisor_id = $13, updated_at = $14 WHERE id = $1`,
		e.ID, e.AgencyID, e.UnitID, e.PositionID, e.NIP, e.Name, e.FrontTitle, e.BackTitle, e.Email,
		e.Phone, e.Rank, e.EmploymentType, e.SupervisorID, now)
	return err
}

// exists reports whether a row with id is in table (a constant name).
func exists(ctx context.Context, q db.Querier, table string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE id = $1", id).Scan(&n)
	return n > 0, err
}

// takenBy reports whether another person than self already has val in col
// ("nip" or "email").
func takenBy(ctx context.Context, q db.Querier, col, val string, self int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM employees WHERE "+col+" = $1 AND id <> $2", val, self).Scan(&n)
	return n > 0, err
}

// EnsureUnit returns the id of the unit called name in the agency, creating
// it when it does not exist yet. ON CONFLICT keeps two concurrent imports
// from failing on each other.
func EnsureUnit(ctx context.Context, q db.Querier, agencyID int64, name string) (int64, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO units (agency_id, name, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (agency_id, name) DO NOTHING`, agencyID, name, time.Now().UTC()); err != nil {
		return 0, fmt.Errorf("org: create unit: %w", err)
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM units WHERE agency_id = $1 AND name = $2`, agencyID, name).Scan(&id)
	return id, err
}

// EnsurePosition returns the id of the position called name, creating it
// when it does not exist yet.
func EnsurePosition(ctx context.Context, q db.Querier, name string) (int64, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO positions (name, created_at) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, time.Now().UTC()); err != nil {
		return 0, fmt.Errorf("org: create position: %w", err)
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM positions WHERE name = $1`, name).Scan(&id)
	return id, err
}

// EmployeeFilter selects people; nil fields do not filter.
type EmployeeFilter struct {
	AgencyID       *int64
	UnitID         *int64
	Query          *string // contained in the name (or the NIP, for readers allowed to see it), ignoring case
	EmploymentType *string
	Active         *bool
}

// listEmployees reads one page of people ordered by name and id. It fetches
// one row more than the page to know whether another page follows. The
// query matches NIPs only when byNIP is set.
func listEmployees(ctx context.Context, d *db.DB, f EmployeeFilter, byNIP bool, p db.Page) ([]Employee, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.AgencyID != nil {
		where = append(where, "e.agency_id = "+arg(*f.AgencyID))
	}
	if f.UnitID != nil {
		where = append(where, "e.unit_id = "+arg(*f.UnitID))
	}
	if f.EmploymentType != nil {
		where = append(where, "e.employment_type = "+arg(*f.EmploymentType))
	}
	if f.Active != nil {
		where = append(where, "e.active = "+arg(*f.Active))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		cond := d.Dialect.ContainsFold("e.name", q)
		if byNIP {
			cond = "(" + cond + " OR " + d.Dialect.ContainsFold("e.nip", q) + ")"
		}
		where = append(where, cond)
	}
	if p.After != "" {
		var name string
		var id int64
		if err := db.ParseCursor(p.After, &name, &id); err != nil {
			return nil, "", err
		}
		where = append(where, "(e.name, e.id) > ("+arg(name)+", "+arg(id)+")")
	}
	query := employeeSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY e.name, e.id LIMIT " + arg(p.Size()+1)
	rows, err := d.Cached().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("org: list employees: %w", err)
	}
	defer rows.Close()
	list := make([]Employee, 0, p.Size()+1)
	for rows.Next() {
		e, err := scanEmployee(rows)
		if err != nil {
			return nil, "", fmt.Errorf("org: list employees: %w", err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("org: list employees: %w", err)
	}
	if len(list) <= p.Size() {
		return list, "", nil
	}
	list = list[:p.Size()]
	last := list[len(list)-1]
	return list, db.Cursor(last.Name, last.ID), nil
}
