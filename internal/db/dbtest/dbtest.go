// Package dbtest gives each test a fresh, migrated database on each engine:
// a new SQLite file in the test's temp directory, and — when LONTARA_TEST_PG
// holds a PostgreSQL URL — a new schema in that database, dropped afterwards.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/testenv"
)

// PGEnv names the variable that holds the PostgreSQL server for tests.
const PGEnv = "LONTARA_TEST_PG"

// Each runs fn as two subtests, "sqlite" and "postgres", each with its own
// fresh database. The postgres subtest skips (or fails under
// LONTARA_TEST_STRICT=1) when LONTARA_TEST_PG is not set.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// Both returns a fresh database on each engine, for a fuzz target: it
// cannot run a subtest per engine as Each does, so it runs every input on
// each. Without LONTARA_TEST_PG it gives SQLite alone and says so, except
// under LONTARA_TEST_STRICT=1, where it fails as Postgres does.
func Both(t testing.TB) []*db.DB {
	t.Helper()
	ds := []*db.DB{SQLite(t)}
	if os.Getenv(PGEnv) == "" && !testenv.Strict() {
		t.Logf("PostgreSQL not available: on SQLite only; to run on both: %s=postgres://user@host:port/db?sslmode=disable", PGEnv)
		return ds
	}
	return append(ds, Postgres(t))
}

// SQLite returns a fresh migrated SQLite database in t's temp directory.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "lontara.db"))
}

// Postgres returns a fresh migrated PostgreSQL schema of its own.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	base := os.Getenv(PGEnv)
	if base == "" {
		testenv.Missing(t, "PostgreSQL", PGEnv+"=postgres://user@host:port/db?sslmode=disable go test ./...")
	}
	dsn, drop := NewSchema(t, base)
	t.Cleanup(drop)
	return open(t, dsn)
}

// DSN returns a database address for tests that start the program themselves:
// a new SQLite path, or a new PostgreSQL schema when engine is db.Postgres.
func DSN(t testing.TB, engine db.Engine) string {
	t.Helper()
	if engine == db.SQLite {
		return filepath.Join(t.TempDir(), "lontara.db")
	}
	base := os.Getenv(PGEnv)
	if base == "" {
		testenv.Missing(t, "PostgreSQL", PGEnv+"=postgres://user@host:port/db?sslmode=disable go test ./...")
	}
	dsn, drop := NewSchema(t, base)
	t.Cleanup(drop)
	return dsn
}

// Nodes returns one fresh migrated database opened n times, as n Lontara
// nodes sharing it open it: each *db.DB has its own pools and, on
// PostgreSQL, its own change listener once started.
func Nodes(t testing.TB, engine db.Engine, n int) []*db.DB {
	t.Helper()
	dsn := DSN(t, engine)
	nodes := make([]*db.DB, n)
	for i := range nodes {
		nodes[i] = open(t, dsn)
	}
	return nodes
}

// NewSchema creates a schema with a random name in the database at base and
// returns a URL whose connections use it, and a function that drops it.
func NewSchema(t testing.TB, base string) (dsn string, drop func()) {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := db.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	if _, err := admin.W.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("dbtest: create schema: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", PGEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = admin.W.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	}
}

func open(t testing.TB, dsn string) *db.DB {
	t.Helper()
	d, err := db.OpenMigrated(context.Background(), dsn)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
