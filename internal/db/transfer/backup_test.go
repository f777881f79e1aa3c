package transfer_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/db/transfer"
)

// TestCatalogsAgree checks that the two engines' migrations describe every
// data table alike as the checksums read them — the same columns, of the
// same kind, in the same order, with the same primary key — so a backup's
// checksums, taken on one engine, hold for its restore on the other. A
// migration that declares a column differently on one engine (INTEGER for
// a BOOLEAN) fails here.
func TestCatalogsAgree(t *testing.T) {
	ctx := context.Background()
	lite := dbtest.SQLite(t) // sqlite-only: compared below with PostgreSQL's catalog
	pg := dbtest.Postgres(t)
	want, err := transfer.Catalog(ctx, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	got, err := transfer.Catalog(ctx, lite.DSN)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("PostgreSQL has %q, SQLite not", l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			t.Errorf("SQLite has %q, PostgreSQL not", l)
		}
	}
	if len(want) < 500 {
		t.Errorf("only %d catalog lines: the catalogs were not read", len(want))
	}
}
