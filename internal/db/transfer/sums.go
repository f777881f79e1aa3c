package transfer

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lontara-id/lontara/internal/db"
)

// TableSum is one table's row count and checksum, as a backup's manifest
// records them: the same digest migrate-data compares, so a sum taken on
// one engine equals the sum of the same rows on the other.
type TableSum struct {
	Name   string `json:"name"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Checksums reads every data table of the database at dsn (a SQLite file or
// a postgres:// URL) in one snapshot and returns its schema version and each
// table's count and checksum, sorted by name. It writes nothing.
func Checksums(ctx context.Context, dsn string) (int, []TableSum, error) {
	if !db.IsPostgres(dsn) {
		src, snap, version, err := beginSQLite(ctx, sqlitePath(dsn))
		if err != nil {
			return 0, nil, err
		}
		defer src.Close()
		defer snap.Rollback() // a read transaction: nothing to keep
		sums, err := sqliteSums(ctx, snap)
		return version, sums, err
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return 0, nil, err
	}
	defer d.Close()
	var version int
	var sums []TableSum
	err = onPgConn(ctx, d, func(pc *pgx.Conn) error {
		tx, err := pc.BeginTx(ctx, snapshotTx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) // read only
		if version, err = pgVersion(ctx, tx); err != nil {
			return err
		}
		tables, err := pgTables(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			d, err := pgDigest(ctx, tx, t)
			if err != nil {
				return fmt.Errorf("read %s: %w", t.name, err)
			}
			sums = append(sums, TableSum{Name: t.name, Rows: d.rows, SHA256: d.sum()})
		}
		return nil
	})
	sortSums(sums)
	return version, sums, err
}

// snapshotTx reads a PostgreSQL database as of one moment: every table in
// the same snapshot while the city keeps writing.
var snapshotTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// onPgConn runs fn on one pgx connection of d's writer pool, for what
// database/sql does not offer: COPY and pgx's typed values.
func onPgConn(ctx context.Context, d *db.DB, fn func(*pgx.Conn) error) error {
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

func pgVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	var v *int64
	if err := tx.QueryRow(ctx, `SELECT max(version) FROM `+bookkeeping).Scan(&v); err != nil {
		return 0, fmt.Errorf("not a Lontara database: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return int(*v), nil
}

// sqliteSums digests every data table of a SQLite file's snapshot.
func sqliteSums(ctx context.Context, q *sql.Tx) ([]TableSum, error) {
	tables, err := sqliteTables(ctx, q)
	if err != nil {
		return nil, err
	}
	sums := make([]TableSum, 0, len(tables))
	for _, t := range tables {
		d, err := sqliteDigest(ctx, q, t)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		sums = append(sums, TableSum{Name: t.name, Rows: d.rows, SHA256: d.sum()})
	}
	sortSums(sums)
	return sums, nil
}

// sqliteDigest reads a table of a SQLite file to the end into its digest.
func sqliteDigest(ctx context.Context, q *sql.Tx, t table) (*digest, error) {
	src, err := readSQLite(ctx, q, t)
	if err != nil {
		return nil, err
	}
	defer src.rows.Close()
	for src.Next() {
	}
	return src.d, src.Err()
}

// sortSums orders by name byte by byte, the same on both engines (their
// catalogs sort table names by different collations).
func sortSums(sums []TableSum) {
	slices.SortFunc(sums, func(a, b TableSum) int { return strings.Compare(a.Name, b.Name) })
}

// compareSums describes how got differs from want, table by table; ""
// when they are equal.
func compareSums(want, got []TableSum) string {
	have := map[string]TableSum{}
	for _, s := range got {
		have[s.Name] = s
	}
	var diffs []string
	for _, w := range want {
		g, ok := have[w.Name]
		switch {
		case !ok:
			diffs = append(diffs, w.Name+": missing")
		case g.Rows != w.Rows:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows, the manifest says %d", w.Name, g.Rows, w.Rows))
		case g.SHA256 != w.SHA256:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows as the manifest says, but other content (checksum %.16s, the manifest's %.16s)",
				w.Name, g.Rows, g.SHA256, w.SHA256))
		}
		delete(have, w.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(have)) {
		diffs = append(diffs, name+": not in the manifest")
	}
	return strings.Join(diffs, "; ")
}
