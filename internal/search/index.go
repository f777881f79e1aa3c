package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// The kinds of documents the one search finds. A discussion is indexed
// post by post (a thread's first post carries its title), and a post's
// result is its thread.
const (
	KindArticle = "article"
	KindPost    = "post"
	KindTicket  = "ticket"
)

// Doc is one searchable thing as the package that owns it describes it.
// Owners Put a Doc in the same transaction as the change that made or
// altered it and Remove it when it is deleted or hidden, so the index
// never shows what its owner no longer shows.
type Doc struct {
	Kind string // KindArticle, KindPost or KindTicket
	ID   int64  // the article's, post's or ticket's id
	// Ref is what a result names as its id and links to: an article's id,
	// a post's thread id, a ticket's number ("T-000123").
	Ref   string
	Title string // a post's thread title
	Body  string // Markdown or plain text
	// Audience lists the keys of who may find the document (Everyone,
	// Account(id), Agency(id), Space(id), CityWide, Desk, Writers,
	// Employee(id), AgencyLeads(id)); a searcher finds it when they hold at
	// least one. An empty audience finds no one.
	Audience []string
	AppID    int64     // the application it is about, 0 for none
	Helpful  int       // votes, accepted answers: raises its rank
	Updated  time.Time // fresher ranks higher
}

// Audience keys. Documents carry them; a searcher's keys come from their
// grants and from the KeySources the owners register.
const (
	Everyone = "all"     // every signed-in person
	Desk     = "desk"    // the help desk (policy.HelpdeskRoles)
	Writers  = "writers" // those who write and review articles (policy.ArticleWrite)
	// CityWide is the key of those who read every discussion space that is
	// not members-only, whatever its agency (policy.ReadsOpenSpaces).
	CityWide = "citywide"
)

// Account is the key of one person's account.
func Account(id int64) string { return "a" + strconv.FormatInt(id, 10) }

// Agency is the key of an agency's staff.
func Agency(id int64) string { return "g" + strconv.FormatInt(id, 10) }

// Space is the key of those who may read a discussion space.
func Space(id int64) string { return "s" + strconv.FormatInt(id, 10) }

// Employee is the key of one person as an employee: a ticket is seen by
// the employee who reported it (policy.TicketView compares employees).
func Employee(id int64) string { return "e" + strconv.FormatInt(id, 10) }

// AgencyLeads is the key of an agency's admins and head, who see the
// agency's tickets.
func AgencyLeads(id int64) string { return "l" + strconv.FormatInt(id, 10) }

// KeySource adds the keys an owner knows a searcher holds, for example the
// spaces a person may read. Sources are given to the search service when
// the server is put together.
type KeySource func(ctx context.Context, q db.Querier, actor *policy.Actor) ([]string, error)

// Limits of what one document puts in the index.
const (
	maxIndexedText = 200_000 // bytes of plain text analysed
	maxStoredBody  = 20_000  // bytes of plain text kept for snippets
	batchRows      = 400     // words or rows per statement of the vocabulary's batches
)

