package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// migrateUpTo brings a new database to version last only, so a test can
// hold data as an older Lontara wrote it.
func migrateUpTo(t *testing.T, ctx context.Context, d *db.DB, last int) {
	t.Helper()
	if _, err := d.MigrateTo(ctx, last); err != nil {
		t.Fatal(err)
	}
}

// TestTheArticleWorkflowMigrationKeepsArticlesAndTheirViews upgrades a
// database holding an article "in_review" and a view of it through
// migration 0013, which on SQLite rebuilds both tables: the article comes
// out "review" at version 1 and its view survives, still tied to it.
func TestTheArticleWorkflowMigrationKeepsArticlesAndTheirViews(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dbtest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			migrateUpTo(t, ctx, d, 12)
			agency := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
			_, account := dbtest.Person(t, d, agency, "Nur'aini Dottoro'ta", "nuraini@makassarkota.go.id")
			now := time.Now().UTC()
			article, err := db.InsertID(ctx, d.W, `INSERT INTO articles (title, body, status, origin_kind, origin_id,
				author_account_id, created_at, updated_at) VALUES ('Cara masuk SIMPEG', 'Buka portal', 'in_review',
				'ticket', 7, $1, $2, $2) RETURNING id`, account, now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.W.ExecContext(ctx, `INSERT INTO article_views (article_id, account_id, viewed_at, window_ends_at)
				VALUES ($1, $2, $3, $4)`, article, account, now, now.Add(72*time.Hour)); err != nil {
				t.Fatal(err)
			}

			if _, err := d.Migrate(ctx); err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			var status string
			var version, views int
			if err := d.R.QueryRowContext(ctx, `SELECT a.status, a.version, (SELECT count(*) FROM article_views v
				WHERE v.article_id = a.id) FROM articles a WHERE a.id = $1`, article).Scan(&status, &version, &views); err != nil {
				t.Fatal(err)
			}
			if status != "review" || version != 1 || views != 1 {
				t.Errorf("after the upgrade: status %q, version %d, %d views; want review, 1, 1", status, version, views)
			}
			// The view still references the (rebuilt) articles table.
			if _, err := d.W.ExecContext(ctx, `DELETE FROM articles WHERE id = $1`, article); err != nil {
				t.Fatal(err)
			}
			var left int
			if err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM article_views`).Scan(&left); err != nil || left != 0 {
				t.Errorf("views left after deleting their article: %d, %v", left, err)
			}
		})
	}
}
