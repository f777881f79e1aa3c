package search

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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

// Windows of the walk on PostgreSQL (see newestSQL): the index holds each
// document's id >> bucketBits, its bucket of 16,384 ids, and id >>
// fineBits, its fine bucket of 2,048. The first window is the newest two
// fine buckets: a window is read whole before its newest matches are kept,
// so a first window thick with matches (someone's thousands of fresh
// tickets, the help desk's during an outage) stays cheap. The next is the
// newest two buckets below it, each next one four times as many (a rare
// word costs few windows), and past maxWindow buckets the rest is read at
// once.
const (
	bucketBits = 14
	fineBits   = 11
	maxWindow  = 32
)

// newest reads cols of the newest documents (at most limit, at most bound
// when above 0) that hold match and one of keys, of kinds (none: all),
// newest first, handing each row to scan.
func (s *Service) newest(ctx context.Context, cols, match string, kinds, keys []string, bound int64, limit int,
	scan func(*sql.Rows) error) error {
	top, err := s.top(ctx, bound)
	if err != nil {
		return err
	}
	var args []any
	sqlText := s.newestSQL(cols, match, kinds, keys, top, limit, &args)
	if sqlText == "" {
		return nil
	}
	// Prepared, not planned per words (see db.Planned): PostgreSQL soon keeps
	// one generic plan for the statement, which spares the planning of its
	// windows in every search (at ministry scale about 1 ms of CPU, a
	// fifth to a quarter of a search). That plan is the same whatever the words:
	// search_docs_find is the one index that holds them, so each window is
	// one bitmap scan of it under words, keys and buckets together, and
	// reading the ids backwards instead, filtering every row, looks far
	// dearer to a planner that does not know how common the words are.
	_, err = s.each(ctx, sqlText, args, scan)
	return err
}