// Put adds or replaces d in the index, in the caller's transaction. The
// document is analysed here (plain text, stop words, stems), so the owner
// passes its text as it stores it.
//
// Put runs in the owners' hottest writes (filing a ticket), so a new
// document costs as few statements as it can: its row, keys included, is
// inserted at once (no look-up for an earlier version: the insert tells),
// then its text (prepared once per db.Group batch). Only a document indexed
// before is removed and inserted anew, so that its id is again the newest.
func Put(ctx context.Context, q db.Querier, d Doc) error {
	if !slices.Contains([]string{KindArticle, KindPost, KindTicket}, d.Kind) {
		return fmt.Errorf("search: put: unknown kind %q", d.Kind)
	}
	a := Analyse(d)
	if err := checkKeys(a.Keys); err != nil {
		return fmt.Errorf("search: put %s %d: %w", d.Kind, d.ID, err)
	}
	if !a.Findable() {
		return Remove(ctx, q, d.Kind, d.ID)
	}
	var app *int64
	if a.AppID != 0 {
		app = &a.AppID
	}
	row := []any{a.Kind, a.DocID, a.Ref, app, a.Helpful, a.Updated, a.TitleTerms, a.BodyTerms, a.Audience(), a.Title, a.Body}
	inserted, err := insertDoc(ctx, q, row)
	// Indexed before: replace it. Two transactions may Put one document at
	// once (PostgreSQL: a dozen people voting on one article); the row is
	// locked before it is replaced, so the second waits for the first and
	// then replaces the first's version. A version removed meanwhile is
	// tried again.
	for tries := 0; err == nil && !inserted && tries < 3; tries++ {
		if err = removeLocked(ctx, q, d.Kind, d.ID); err == nil {
			inserted, err = insertDoc(ctx, q, row)
		}
	}
	if err == nil && !inserted {
		err = errors.New("the earlier version is still there")
	}
	if err != nil {
		return fmt.Errorf("search: put %s %d: %w", d.Kind, d.ID, err)
	}
	return nil
}

// SetAudience gives every indexed document of kind whose id the query
// docs selects (its parameters from $3, args) the audience keys, in one
// statement. It is for a change of who finds many documents at once, a
// discussion space becoming members-only or open: at ministry scale a
// space holds over 100,000 posts, and putting each again, which analyses
// its text anew, took 93 s for 131,561 of them. The rows keep their ids:
// unlike a Put, this does not make the documents the newest, as their text
// did not change. A document not indexed stays so.
func SetAudience(ctx context.Context, q db.Querier, kind string, keys []string, docs string, args ...any) error {
	a := Analysed{Keys: distinct(keys)}
	if !a.Findable() {
		return fmt.Errorf("search: set audience of %s: no keys", kind)
	}
	if err := checkKeys(a.Keys); err != nil {
		return fmt.Errorf("search: set audience of %s: %w", kind, err)
	}
	// On SQLite a trigger carries the change to the full-text table.
	if _, err := q.ExecContext(ctx, `UPDATE search_docs SET audience = $2
		WHERE kind = $1 AND audience <> $2 AND doc_id IN (`+docs+`)`, append([]any{kind, a.Audience()}, args...)...); err != nil {
		return fmt.Errorf("search: set audience of %s: %w", kind, err)
	}
	return nil
}

// Analysed is a document as the index stores it: its row of search_docs
// (with the stems and the keys) and its text of search_texts.
type Analysed struct {
	Kind       string
	DocID      int64
	Ref        string
	AppID      int64 // 0: none (NULL)
	Helpful    int
	Updated    time.Time
	TitleTerms string // stems of the title, separated by spaces
	BodyTerms  string // stems of the body
	Title      string // the title as shown
	Body       string // the plain text snippets are cut from
	Keys       []string
}

// Analyse returns what Put writes for d. Put uses it; a bulk loader (the
// demo's history) writes many documents at once with it, so they are
// indexed exactly as Put would index them.
func Analyse(d Doc) Analysed { return AnalyseWith(d, AnalyseText(d.Title, d.Body)) }

// Text is a document's title and body analysed: the costly part of
// Analyse, which a loader of many documents with the same text does once.
type Text struct{ TitleTerms, BodyTerms, Title, Body string }

// AnalyseText analyses a title and a body (Markdown or plain text).
func AnalyseText(title, body string) Text {
	plain := cut(PlainText(body), maxIndexedText)
	title = strings.TrimSpace(title)
	return Text{TitleTerms: joinTokens(title), BodyTerms: joinTokens(plain), Title: title, Body: cut(plain, maxStoredBody)}
}

// AnalyseWith is Analyse of d whose title and body analyse to t.
func AnalyseWith(d Doc, t Text) Analysed {
	updated := d.Updated.UTC().Truncate(time.Microsecond)
	if d.Updated.IsZero() {
		updated = time.Now().UTC().Truncate(time.Microsecond)
	}
	return Analysed{Kind: d.Kind, DocID: d.ID, Ref: d.Ref, AppID: d.AppID, Helpful: d.Helpful, Updated: updated,
		TitleTerms: t.TitleTerms, BodyTerms: t.BodyTerms, Title: t.Title, Body: t.Body, Keys: distinct(d.Audience)}
}

