package transfer

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/db"
)

// SetBeforeVerify sets the seam between the copy and the verification
// until the returned function restores it.
func SetBeforeVerify(f func(ctx context.Context, tx pgx.Tx) error) (restore func()) {
	old := beforeVerify
	beforeVerify = f
	return func() { beforeVerify = old }
}

// Canonical is a value's canonical text after normalizing it as the column
// kind of PostgreSQL's dataType, as the checksums encode it.
func Canonical(dataType string, v any) (string, error) {
	k, ok := kindOf(dataType)
	if !ok {
		return "", errUnknownType
	}
	n, err := normalize(k, v)
	if err != nil || n == nil {
		return "NULL", err
	}
	return string(canonical(k, n, nil)), nil
}

var errUnknownType = errors.New("unknown type")

// Catalog describes the data tables of the database at dsn as the
// checksums see them: a line per column, "table.column kind", in the order
// a row's values are digested, with the primary key after each table.
func Catalog(ctx context.Context, dsn string) ([]string, error) {
	var tables []table
	var err error
	if db.IsPostgres(dsn) {
		d, err := db.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer d.Close()
		err = onPgConn(ctx, d, func(pc *pgx.Conn) error {
			tx, err := pc.BeginTx(ctx, snapshotTx)
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx)
			tables, err = pgTables(ctx, tx)
			return err
		})
		if err != nil {
			return nil, err
		}
	} else {
		src, snap, _, err := beginSQLite(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer src.Close()
		defer snap.Rollback()
		if tables, err = sqliteTables(ctx, snap); err != nil {
			return nil, err
		}
	}
	var lines []string
	for _, t := range tables {
		for _, c := range t.cols {
			lines = append(lines, fmt.Sprintf("%s.%s %d", t.name, c.name, c.kind))
		}
		lines = append(lines, fmt.Sprintf("%s key %v", t.name, t.pk))
	}
	slices.Sort(lines)
	return lines, err
}
