package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestMigrateRefusesBeforeChangingAnything tampers with schema_migrations
// as each kind of database this binary must not migrate would hold it, and
// checks that Migrate and Plan refuse it with a message naming the
// migrations, and that the schema and schema_migrations are as they were.
func TestMigrateRefusesBeforeChangingAnything(t *testing.T) {
	cases := []struct {
		name   string
		tamper string // SQL run on an up-to-date database ($1 is now)
		want   string
	}{
		{"newer Lontara", `INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (9999, '9999_future', $1, 'x')`,
			"newer than this lontara's"},
		{"another build's migration", `INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (30, '0030_elsewhere', $1, 'x')`,
			"migrations this lontara does not know: 0030_elsewhere"},
		{"a gap", `DELETE FROM schema_migrations WHERE version = 10 AND applied_at <= $1`,
			"lacks migrations older than its version"},
		{"another name", `UPDATE schema_migrations SET name = '0005_other' WHERE version = 5 AND applied_at <= $1`,
			"migration 0005 was applied as 0005_other, but this lontara's is 0005_notifications"},
		{"other SQL", `UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 12 AND applied_at <= $1`,
			"0012_report_backlog was applied with other SQL"},
		{"tables without a record", `DELETE FROM schema_migrations WHERE applied_at <= $1`,
			"no record of Lontara's migrations"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var book []any // schema_migrations as Migrate left it, put back after each case
		rows, err := d.R.QueryContext(ctx, `SELECT version, name, applied_at, checksum FROM schema_migrations`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v int
			var name, sum string
			var at time.Time
			if err := rows.Scan(&v, &name, &at, &sum); err != nil {
				t.Fatal(err)
			}
			book = append(book, []any{v, name, at, sum})
		}
		rows.Close()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := d.W.ExecContext(ctx, c.tamper, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				before := snapshot(t, d.W, d.Engine())
				_, err := d.Migrate(ctx)
				var refused *db.RefusedError
				if !errors.As(err, &refused) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("Migrate: %v; want a refusal saying %q", err, c.want)
				}
				if _, err := d.Plan(ctx); !errors.As(err, &refused) {
					t.Errorf("Plan: %v; want the same refusal", err)
				}
				if after := snapshot(t, d.W, d.Engine()); after != before {
					t.Errorf("the refused database changed:\n%s", diff(before, after))
				}
				err = d.Tx(ctx, func(tx *sql.Tx) error {
					if _, err := tx.ExecContext(ctx, `DELETE FROM schema_migrations`); err != nil {
						return err
					}
					for _, r := range book {
						if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at, checksum)
							VALUES ($1, $2, $3, $4)`, r.([]any)...); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// TestAFailingMigrationLeavesTheDatabaseAsItWas brings a database to
// version 39, then makes 0043 fail: 0040 and 0041, applied before it in the
// same batch, are undone too, and the database stays at 39.
func TestAFailingMigrationLeavesTheDatabaseAsItWas(t *testing.T) {
	const from, failing = 39, "0043_role_grants_role"
	eachEmpty(t, func(t *testing.T, ctx context.Context, d *db.DB) {
		if _, err := d.MigrateTo(ctx, from); err != nil {
			t.Fatal(err)
		}
		// 0043 creates an index of this name; a table in the way makes it fail.
		if _, err := d.W.ExecContext(ctx, `CREATE TABLE role_grants_role (x INTEGER)`); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, d.W, d.Engine())
		plan, err := d.Plan(ctx)
		if err != nil || plan.Version != from || len(plan.Pending) == 0 || plan.Pending[0].Version != 40 {
			t.Fatalf("plan: version %d, %d pending, %v; want 0040 next after version %d", plan.Version, len(plan.Pending), err, from)
		}
		_, err = d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), failing) ||
			!strings.Contains(err.Error(), fmt.Sprintf("stays at version %d", from)) {
			t.Fatalf("Migrate: %v; want the failure of %s", err, failing)
		}
		if after := snapshot(t, d.W, d.Engine()); after != before {
			t.Errorf("the failed batch left changes:\n%s", diff(before, after))
		}
	})
}

// TestChecksumsAreRecordedOnDatabasesFromBeforeThem removes the checksum
// column as a Lontara before checksums left schema_migrations: Migrate adds
// it back and fills it, and then notices a changed migration.
func TestChecksumsAreRecordedOnDatabasesFromBeforeThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.W.ExecContext(ctx, `ALTER TABLE schema_migrations DROP COLUMN checksum`); err != nil {
			t.Fatal(err)
		}
		if applied, err := d.Migrate(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("Migrate: %v, %v; want nothing applied", applied, err)
		}
		list, err := db.Migrations(d.Engine())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list {
			var sum string
			if err := d.R.QueryRowContext(ctx, `SELECT checksum FROM schema_migrations WHERE version = $1`, m.Version).Scan(&sum); err != nil || sum != m.Checksum() {
				t.Errorf("%s: checksum %q, %v; want %q", m.Name, sum, err, m.Checksum())
			}
		}
	})
}

// snapshot writes down the schema (tables, columns, indexes, triggers) and
// schema_migrations as the database holds them.
func snapshot(t *testing.T, q db.Querier, engine db.Engine) string {
	t.Helper()
	queries := []string{
		`SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name`,
		`SELECT version || ' ' || name || ' ' || applied_at || ' ' || COALESCE(checksum, '-') FROM schema_migrations ORDER BY version`,
	}
	if engine == db.Postgres {
		queries[0] = `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || COALESCE(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema()
			UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT trigger_name || ' ' || event_object_table || ' ' || event_manipulation
			FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY 1`
	}
	var b strings.Builder
	for _, query := range queries {
		rows, err := q.QueryContext(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// diff lists the lines only one of the snapshots holds.
func diff(before, after string) string {
	in := func(s string) map[string]bool {
		set := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			set[l] = true
		}
		return set
	}
	b, a := in(before), in(after)
	var out []string
	for l := range b {
		if !a[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range a {
		if !b[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