// Findable reports whether anyone can find the document: one with no
// audience keys is found by no one, as good as not indexed. Put removes
// it rather than write it, and the demo's history, which writes
// documents straight into the index, leaves it out.
func (a Analysed) Findable() bool { return len(a.Keys) > 0 }

// Audience is the keys as search_docs.audience holds them: separated by
// spaces, where the engines' indexes split them.
func (a Analysed) Audience() string { return strings.Join(a.Keys, " ") }

// checkKeys refuses a key that is not plainKey.
func checkKeys(keys []string) error {
	for _, k := range keys {
		if !plainKey(k) {
			return fmt.Errorf("audience key %q is not lower-case letters and digits", k)
		}
	}
	return nil
}

// plainKey reports whether k is a well-formed audience key: lower-case
// ASCII letters and digits, as the key functions above make them. Put
// refuses any other: a space would split one key into two in the index
// (and let a second audience find the document), and FTS5 would fold an
// upper-case key into another's lower-case one.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return k != ""
}

// The columns of a document's row, then its title and plain text.
const docColumns = `kind, doc_id, ref, app_id, helpful, updated_at, title_terms, body_terms, audience`

// insertDoc writes a document's row and its text, and reports false,
// writing nothing, when the document is indexed already.
func insertDoc(ctx context.Context, q db.Querier, row []any) (bool, error) {
	rows, err := q.QueryContext(ctx, `INSERT INTO search_docs (`+docColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, doc_id) DO NOTHING RETURNING id`, row[:9]...)
	if err != nil {
		return false, err
	}
	var id int64
	found := rows.Next()
	if found {
		err = rows.Scan(&id)
	}
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rows.Err()
	}
	if err != nil || !found {
		return false, err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO search_texts (doc, title, body) VALUES ($1, $2, $3)`, id, row[9], row[10]); err != nil {
		return false, err
	}
	// For the vocabulary to learn (Learn).
	if _, err := q.ExecContext(ctx, `INSERT INTO search_unlearnt (doc) VALUES ($1)`, id); err != nil {
		return false, err
	}
	return true, nil
}

// Remove takes a document out of the index, in the caller's transaction.
func Remove(ctx context.Context, q db.Querier, kind string, id int64) error {
	// Most Puts are of new documents: a look-up is cheaper than a DELETE
	// (whose trigger and plan cost more) that finds nothing.
	var row int64
	err := q.QueryRowContext(ctx, `SELECT id FROM search_docs WHERE kind = $1 AND doc_id = $2`, kind, id).Scan(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		err = removeLocked(ctx, q, kind, id)
	}
	if err != nil {
		return fmt.Errorf("search: remove %s %d: %w", kind, id, err)
	}
	return nil
}

// removeLocked deletes a document's row first, which locks it (PostgreSQL
// waits for a transaction changing it meanwhile), then its text and its
// place among the documents not learnt yet.
// Nothing is done when it is not there.
func removeLocked(ctx context.Context, q db.Querier, kind string, id int64) error {
	rows, err := q.QueryContext(ctx, `DELETE FROM search_docs WHERE kind = $1 AND doc_id = $2 RETURNING id`, kind, id)
	if err != nil {
		return err
	}
	var gone []int64
	for rows.Next() {
		var row int64
		if err := rows.Scan(&row); err != nil {
			rows.Close()
			return err
		}
		gone = append(gone, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, row := range gone {
		// The FTS5 entry went with the row, by trigger.
		for _, table := range []string{"search_texts", "search_unlearnt"} {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE doc = $1`, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// distinct returns the non-empty strings of list, each once, in order.
func distinct(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// cut shortens s to at most n bytes at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// joinTokens returns the stems of text separated by spaces, as the index
// holds them.
func joinTokens(text string) string { return strings.Join(Tokens(text), " ") }
