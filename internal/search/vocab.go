package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// learnBatch is how many documents one step of Learn reads.
const learnBatch = 5000

// Learn adds the stems of the documents not learnt yet (search_unlearnt) to
// the vocabulary that typo corrections draw from, with their one-letter
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
	// The documents not learnt yet, listed one by one rather than by a
	// mark over ids: on PostgreSQL a transaction may commit its document
	// after a later id's, which a mark would pass over.
	rows, err := s.db.R.QueryContext(ctx, `SELECT d.id, d.title_terms, d.body_terms FROM search_unlearnt u
		JOIN search_docs d ON d.id = u.doc ORDER BY u.doc LIMIT $1`, learnBatch)
	if err != nil {
		return 0, fmt.Errorf("search: learn: %w", err)
	}
	seen := map[string]bool{}
	var terms []string
	var read []any
	for rows.Next() {
		var id int64
		var title, body string
		if err := rows.Scan(&id, &title, &body); err != nil {
			rows.Close()
			return 0, fmt.Errorf("search: learn: %w", err)
		}
		read = append(read, id)
		for _, t := range strings.Fields(title + " " + body) {
			if !seen[t] && correctable(t) {
				seen[t] = true
				terms = append(terms, t)
			}
		}
	}
	rows.Close()
	n := len(read)
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
		if err := db.InsertRows(ctx, tx, "search_terms (del, term)", " ON CONFLICT DO NOTHING", rows); err != nil {
			return err
		}
		// Taken off the list in the transaction that adds their stems. A row
		// replaced meanwhile is gone; its new row is learnt next time.
		for i := 0; i < len(read); i += batchRows {
			ids := read[i:min(len(read), i+batchRows)]
			ph := make([]string, len(ids))
			for j := range ids {
				ph[j] = "$" + strconv.Itoa(j+1)
			}
			in := strings.Join(ph, ", ")
			if s.db.Engine() == db.Postgres {
				// Documents an owner's transaction is replacing right now
				// are skipped, not waited for: waiting on several while the
				// owner waits on one of ours would be a deadlock. Their new
				// rows are learnt next time.
				in = `SELECT doc FROM search_unlearnt WHERE doc IN (` + in + `) FOR UPDATE SKIP LOCKED`
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM search_unlearnt WHERE doc IN (`+in+`)`, ids...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("search: learn: %w", err)
	}
	return n, nil
}
