package knowledge

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Window is how long after reading an article a person must go without
// filing a ticket for the reading to count as a ticket prevented: long
// enough to try what the article says, short enough that a ticket filed
// afterwards is still about the same problem.
const Window = 72 * time.Hour

// RecordView records that a signed-in person read an article at the time
// at, in the caller's transaction. The knowledge base's article page calls
// it for people with an account (an anonymous reader cannot be matched to
// the tickets they file). A second reading within the window of the first
// is the same need and is not recorded again.
func RecordView(ctx context.Context, q db.Querier, articleID, accountID int64, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	var open int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM article_views
		WHERE account_id = $1 AND article_id = $2 AND window_ends_at > $3`, accountID, articleID, at).Scan(&open); err != nil {
		return fmt.Errorf("knowledge: record view: %w", err)
	}
	if open > 0 {
		return nil
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO article_views (article_id, account_id, viewed_at, window_ends_at)
		VALUES ($1, $2, $3, $4)`, articleID, accountID, at, at.Add(Window)); err != nil {
		return fmt.Errorf("knowledge: record view: %w", err)
	}
	return nil
}

// Prevented counts the tickets an article prevented as of now: its views
// whose window has closed without the reader filing a ticket in it. A
// view whose window is still open is not counted either way yet, so the
// count only grows. It reads the help desk's tickets by reporter and time
// alone; no ticket has to name the article.
func Prevented(ctx context.Context, q db.Querier, articleID int64, now time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM article_views v
		WHERE v.article_id = $1 AND v.window_ends_at <= $2 AND NOT EXISTS (SELECT 1 FROM tickets t
			WHERE t.reporter_account_id = v.account_id AND t.created_at >= v.viewed_at AND t.created_at < v.window_ends_at)`,
		articleID, now.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("knowledge: tickets prevented: %w", err)
	}
	return n, nil
}
