package knowledge

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// backfillBatch is how many articles one transaction of IndexMissing puts.
const backfillBatch = 500

// IndexMissing puts into the search index the articles that have no
// document there yet — those written before the index existed — as every
// change puts them (index: published for everyone, drafts for writers). It
// runs as a job, 500 articles a transaction; articles indexed already cost
// nothing.
func (s *Service) IndexMissing(ctx context.Context, _ time.Time) error {
	var after int64
	for {
		ids, err := db.IDs(ctx, s.db.R, `SELECT a.id FROM articles a WHERE a.id > $1 AND NOT EXISTS (SELECT 1
			FROM search_docs d WHERE d.kind = 'article' AND d.doc_id = a.id) ORDER BY a.id LIMIT $2`, after, backfillBatch)
		if err != nil {
			return fmt.Errorf("knowledge: index articles: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				// Held before it is read, as every change of an article
				// holds it (lockArticle): an unpublish or a delete
				// committed meanwhile is seen, not undone.
				if err := lockArticle(ctx, tx, id); err != nil {
					return err
				}
				a, err := load(ctx, tx, id)
				if errs.Is(err, errs.NotFound) {
					continue // deleted meanwhile
				}
				if err != nil {
					return err
				}
				if err := index(ctx, tx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}
