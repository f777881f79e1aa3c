package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lontara-id/lontara/internal/db"
)

// pool is how many matching documents a search ranks: the most recently
// indexed ones the searcher may see. Ranking every match of a common word
// over hundreds of thousands of posts would cost more than the answer is
// worth, and freshness ranks the newest up anyway; a word or two more
// narrows the matches to fewer than the pool, ranked in full.
const pool = 200

// candidate is a matching document before ranking.
type candidate struct {
	row        int64
	kind, ref  string
	helpful    int
	updated    time.Time
	appID      int64
	titleTerms string
	bodyTerms  string
	score      float64
}

// candidates returns the newest documents matching match that a holder
// of keys may see, of the given kinds (none: all). This is where the two
// engines differ: FTS5's MATCH and PostgreSQL's @@ over a tsvector; both
// walk the index newest first and stop at the pool.
func (s *Service) candidates(ctx context.Context, match string, kinds, keys []string, bound int64) ([]candidate, error) {
	args := []any{match}
	var where []string
	if len(kinds) > 0 {
		where = append(where, "d.kind IN ("+params(&args, kinds)+")")
	}
	// SQLite: the unary + keeps the planner from probing the key index
	// once per key (hundreds for a member of many spaces); it reads the
	// document's few keys and tests each against the list instead.
	keyCol := "+k.key"
	if s.db.Engine() == db.Postgres {
		keyCol = "k.key"
	}
	// The key test names the index's row id (f.rowid on SQLite), so it runs
	// before the document's row is read: a match the searcher may not see
	// costs one look-up in the keys, not two.
	docCol := "f.rowid"
	if s.db.Engine() == db.Postgres {
		docCol = "d.id"
	}
	if bound > 0 {
		args = append(args, bound)
		where = append(where, docCol+" <= $"+strconv.Itoa(len(args)))
	}
	where = append(where, "EXISTS (SELECT 1 FROM search_keys k WHERE k.doc = "+docCol+" AND "+keyCol+" IN ("+params(&args, keys)+"))")
	cols := `d.id, d.kind, d.ref, d.helpful, d.updated_at, COALESCE(d.app_id, 0), d.title_terms, d.body_terms`
	var sqlText string
	if s.db.Engine() == db.Postgres {
		sqlText = `SELECT ` + cols + ` FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', $1) AND ` +
			strings.Join(where, " AND ") + ` ORDER BY d.id DESC LIMIT ` + strconv.Itoa(pool)
	} else {
		sqlText = `SELECT ` + cols + ` FROM search_fts f JOIN search_docs d ON d.id = f.rowid WHERE search_fts MATCH $1 AND ` +
			strings.Join(where, " AND ") + ` ORDER BY f.rowid DESC LIMIT ` + strconv.Itoa(pool)
	}
	rows, err := s.db.Cached().QueryContext(ctx, sqlText, s.planned(args)...)
	if err != nil {
		return nil, fmt.Errorf("search: candidates: %w", err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.row, &c.kind, &c.ref, &c.helpful, &c.updated, &c.appID, &c.titleTerms, &c.bodyTerms); err != nil {
			return nil, fmt.Errorf("search: candidates: %w", err)
		}
		c.updated = c.updated.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// planned returns a full-text query's arguments so that PostgreSQL plans
// the query for these very words. pgx otherwise prepares the statement
// once per connection, and after a few runs PostgreSQL may keep a generic
// plan, made without knowing the words: it cannot tell a rare word from a
// common one, and chose to read every document the searcher may see and
// parse the tsquery once per row (100+ ms at 20,000 articles). The unnamed
// statement of QueryExecModeExec is planned with its values, in the same
// one round trip. SQLite plans MATCH alike for every text.
func (s *Service) planned(args []any) []any {
	if s.db.Engine() != db.Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// params appends values to args and returns their placeholders.
func params(args *[]any, values []string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		*args = append(*args, v)
		ph[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(ph, ", ")
}

// maxFixes bounds the corrections weighed for one word, maxCorrected the
// words of one query looked at: a pasted page of unknown words stays cheap.
const (
	maxFixes     = 8
	maxCorrected = 3
)

// correct finds, for each query word whose stem the index has never seen,
// the indexed stem within one edit that most documents hold: through the
// stems' shared one-letter deletions (SymSpell), and through the words one
// edit from the typed one that stem to a known root (pelayaann →
// pelayanan → layan). Words the index knows are left alone, so a correct
// query costs one lookup. Documents are counted only when they hold one of
// keys, the searcher's: a word found in no document they may see is never
// offered, so a correction reveals nothing they could not find.
func (s *Service) correct(ctx context.Context, q *query, keys []string) error {
	var stems []string
	for _, t := range q.terms {
		stems = append(stems, t.stem)
	}
	known, err := s.vocabulary(ctx, stems, true)
	if err != nil {
		return err
	}
	tries := 0
	for i := range q.terms {
		t := &q.terms[i]
		if known[t.stem] || !correctable(t.word) || tries == maxCorrected {
			continue
		}
		tries++
		// A word not learnt yet may still be found as typed.
		if n, err := s.count(ctx, t.stem, keys); err != nil || n > 0 {
			if err != nil {
				return err
			}
			continue
		}
		// Stems the typed word may have meant.
		lookup := append([]string{t.stem}, deletions(t.stem)...)
		byVariant := map[string]string{} // root → the corrected word that stems to it
		// stem → the longest one-edit variant of the typed word with that
		// stem (other than the stem): the fuller word being typed.
		byStem := map[string]string{}
		for _, v := range variants(t.word) {
			r := Stem(v)
			if r != v && len(v) > len(byStem[r]) {
				byStem[r] = v
			}
			if r != v && isRoot(r) && byVariant[r] == "" {
				byVariant[r] = v
				lookup = append(lookup, r)
			}
		}
		found, err := s.vocabulary(ctx, lookup, false)
		if err != nil {
			return err
		}
		var fixes []string
		for cand := range found {
			if _, ok := byVariant[cand]; ok || WithinOneEdit(t.stem, cand) {
				fixes = append(fixes, cand)
			}
		}
		slices.Sort(fixes)
		best, err := s.mostFound(ctx, fixes, keys)
		if err != nil || best == "" {
			return err
		}
		t.alts = []string{best}
		// Show a word the person might have typed, not a stem:
		// penggelapn → penggelapan rather than gelap or penggelap.
		switch {
		case byStem[best] != "":
			t.fix = byStem[best]
		default:
			t.fix = best
		}
	}
	return nil
}

// vocabulary looks keys up in the vocabulary: exact says they are stems
// themselves (is each known?); otherwise they are stems or deletions, and
// the stems they lead to are returned.
func (s *Service) vocabulary(ctx context.Context, keys []string, exact bool) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	var args []any
	sqlText := `SELECT term FROM search_terms WHERE del IN (` + params(&args, distinct(keys)) + `)`
	if exact {
		sqlText += ` AND term = del`
	}
	// Not through the statement cache: the list of words differs with every
	// word looked up, and each length would be a statement of its own,
	// crowding out the per-request look-ups the cache is for.
	rows, err := s.db.R.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("search: vocabulary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("search: vocabulary: %w", err)
		}
		out[t] = true
	}
	return out, rows.Err()
}

// count returns how many documents holding one of keys hold stem,
// counting at most fixCount.
func (s *Service) count(ctx context.Context, stem string, keys []string) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	args := []any{`"` + stem + `"`}
	if s.db.Engine() == db.Postgres {
		args[0] = stem
	}
	// The same key test as candidates'.
	var sqlText string
	if s.db.Engine() == db.Postgres {
		sqlText = `SELECT count(*) FROM (SELECT 1 FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', $1) AND
			EXISTS (SELECT 1 FROM search_keys k WHERE k.doc = d.id AND k.key IN (` + params(&args, keys) + `)) LIMIT ` +
			strconv.Itoa(fixCount) + `) x`
	} else {
		sqlText = `SELECT count(*) FROM (SELECT 1 FROM search_fts f WHERE search_fts MATCH $1 AND
			EXISTS (SELECT 1 FROM search_keys k WHERE k.doc = f.rowid AND +k.key IN (` + params(&args, keys) + `)) LIMIT ` +
			strconv.Itoa(fixCount) + `)`
	}
	var n int
	if err := s.db.Cached().QueryRowContext(ctx, sqlText, s.planned(args)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("search: correction: %w", err)
	}
	return n, nil
}

// fixCount caps the counting of a correction's documents: beyond it, more
// only means "common".
const fixCount = 200

// mostFound returns the stem of stems found in the most documents holding
// one of keys (at most fixCount counted), "" if none is found at all.
func (s *Service) mostFound(ctx context.Context, stems []string, keys []string) (string, error) {
	best, bestN := "", 0
	if len(stems) > maxFixes {
		stems = stems[:maxFixes]
	}
	for _, st := range stems {
		n, err := s.count(ctx, st, keys)
		if err != nil {
			return "", err
		}
		if n > bestN || (n == bestN && n > 0 && st < best) {
			best, bestN = st, n
		}
	}
	return best, nil
}
