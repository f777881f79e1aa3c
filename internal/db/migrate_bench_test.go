package db_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// BenchmarkMigrateFresh measures what every test pays for its fresh
// database: opening it and applying every migration, on each engine.
func BenchmarkMigrateFresh(b *testing.B) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for b.Loop() {
				d, err := db.OpenMigrated(context.Background(), dbtest.DSN(b, engine))
				if err != nil {
					b.Fatal(err)
				}
				d.Close()
			}
		})
	}
}
