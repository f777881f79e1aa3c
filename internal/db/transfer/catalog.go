package transfer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// bookkeeping is the migrations' own table: each database records what was
// applied to it, and both are at the same version before a move.
const bookkeeping = "schema_migrations"

// copied reports whether a table's rows are moved. Besides the bookkeeping,
// the roll-ups (internal/rollup) stay behind: they are derived from the
// moved rows, the target's own rollup_state says they are not built, and
// its first refresh builds them from every row — copying them would clash
// with the marks the target's triggers write while the rows arrive.
func copied(name string) bool {
	switch name {
	case bookkeeping, "rollup_days", "rollup_dirty", "rollup_state":
		return false
	}
	return true
}

// column is a column both engines hold. PostgreSQL-only generated columns
// (search_docs.tsv, the full-text vector) are not copied: PostgreSQL
// computes them from the copied text, and its GIN index with them.
type column struct {
	name string
	kind kind
}

// table is a table to copy, as PostgreSQL's catalog describes it.
type table struct {
	name   string
	cols   []column
	pk     []string // the primary key; empty: order by every column
	serial []string // columns drawing on a sequence (identity or serial)
}

// order is the ORDER BY that gives both engines the same row order: text
// compared byte by byte (SQLite's BINARY, PostgreSQL's "C" collation) and
// NULLs first, as SQLite puts them.
func (t table) order(pg bool) string {
	keys := t.pk
	if len(keys) == 0 {
		for _, c := range t.cols {
			keys = append(keys, c.name)
		}
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = quote(k)
		if pg {
			if t.kindOf(k) == kindText {
				parts[i] += ` COLLATE "C"`
			}
			parts[i] += " NULLS FIRST"
		}
	}
	return strings.Join(parts, ", ")
}

// sortColumns puts the columns in order of name: the order a row's values
// enter its checksum, which must not depend on the engine (a column added
// to a PostgreSQL table comes last, SQLite's rebuilt table may have it
// elsewhere).
func (t *table) sortColumns() {
	slices.SortFunc(t.cols, func(a, b column) int { return strings.Compare(a.name, b.name) })
}

func (t table) kindOf(name string) kind {
	for _, c := range t.cols {
		if c.name == name {
			return c.kind
		}
	}
	return kindText
}

func (t table) columnList() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = quote(c.name)
	}
	return strings.Join(names, ", ")
}

func (t table) selectSQL(pg bool) string {
	return "SELECT " + t.columnList() + " FROM " + quote(t.name) + " ORDER BY " + t.order(pg)
}

// quote quotes an identifier for either engine.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// pgTables reads the tables of the connection's current schema from
// PostgreSQL's catalog, in alphabetical order.
func pgTables(ctx context.Context, q pgx.Tx) ([]table, error) {
	byName := map[string]*table{}
	var names []string
	rows, err := q.Query(ctx, `SELECT c.table_name, c.column_name, c.data_type,
			c.is_identity = 'YES' OR coalesce(c.column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns c JOIN information_schema.tables t
			ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
			AND c.is_generated = 'NEVER'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("read the target's catalog: %w", err)
	}
	for rows.Next() {
		var tname, cname, dataType string
		var serial bool
		if err := rows.Scan(&tname, &cname, &dataType, &serial); err != nil {
			rows.Close()
			return nil, err
		}
		if !copied(tname) {
			continue
		}
		t := byName[tname]
		if t == nil {
			t = &table{name: tname}
			byName[tname] = t
			names = append(names, tname)
		}
		k, ok := kindOf(dataType)
		if !ok {
			rows.Close()
			return nil, fmt.Errorf("%s.%s: type %s is not one migrate-data knows how to copy", tname, cname, dataType)
		}
		t.cols = append(t.cols, column{name: cname, kind: k})
		if serial {
			t.serial = append(t.serial, cname)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the target's catalog: %w", err)
	}
	if err := pgKeys(ctx, q, byName); err != nil {
		return nil, err
	}
	tables := make([]table, len(names))
	for i, n := range names {
		tables[i] = *byName[n]
		tables[i].sortColumns()
	}
	return tables, nil
}

// pgKeys fills in each table's primary key.
func pgKeys(ctx context.Context, q pgx.Tx, byName map[string]*table) error {
	rows, err := q.Query(ctx, `SELECT (SELECT relname::text FROM pg_class WHERE oid = c.conrelid),
			array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)
		FROM pg_constraint c
		WHERE c.connamespace = current_schema()::regnamespace AND c.contype = 'p'`)
	if err != nil {
		return fmt.Errorf("read the target's keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tname string
		var cols []string
		if err := rows.Scan(&tname, &cols); err != nil {
			return err
		}
		if t := byName[tname]; t != nil {
			t.pk = cols
		}
	}
	return rows.Err()
}

// foreignKey is a foreign-key constraint of the target, as PostgreSQL
// would recreate it.
type foreignKey struct{ table, name, def string }

// dropForeignKeys drops the target's foreign keys for the copy and returns
// them, to be added again after it. Checking a foreign key row by row costs
// COPY most of its time (the 392,000 survey answers of `lontara demo --scale city`: 22 s
// against 2); adding it
// again checks all rows at once, and refuses the data if any row breaks it.
// Being in the copy's transaction, the drop is undone by any failure.
func dropForeignKeys(ctx context.Context, tx pgx.Tx) ([]foreignKey, error) {
	rows, err := tx.Query(ctx, `SELECT (SELECT relname::text FROM pg_class WHERE oid = c.conrelid), c.conname::text,
			pg_get_constraintdef(c.oid)
		FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype = 'f'
		ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("read the target's foreign keys: %w", err)
	}
	fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (foreignKey, error) {
		var fk foreignKey
		return fk, r.Scan(&fk.table, &fk.name, &fk.def)
	})
	if err != nil {
		return nil, fmt.Errorf("read the target's foreign keys: %w", err)
	}
	for _, fk := range fks {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quote(fk.table)+" DROP CONSTRAINT "+quote(fk.name)); err != nil {
			return nil, fmt.Errorf("drop %s for the copy: %w", fk.name, err)
		}
	}
	return fks, nil
}

