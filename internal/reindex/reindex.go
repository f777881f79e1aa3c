// Package reindex fills the search index from its owners' rows: the help
// desk's tickets, the knowledge base's articles and the discussions' posts.
// Owners Put their documents as they change them (package search), and
// the text is analysed in Go, so a migration cannot write the documents of
// rows that were there before the index: a database upgraded past the
// search migration, or restored from a backup taken before it, would find
// nothing of its past until this runs. It lives apart from package db,
// which the owners import, and from package search, which they import too.
package reindex

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/search"
)

// Counts is how many documents of each kind were put in the index.
type Counts struct{ Tickets, Articles, Posts int }

// Total is the documents of every kind.
func (c Counts) Total() int { return c.Tickets + c.Articles + c.Posts }

func (c Counts) String() string {
	return fmt.Sprintf("%d tickets, %d articles, %d posts", c.Tickets, c.Articles, c.Posts)
}

// Migrate brings d's schema up to date (db.DB.Migrate) and, when that
// applied any migration, indexes the rows that have no search document
// (Missing), so an upgraded city finds its past at once. Any upgrade, not
// only the one through the search migration (0016_search): a city that
// passed it with a Lontara whose hourly jobs had not indexed everything
// yet, or a later migration that empties the index to rebuild it, is
// completed too; when everything is indexed this costs one look-up per
// kind. It returns the migrations applied and the documents put. A
// failure to index leaves the schema migrated (the owners' hourly jobs,
// or `lontara reindex`, finish it).
func Migrate(ctx context.Context, d *db.DB) ([]string, Counts, error) {
	applied, err := d.Migrate(ctx)
	if err != nil || len(applied) == 0 {
		return applied, Counts{}, err
	}
	added, err := Missing(ctx, d)
	return applied, added, err
}

// Missing puts the documents of the owners' rows that have none: each
// owner's IndexMissing (its own hourly job, in batches of a transaction
// each, indexing as its every change does). The vocabulary of typo
// corrections learns the new documents' words by its own job
// (search.Service.Learn, every minute while Lontara serves).
func Missing(ctx context.Context, d *db.DB) (Counts, error) {
	before, err := count(ctx, d)
	if err != nil {
		return Counts{}, err
	}
	now := time.Now()
	for _, job := range []func(context.Context, time.Time) error{helpdesk.NewService(d).IndexMissing,
		knowledge.NewService(d).IndexMissing, discuss.NewService(d, auth.ActorsIn).IndexMissing} {
		if err := job(ctx, now); err != nil {
			return Counts{}, fmt.Errorf("reindex: %w", err)
		}
	}
	after, err := count(ctx, d)
	if err != nil {
		return Counts{}, err
	}
	return Counts{Tickets: after.Tickets - before.Tickets, Articles: after.Articles - before.Articles,
		Posts: after.Posts - before.Posts}, nil
}

// All rebuilds the whole index: every document and the vocabulary are
// deleted (one transaction) and every owner's row is put again (Missing);
// the vocabulary is learnt again from the new documents.
// It is for operators, after a restore from an old backup or a change of
// the analysis (stems, stop words); meanwhile search finds fewer results.
func All(ctx context.Context, d *db.DB) (Counts, error) {
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		// search_texts and search_unlearnt first: their rows belong to
		// search_docs'. On SQLite the full-text index follows search_docs by
		// trigger.
		for _, table := range []string{"search_texts", "search_unlearnt", "search_docs", "search_terms"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return fmt.Errorf("reindex: empty %s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return Counts{}, err
	}
	return Missing(ctx, d)
}

// count is the documents of each kind in the index.
func count(ctx context.Context, d *db.DB) (Counts, error) {
	rows, err := d.W.QueryContext(ctx, `SELECT kind, COUNT(*) FROM search_docs GROUP BY kind`)
	if err != nil {
		return Counts{}, fmt.Errorf("reindex: count: %w", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return Counts{}, fmt.Errorf("reindex: count: %w", err)
		}
		switch kind {
		case search.KindTicket:
			c.Tickets = n
		case search.KindArticle:
			c.Articles = n
		case search.KindPost:
			c.Posts = n
		}
	}
	return c, rows.Err()
}
