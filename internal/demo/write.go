package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// batchParams bounds the parameters of one multi-row INSERT. SQLite allows
// 32,766 and PostgreSQL 65,535, but binding $N parameters in modernc's
// driver grows faster than linearly with their number: 2,000 employees in
// one statement of 29,000 parameters took 3 s, in statements of about
// 1,000 parameters 80 ms (measured on these machines). PostgreSQL gains from
// the largest statements, fewer round trips.
func batchParams(e db.Engine) int {
	if e == db.Postgres {
		return 30000
	}
	return 1000
}

// write inserts the data set in the transaction. Ids come from the data
// set; accounts and the employee role are derived from the employees in one
// statement each, which is much faster than binding them row by row.
func write(ctx context.Context, tx *sql.Tx, d *db.DB, ds *dataset, hash string) error {
	now, engine := time.Now().UTC(), d.Engine()
	steps := []func() error{
		func() error {
			return bulk(ctx, tx, engine, "agencies", []string{"id", "code", "name", "type", "parent_id", "created_at", "updated_at"},
				len(ds.Agencies), func(i int, a []any) []any {
					r := ds.Agencies[i]
					return append(a, r.ID, r.Code, r.Name, r.Type, db.NullID(r.ParentID), now, now)
				})
		},
		func() error {
			return bulk(ctx, tx, engine, "units", []string{"id", "agency_id", "name", "created_at"}, len(ds.Units),
				func(i int, a []any) []any {
					r := ds.Units[i]
					return append(a, r.ID, r.AgencyID, r.Name, now)
				})
		},
		func() error {
			return bulk(ctx, tx, engine, "positions", []string{"id", "name", "created_at"}, len(ds.Positions),
				func(i int, a []any) []any { return append(a, int64(i+1), ds.Positions[i], now) })
		},
		func() error { return writeEmployees(ctx, tx, engine, ds, now) },
		func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, employee_id, password_hash, password_changed_at,
				created_at, updated_at) SELECT id, id, $1, $2, $2, $2 FROM employees`, hash, now)
			return err
		},
		func() error {
			_, err := tx.ExecContext(ctx, `INSERT INTO role_grants (account_id, role, agency_id, created_at)
				SELECT id, 'employee', agency_id, $1 FROM employees`, now)
			return err
		},
		func() error { return writeApps(ctx, tx, engine, ds, now) },
		func() error {
			return bulk(ctx, tx, engine, "role_grants", []string{"account_id", "role", "agency_id", "app_id", "created_at"},
				len(ds.Grants), func(i int, a []any) []any {
					g := ds.Grants[i]
					return append(a, g.AccountID, g.Role, db.NullID(g.AgencyID), db.NullID(g.AppID), now)
				})
		},
		func() error { return writeHelpdesk(ctx, tx, engine, ds, now) },
		func() error { return writeKnowledge(ctx, tx, ds, now) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("demo: insert: %w", err)
		}
	}
	if engine == db.Postgres {
		return resetSequences(ctx, tx)
	}
	return nil
}

func writeEmployees(ctx context.Context, tx *sql.Tx, engine db.Engine, ds *dataset, now time.Time) error {
	cols := []string{"id", "agency_id", "unit_id", "position_id", "nip", "name", "front_title", "back_title", "email",
		"phone", "rank", "employment_type", "supervisor_id", "created_at", "updated_at"}
	return bulk(ctx, tx, engine, "employees", cols, len(ds.Employees), func(i int, a []any) []any {
		e := ds.Employees[i]
		var nip any
		if e.NIP != "" {
			nip = e.NIP
		}
		return append(a, e.ID, e.AgencyID, db.NullID(e.UnitID), e.PositionID, nip, e.Name, e.Front, e.Back, e.Email,
			e.Phone, e.Rank, e.Type, db.NullID(e.SupervisorID), now, now)
	})
}

func writeApps(ctx context.Context, tx *sql.Tx, engine db.Engine, ds *dataset, now time.Time) error {
	cols := []string{"id", "slug", "name", "owner_agency_id", "status", "url", "description", "created_at", "updated_at"}
	err := bulk(ctx, tx, engine, "apps", cols, len(ds.Apps), func(i int, a []any) []any {
		r := ds.Apps[i]
		return append(a, r.ID, r.Slug, r.Name, r.Owner, r.Status, r.URL, r.Description, now, now)
	})
	if err != nil {
		return err
	}
	var pairs [][2]int64
	for _, a := range ds.Apps {
		for _, u := range a.Users {
			pairs = append(pairs, [2]int64{a.ID, u})
		}
	}
	return bulk(ctx, tx, engine, "app_agencies", []string{"app_id", "agency_id"}, len(pairs),
		func(i int, a []any) []any { return append(a, pairs[i][0], pairs[i][1]) })
}

// resetSequences moves PostgreSQL's identity sequences past the ids the
// data set assigned, so the next row inserted normally gets a free id.
func resetSequences(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"agencies", "units", "positions", "employees", "accounts", "apps"} {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
			(SELECT COALESCE(max(id), 0) + 1 FROM `+t+`), false)`); err != nil {
			return fmt.Errorf("demo: reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// bulk inserts n rows into table, batchParams parameters per statement;
// row appends the values of row i to args.
func bulk(ctx context.Context, tx *sql.Tx, engine db.Engine, table string, cols []string, n int, row func(i int, args []any) []any) error {
	i := 0
	return insertStream(ctx, tx, engine, table, cols, func(args []any) ([]any, bool) {
		if i == n {
			return args, false
		}
		i++
		return row(i-1, args), true
	})
}

// insertStream inserts the rows next gives (it appends a row's values to
// args, or returns false at the end) into table, batchParams parameters
// per statement. The statement for a full batch is prepared once.
func insertStream(ctx context.Context, tx *sql.Tx, engine db.Engine, table string, cols []string, next func(args []any) ([]any, bool)) error {
	per := max(1, batchParams(engine)/len(cols))
	args := make([]any, 0, per*len(cols))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for more := true; more; {
		args = args[:0]
		rows := 0
		for rows < per {
			var ok bool
			if args, ok = next(args); !ok {
				more = false
				break
			}
			rows++
		}
		var err error
		switch {
		case rows == 0:
			continue
		case rows < per:
			_, err = tx.ExecContext(ctx, insertSQL(table, cols, rows), args...)
		default:
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(table, cols, per)); err != nil {
					return fmt.Errorf("%s: %w", table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// insertSQL writes INSERT INTO table (cols) VALUES ($1, …), (…) for rows rows.
func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.Grow(rows * len(cols) * 8)
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}