// top returns the highest index row a search reads: bound when above 0;
// else, on PostgreSQL, the newest row, where its windows start (see
// newestSQL), and on SQLite 0, no bound.
func (s *Service) top(ctx context.Context, bound int64) (int64, error) {
	if bound > 0 || s.db.Engine() == db.SQLite {
		return bound, nil
	}
	var top int64
	err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM search_docs`).Scan(&top)
	return top, err
}

// newestSQL returns the one statement that reads cols of the newest
// documents (at most limit, none above top when top is above 0) that hold
// match and one of keys, of kinds (none: all), newest first, appending its
// arguments to args; "" when nothing can match.
//
// SQLite: FTS5 walks the intersection of words and keys newest first and
// stops at the limit. PostgreSQL: a GIN index answers a set, not an order:
// the whole intersection would be read and sorted (a common word: thousands
// of rows, 50–300 ms at ministry scale). So the statement walks windows of
// ids, newest first: the index holds each document's buckets of ids
// (search_docs_find, bucketBits and fineBits), and a window's buckets are a
// condition that GIN intersects with the words and keys, skipping straight
// to the window in every posting list. The windows are subqueries joined by
// UNION ALL under the limit: PostgreSQL runs them one after another, as an
// Append that hands on each one's rows in turn, and stops at the one that
// fills the limit (TestThePoolIsTheNewestMatchesAcrossTheIndex holds it to
// that). A common word fills it in the first window or two (a few ms); a
// rare one costs a few windows of small lists, in the same round trip. The
// rows found are the same as one query's.
func (s *Service) newestSQL(cols, match string, kinds, keys []string, top int64, limit int, args *[]any) string {
	keys = plainKeys(keys)
	if len(keys) == 0 || s.db.Engine() == db.Postgres && top <= 0 {
		return ""
	}
	if s.db.Engine() == db.SQLite {
		where := s.matching(match, keys, args)
		if len(kinds) > 0 {
			where = append(where, "d.kind IN ("+params(args, kinds)+")")
		}
		if top > 0 {
			// f.rowid, not d.id: SQLite hands the bound and the order to
			// FTS5, which then starts its walk there.
			where = append(where, "f.rowid <= "+param(args, top))
		}
		return `SELECT ` + cols + ftsFrom + ` WHERE ` +
			strings.Join(where, " AND ") + ` ORDER BY f.rowid DESC LIMIT ` + strconv.Itoa(limit)
	}
	common := s.matching(match, keys, args)
	if len(kinds) > 0 {
		common = append(common, "d.kind IN ("+params(args, kinds)+")")
	}
	var parts []string
	// window adds the subquery of the documents up to upTo in buckets (of
	// the given bits; none: every one).
	window := func(upTo int64, bits int, buckets []int32) {
		where := append(slices.Clone(common), "d.id <= "+param(args, upTo))
		if len(buckets) > 0 {
			// The expression as search_docs_find indexes it.
			where = append(where, "ARRAY[(d.id >> "+strconv.Itoa(bits)+")::int] && "+param(args, buckets)+"::int[]")
		}
		parts = append(parts, `(SELECT `+cols+` FROM search_docs d WHERE `+strings.Join(where, " AND ")+
			` ORDER BY d.id DESC LIMIT `+strconv.Itoa(limit)+`)`)
	}
	fine := top >> fineBits
	window(top, fineBits, []int32{int32(fine), int32(max(fine-1, 0))})
	// The wider windows start below the first; the first of them shares a
	// bucket with it, whose ids the first window read are left out by id.
	below := (fine-1)<<fineBits - 1
	for hi, width := below>>bucketBits, int64(2); below >= 0 && hi >= 0; hi, width = hi-width, width*4 {
		upTo := min(below, (hi+1)<<bucketBits-1)
		if width > maxWindow {
			window(upTo, 0, nil) // the rest at once
			break
		}
		buckets := make([]int32, 0, width)
		for b := hi; b > hi-width && b >= 0; b-- {
			buckets = append(buckets, int32(b))
		}
		window(upTo, bucketBits, buckets)
	}
	return `SELECT * FROM (` + strings.Join(parts, " UNION ALL ") + `) w LIMIT ` + strconv.Itoa(limit)
}

// ftsFrom is SQLite's FROM of a search: the full-text table f beside the
// documents d, one row each.
const ftsFrom = ` FROM search_fts f JOIN search_docs d ON d.id = f.rowid`

// matching returns the conditions of a document of search_docs d (and,
// on SQLite, search_fts f) holding match and one of keys, appending their
// arguments to args: the words and the keys are one test, which the
// engine's full-text index answers.
func (s *Service) matching(match string, keys []string, args *[]any) []string {
	if s.db.Engine() == db.SQLite {
		return []string{`search_fts MATCH ` + param(args, ftsMatch(match, keys))}
	}
	return []string{`d.tsv @@ to_tsquery('simple', ` + param(args, match) + `)`,
		`string_to_array(d.audience, ' ') && ` + param(args, keys) + `::text[]`}
}

// plainKeys returns the keys a search can hold: plainKey ones.
func plainKeys(keys []string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !plainKey(k) })
}

// each runs a query and hands each row to scan, returning how many.
func (s *Service) each(ctx context.Context, sqlText string, args []any, scan func(*sql.Rows) error) (int, error) {
	rows, err := s.db.Cached().QueryContext(ctx, sqlText, args...)
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

// param appends v to args and returns its placeholder.
func param(args *[]any, v any) string {
	*args = append(*args, v)
	return "$" + strconv.Itoa(len(*args))
}

// params appends values to args and returns their placeholders.
func params(args *[]any, values []string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = param(args, v)
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
// query costs one lookup; an unknown word two more, the look-up of the
// stems it may have meant and one count of them all. Documents are counted only when they
// hold one of keys, the searcher's, and are not above top (see newest): a
// word found in no document they may see is never offered, so a
// correction reveals nothing they could not find.
func (s *Service) correct(ctx context.Context, q *query, keys []string, top int64) error {
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
		// A stem the vocabulary cannot hold (too short, a number) is never
		// taken for a typo.
		if known[t.stem] || !correctable(t.word) || !correctable(t.stem) || tries == maxCorrected {
			continue
		}
		tries++
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
		if len(fixes) == 0 {
			continue
		}
		slices.Sort(fixes)
		if len(fixes) > maxFixes {
			fixes = fixes[:maxFixes]
		}
		typed, n, err := s.counts(ctx, t.stem, fixes, keys, top)
		if err != nil {
			return err
		}
		best, bestN := "", 0
		for i, fix := range fixes {
			if n[i] > bestN {
				best, bestN = fix, n[i]
			}
		}
		if typed || best == "" {
			continue
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

// counts returns, in one statement, whether a document the vocabulary has
// not learnt yet holds typed (a new word, found as typed, is no typo: the
// vocabulary holds the stems of every other document) and, for each of
// fixes, how many documents not above top hold it, counting at most
// fixCount; only documents holding one of keys count.
func (s *Service) counts(ctx context.Context, typed string, fixes, keys []string, top int64) (bool, []int, error) {
	quote := func(st string) string { return st }
	if s.db.Engine() == db.SQLite {
		quote = func(st string) string { return `"` + st + `"` }
	}
	n := make([]int, len(fixes))
	if keys = plainKeys(keys); len(keys) == 0 {
		return false, n, nil // a searcher who may see nothing
	}
	var args []any
	from := ` FROM search_docs d`
	if s.db.Engine() == db.SQLite {
		from = ftsFrom
	}
	from += ` JOIN search_unlearnt u ON u.doc = d.id`
	parts := []string{`SELECT -1, count(*) FROM (SELECT 1` + from + ` WHERE ` +
		strings.Join(s.matching(quote(typed), keys, &args), " AND ") + ` LIMIT 1) u`}
	for i, fix := range fixes {
		if sqlText := s.newestSQL(`1`, quote(fix), nil, keys, top, fixCount, &args); sqlText != "" {
			parts = append(parts, `SELECT `+strconv.Itoa(i)+`, count(*) FROM (`+sqlText+`) c`+strconv.Itoa(i))
		}
	}
	found := false
	// Planned for these words: the documents not learnt yet are a table of
	// their own too (search_unlearnt), the better start for a common word
	// only while they are few.
	_, err := s.each(ctx, strings.Join(parts, " UNION ALL "), s.db.Planned(args...), func(rows *sql.Rows) error {
		var i, c int
		if err := rows.Scan(&i, &c); err != nil {
			return err
		}
		if i < 0 {
			found = c > 0
		} else {
			n[i] = c
		}
		return nil
	})
	if err != nil {
		return false, nil, fmt.Errorf("search: correction: %w", err)
	}
	return found, n, nil
}

// fixCount caps the counting of a correction's documents: beyond it, more
// only means "common".
const fixCount = 200
