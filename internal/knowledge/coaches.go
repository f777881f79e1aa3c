package knowledge

import (
	"context"
	"fmt"
	"slices"

	"github.com/lontara-id/lontara/internal/db"
)

// AuthorVotes is what colleagues' votes say about one author's published
// articles: how many found them helpful, and the applications those
// articles are about.
type AuthorVotes struct {
	Helpful int
	Apps    []AppRef
}

// HelpfulVotes counts, for the people working in an agency, the helpful
// votes their published articles got from others: one of the inputs that
// make someone visible as an informal coach (the discussions count the
// rest). An author's vote on their own article counts for nothing.
func HelpfulVotes(ctx context.Context, q db.Querier, agencyID int64) (map[int64]AuthorVotes, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.author_account_id, a.id, COUNT(*) FROM article_votes v
		JOIN articles a ON a.id = v.article_id
		JOIN accounts ac ON ac.id = a.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE v.helpful = TRUE AND v.account_id <> a.author_account_id AND a.status = $2
		AND e.agency_id = $1 AND e.active = TRUE AND ac.active = TRUE
		GROUP BY a.author_account_id, a.id`, agencyID, StatusPublished)
	if err != nil {
		return nil, fmt.Errorf("knowledge: helpful votes of agency %d: %w", agencyID, err)
	}
	defer rows.Close()
	out := map[int64]AuthorVotes{}
	var voted []*Article
	author := map[int64]int64{}
	for rows.Next() {
		var account, article int64
		var n int
		if err := rows.Scan(&account, &article, &n); err != nil {
			return nil, fmt.Errorf("knowledge: helpful votes: %w", err)
		}
		v := out[account]
		v.Helpful += n
		out[account] = v
		voted = append(voted, &Article{ID: article})
		author[article] = account
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge: helpful votes: %w", err)
	}
	rows.Close()
	if err := details(ctx, q, voted); err != nil {
		return nil, err
	}
	for _, a := range voted {
		v := out[author[a.ID]]
		for _, app := range a.Apps {
			if !slices.ContainsFunc(v.Apps, func(r AppRef) bool { return r.ID == app.ID }) {
				v.Apps = append(v.Apps, app)
			}
		}
		out[author[a.ID]] = v
	}
	return out, nil
}
