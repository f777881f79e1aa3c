package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// learnBatch is how many documents one step of Learn reads.
const learnBatch = 5000

// Learn adds the stems of the documents written since it last ran to the
// vocabulary that typo corrections draw from, with their one-letter
// deletions. It runs as a job (and after bulk loads); until it has seen a
// new word, the word is found as typed but not offered as a correction.
func (s *Service) Learn(ctx context.Context, _ time.Time) error {
	for {
		n, err := s.learnStep(ctx)
		if err != nil || n < learnBatch {
			return err
		}
	}
}

// learnStep learns from the next batch of documents and reports how many
// it read.
func (s *Service) learnStep(ctx context.Context) (int, error) {
	var mark int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT doc FROM search_learnt WHERE id = 1`).Scan(&mark); err != nil {
		return 0, fmt.Errorf("search: learn: %w", err)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, title_terms, body_terms FROM search_docs WHERE id > $1
		ORDER BY id LIMIT $2`, mark, learnBatch)
	if err != nil {
		return 0, fmt.Errorf("search: learn: %w", err)
	}
	seen := map[string]bool{}
	var terms []string
	n, last := 0, mark
	for rows.Next() {
		var title, body string
		if err := rows.Scan(&last, &title, &body); err != nil {
			rows.Close()
			return 0, fmt.Errorf("search: learn: %w", err)
		}
		n++
		for _, t := range strings.Fields(title + " " + body) {
			if !seen[t] && correctable(t) {
				seen[t] = true
				terms = append(terms, t)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || n == 0 {
		return 0, err
	}
	var fresh []string
	for i := 0; i < len(terms); i += batchRows {
		known, err := s.vocabulary(ctx, terms[i:min(len(terms), i+batchRows)], true)
		if err != nil {
			return 0, err
		}
		for _, t := range terms[i:min(len(terms), i+batchRows)] {
			if !known[t] {
				fresh = append(fresh, t)
			}
		}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var rows [][]any
		for _, t := range fresh {
			rows = append(rows, []any{t, t})
			for _, del := range deletions(t) {
				rows = append(rows, []any{del, t})
			}
		}
		if err := insertRows(ctx, tx, "search_terms (del, term)", " ON CONFLICT DO NOTHING", rows); err != nil {
			return err
		}
		// Only forward: a concurrent run that got further keeps its mark.
		_, err := tx.ExecContext(ctx, `UPDATE search_learnt SET doc = $1 WHERE id = 1 AND doc < $1`, last)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("search: learn: %w", err)
	}
	return n, nil
}
