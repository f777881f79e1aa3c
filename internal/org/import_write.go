package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/policy"
)

// write applies the checked rows in the caller's transaction: units and
// positions first (the new ones created), then each person created or
// updated through statements prepared once, then the supervisors that are
// themselves new in the file, now that they have ids.
func (im *importer) write(ctx context.Context, tx *sql.Tx, actor *policy.Actor) error {
	if err := im.resolveNames(ctx, tx); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO employees (agency_id, unit_id, position_id, nip, name,
		front_title, back_title, email, phone, rank, employment_type, supervisor_id, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, TRUE, $13, $13) RETURNING id`)
	if err != nil {
		return err
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE employees SET unit_id = $2, position_id = $3, nip = $4, name = $5,
		front_title = $6, back_title = $7, email = $8, phone = $9, rank = $10, employment_type = $11,
		supervisor_id = $12, updated_at = $13 WHERE id = $1`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, r := range im.rows {
		e := &r.e
		switch r.act {
		case actCreate:
			e.ID, err = insertIDStmt(ctx, ins, e.AgencyID, e.UnitID, e.PositionID, e.NIP, e.Name, e.FrontTitle,
				e.BackTitle, e.Email, e.Phone, e.Rank, e.EmploymentType, e.SupervisorID, im.now)
		case actUpdate:
			_, err = upd.ExecContext(ctx, e.ID, e.UnitID, e.PositionID, e.NIP, e.Name, e.FrontTitle, e.BackTitle,
				e.Email, e.Phone, e.Rank, e.EmploymentType, e.SupervisorID, im.now)
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", r.line, err)
		}
	}
	if err := im.linkSupervisors(ctx, tx); err != nil {
		return err
	}
	return im.audit(ctx, tx, actor)
}

// resolveNames sets the unit and position ids of the rows to write,
// creating the units and positions the database does not have yet.
func (im *importer) resolveNames(ctx context.Context, tx *sql.Tx) error {
	type unitKey struct {
		agency int64
		name   string
	}
	units, positions := map[unitKey]int64{}, map[string]int64{}
	if err := scanPairs(ctx, tx, `SELECT id, agency_id, name FROM units`, func(id, agency int64, name string) {
		units[unitKey{agency, name}] = id
	}); err != nil {
		return err
	}
	if err := scanPairs(ctx, tx, `SELECT id, 0, name FROM positions`, func(id, _ int64, name string) {
		positions[name] = id
	}); err != nil {
		return err
	}
	for _, r := range im.rows {
		if r.act == actNone {
			continue
		}
		e := &r.e
		e.UnitID, e.PositionID = nil, nil
		if e.UnitName != "" {
			k := unitKey{e.AgencyID, e.UnitName}
			if _, ok := units[k]; !ok {
				id, err := EnsureUnit(ctx, tx, e.AgencyID, e.UnitName)
				if err != nil {
					return err
				}
				units[k] = id
			}
			id := units[k]
			e.UnitID = &id
		}
		if e.PositionName != "" {
			if _, ok := positions[e.PositionName]; !ok {
				id, err := EnsurePosition(ctx, tx, e.PositionName)
				if err != nil {
					return err
				}
				positions[e.PositionName] = id
			}
			id := positions[e.PositionName]
			e.PositionID = &id
		}
	}
	return nil
}

func scanPairs(ctx context.Context, tx *sql.Tx, query string, fn func(id, parent int64, name string)) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent int64
		var name string
		if err := rows.Scan(&id, &parent, &name); err != nil {
			return err
		}
		fn(id, parent, name)
	}
	return rows.Err()
}

// linkSupervisors sets the supervisors that were created by this import.
func (im *importer) linkSupervisors(ctx context.Context, tx *sql.Tx) error {
	var st *sql.Stmt
	for _, r := range im.rows {
		if r.supRow == nil {
			continue
		}
		if st == nil {
			var err error
			if st, err = tx.PrepareContext(ctx, `UPDATE employees SET supervisor_id = $2 WHERE id = $1`); err != nil {
				return err
			}
			defer st.Close()
		}
		r.e.SupervisorID = &r.supRow.e.ID
		if _, err := st.ExecContext(ctx, r.e.ID, r.supRow.e.ID); err != nil {
			return fmt.Errorf("line %d: %w", r.line, err)
		}
	}
	return nil
}

// audit records every person the import created or changed.
func (im *importer) audit(ctx context.Context, tx *sql.Tx, actor *policy.Actor) error {
	for _, r := range im.rows {
		if r.act == actNone {
			continue
		}
		entry := audit.Entry{Action: "import", Entity: "employee", EntityID: r.e.ID, AgencyID: r.e.AgencyID, After: r.e}
		if r.old != nil {
			entry.Before = r.old
		}
		if err := audit.Write(ctx, tx, actor, entry); err != nil {
			return err
		}
	}
	return nil
}

// insertIDStmt is db.InsertID for a prepared statement: it drains the
// RETURNING rows rather than leaving them open (see db.InsertID).
func insertIDStmt(ctx context.Context, st *sql.Stmt, args ...any) (int64, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	found := false
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if !found {
		return 0, errors.New("INSERT … RETURNING returned no row")
	}
	return id, rows.Close()
}
