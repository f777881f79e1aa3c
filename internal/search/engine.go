package search

import (
	"context"
	"database/sql"
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
// of keys may see, of the given kinds (none: all), at most the pool. The
// words and the keys are one test, which the engine's full-text index
// answers (see found); documents above bound (0: none) are left out.
func (s *Service) candidates(ctx context.Context, match string, kinds, keys []string, bound int64) ([]candidate, error) {
	cols := `d.id, d.kind, d.ref, d.helpful, d.updated_at, COALESCE(d.app_id, 0), d.title_terms, d.body_terms`
	var out []candidate
	err := s.newest(ctx, cols, match, kinds, keys, bound, pool, func(rows *sql.Rows) error {
		var c candidate
		if err := rows.Scan(&c.row, &c.kind, &c.ref, &c.helpful, &c.updated, &c.appID, &c.titleTerms, &c.bodyTerms); err != nil {
			return err
		}
		c.updated = c.updated.UTC()
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: candidates: %w", err)
	}
	return out, nil
}

// Windows of the walk on PostgreSQL (see newest): the index holds each
// document's id >> bucketBits, its bucket of 16,384 ids; the first window
// is the newest two buckets, each next one four times as many (a rare
// word costs few round trips), and past maxWindow buckets the rest is read
// at once.
const (
	bucketBits = 14
	maxWindow  = 32
)

// newest reads cols of the newest documents (at most limit, at most bound
// when above 0) that hold match and one of keys, of kinds (none: all),
// newest first, handing each row to scan.
//
// SQLite: FTS5 walks the intersection of words and keys newest first and
// stops at the limit, in one query. PostgreSQL: a GIN index answers a set,
// not an order: the whole intersection would be read and sorted (a common
// word: thousands of rows, 50–300 ms at ministry scale). So the walk goes
// by windows of ids, newest first, until the limit is met: the index holds
// each document's bucket of ids (search_docs_find), and a window's buckets
// are a third condition that GIN intersects with the words and keys,
// skipping straight to the window in every posting list. A common word
// fills the pool in the first window (a few ms); a rare one costs a few
// windows of small lists. The rows found are the same as one query's.
func (s *Service) newest(ctx context.Context, cols, match string, kinds, keys []string, bound int64, limit int,
	scan func(*sql.Rows) error) error {
	keys = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !plainKey(k) })
	if len(keys) == 0 {
		return nil
	}
	if s.db.Engine() == db.SQLite {
		var args []any
		where := []string{`search_fts MATCH $1`}
		args = append(args, ftsMatch(match, keys))
		if len(kinds) > 0 {
			where = append(where, "d.kind IN ("+params(&args, kinds)+")")
		}
		if bound > 0 {
			// f.rowid, not d.id: SQLite hands the bound and the order to
			// FTS5, which then starts its walk there.
			args = append(args, bound)
			where = append(where, "f.rowid <= $"+strconv.Itoa(len(args)))
		}
		_, err := s.each(ctx, `SELECT `+cols+` FROM search_fts f JOIN search_docs d ON d.id = f.rowid WHERE `+
			strings.Join(where, " AND ")+` ORDER BY f.rowid DESC LIMIT `+strconv.Itoa(limit), args, scan)
		return err
	}
	top := bound
	if top <= 0 {
		if err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM search_docs`).Scan(&top); err != nil {
			return err
		}
	}
	hi, width := top>>bucketBits, int64(2)
	for hi >= 0 && limit > 0 {
		args := []any{match, keys}
		where := []string{`d.tsv @@ to_tsquery('simple', $1)`, `string_to_array(d.audience, ' ') && $2::text[]`}
		if len(kinds) > 0 {
			where = append(where, "d.kind IN ("+params(&args, kinds)+")")
		}
		args = append(args, min(top, (hi+1)<<bucketBits-1)) // below the windows read
		where = append(where, "d.id <= $"+strconv.Itoa(len(args)))
		lo := hi - width + 1
		if width > maxWindow {
			lo = 0 // the rest at once
		} else {
			// The expression as search_docs_find indexes it.
			buckets := make([]int32, 0, width)
			for b := hi; b >= max(lo, 0); b-- {
				buckets = append(buckets, int32(b))
			}
			args = append(args, buckets)
			where = append(where, "ARRAY[(d.id >> "+strconv.Itoa(bucketBits)+")::int] && $"+strconv.Itoa(len(args))+"::int[]")
		}
		n, err := s.each(ctx, `SELECT `+cols+` FROM search_docs d WHERE `+strings.Join(where, " AND ")+
			` ORDER BY d.id DESC LIMIT `+strconv.Itoa(limit), args, scan)
		if err != nil {
			return err
		}
		limit -= n
		hi, width = lo-1, width*4
	}
	return nil
}

// each runs a query and hands each row to scan, returning how many.
func (s *Service) each(ctx context.Context, sqlText string, args []any, scan func(*sql.Rows) error) (int, error) {
	rows, err := s.db.Cached().QueryContext(ctx, sqlText, s.planned(args)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := scan(rows); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ftsMatch is SQLite's MATCH for documents holding match (the query's
// words, as query.match writes them) and one of keys: the keys are FTS5's
// third column (search_docs.audience), and each part names its columns,
// so that a stem is never taken for a key nor a key for a stem. Keys are
// lower-case letters and digits (plainKey), safe to quote.
func ftsMatch(match string, keys []string) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = `"` + k + `"`
	}
	return `{title_terms body_terms} : (` + match + `) AND audience : (` + strings.Join(quoted, " OR ") + `)`
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
	match := stem
	if s.db.Engine() == db.SQLite {
		match = `"` + stem + `"`
	}
	n := 0
	err := s.newest(ctx, `d.id`, match, nil, keys, 0, fixCount, func(*sql.Rows) error { n++; return nil })
	if err != nil {
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
