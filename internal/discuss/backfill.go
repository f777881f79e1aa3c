package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// backfillBatch is how many posts one transaction of IndexMissing puts.
const backfillBatch = 500

// IndexMissing puts into the search index the visible posts that have no
// document there yet — those written before the index existed — as every
// change puts them (putPost: found by the space's readers, ranked by
// accepted mark and helpful reactions). It runs as a job, 500 posts a
// transaction; posts indexed already, and hidden ones, cost nothing.
func (s *Service) IndexMissing(ctx context.Context, _ time.Time) error {
	var after int64
	for {
		ids, err := db.IDs(ctx, s.db.R, `SELECT p.id FROM posts p WHERE p.id > $1 AND p.hidden_at IS NULL AND NOT EXISTS
			(SELECT 1 FROM search_docs d WHERE d.kind = 'post' AND d.doc_id = p.id) ORDER BY p.id LIMIT $2`, after, backfillBatch)
		if err != nil {
			return fmt.Errorf("discuss: index posts: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			threads := map[int64]Thread{}
			spaces := map[int64]Space{}
			for _, id := range ids {
				// Held before it is read, as every change of a post
				// holds it (lockPost): a hide committed meanwhile is
				// seen, not undone.
				if err := lockPost(ctx, tx, id); err != nil {
					return err
				}
				p, err := postByID(ctx, tx, id)
				if errs.Is(err, errs.NotFound) {
					continue // deleted meanwhile
				}
				if err != nil {
					return err
				}
				t, ok := threads[p.ThreadID]
				if !ok {
					// Held as it is read: a move waits for the batch, or
					// the batch reads where it moved (lockPlace).
					if t, err = s.heldThread(ctx, tx, p.ThreadID); err != nil {
						return err
					}
					threads[t.ID] = t
				}
				sp, ok := spaces[t.SpaceID]
				if !ok {
					if sp, err = SpaceByID(ctx, tx, t.SpaceID); err != nil {
						return err
					}
					if err := s.lockOpenness(ctx, tx, &sp); err != nil {
						return err
					}
					spaces[sp.ID] = sp
				}
				if err := putPost(ctx, tx, sp, t, p); err != nil {
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