// addForeignKeys adds the foreign keys again, each checked over its table.
func addForeignKeys(ctx context.Context, tx pgx.Tx, fks []foreignKey) error {
	for _, fk := range fks {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quote(fk.table)+" ADD CONSTRAINT "+quote(fk.name)+" "+fk.def); err != nil {
			return fmt.Errorf("the copied %s break their foreign key %s: %w", fk.table, fk.name, err)
		}
	}
	return nil
}

// checkSQLiteTables checks that the SQLite file holds the same tables and
// columns as the target. Its own machinery is not data: SQLite's internal
// tables (sqlite_sequence, sqlite_stat1), and the full-text index — FTS5's
// virtual table and the shadow tables behind it, which PostgreSQL replaces
// with its generated tsvector column and GIN index.
func checkSQLiteTables(ctx context.Context, q *sql.Tx, tables []table) error {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY name`)
	if err != nil {
		return fmt.Errorf("read the SQLite file's tables: %w", err)
	}
	var have []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		if !copied(n) {
			continue
		}
		have = append(have, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, t := range tables {
		want[t.name] = true
		if !slices.Contains(have, t.name) {
			return fmt.Errorf("the SQLite file has no table %s, which the target has", t.name)
		}
		if err := checkSQLiteColumns(ctx, q, t); err != nil {
			return err
		}
	}
	for _, n := range have {
		if !want[n] {
			return fmt.Errorf("the SQLite file has a table %s that the target lacks", n)
		}
	}
	return nil
}

func checkSQLiteColumns(ctx context.Context, q *sql.Tx, t table) error {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info($1)`, t.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		if !slices.ContainsFunc(t.cols, func(col column) bool { return col.name == c }) {
			return fmt.Errorf("the SQLite file's table %s has a column %s that the target lacks", t.name, c)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(t.cols) {
		return fmt.Errorf("the SQLite file's table %s has %d columns, the target's %d", t.name, n, len(t.cols))
	}
	return nil
}

// sqliteKinds maps the column types Lontara's SQLite migrations declare to
// the kind of the PostgreSQL twin column, so a table's checksum comes out
// the same read from either engine (TestCatalogsAgree holds the two
// catalogs together).
var sqliteKinds = map[string]kind{
	"INTEGER": kindInt, "BIGINT": kindInt,
	"BOOLEAN":   kindBool,
	"TIMESTAMP": kindTime,
	"DATE":      kindDate,
	"REAL":      kindFloat,
	"TEXT":      kindText,
	"BLOB":      kindBytes,
}

// sqliteTables reads the data tables of a SQLite file — every table
// copied, without SQLite's and FTS5's own — from its catalog, in the order
// pgTables gives: alphabetical, columns as declared.
func sqliteTables(ctx context.Context, q *sql.Tx) ([]table, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.name, c.name, upper(c.type), c.pk
		FROM pragma_table_list t, pragma_table_info(t.name) c
		WHERE t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY t.name, c.cid`)
	if err != nil {
		return nil, fmt.Errorf("read the SQLite file's tables: %w", err)
	}
	defer rows.Close()
	var tables []table
	var pks [][]string // per table, the key's columns by their position in it
	for rows.Next() {
		var tname, cname, typ string
		var pk int
		if err := rows.Scan(&tname, &cname, &typ, &pk); err != nil {
			return nil, err
		}
		if !copied(tname) {
			continue
		}
		if len(tables) == 0 || tables[len(tables)-1].name != tname {
			tables = append(tables, table{name: tname})
			pks = append(pks, nil)
		}
		k, ok := sqliteKinds[typ]
		if !ok {
			return nil, fmt.Errorf("%s.%s: type %q is not one Lontara's SQLite migrations use", tname, cname, typ)
		}
		t := &tables[len(tables)-1]
		t.cols = append(t.cols, column{name: cname, kind: k})
		if pk > 0 {
			key := &pks[len(pks)-1]
			for len(*key) < pk {
				*key = append(*key, "")
			}
			(*key)[pk-1] = cname
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the SQLite file's tables: %w", err)
	}
	for i := range tables {
		tables[i].pk = pks[i]
		tables[i].sortColumns()
	}
	return tables, nil
}
