package search_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// doc is a document of kind with one audience.
func doc(kind string, id int64, body string, audience ...string) search.Doc {
	return search.Doc{Kind: kind, ID: id, Ref: kind + strconv.FormatInt(id, 10), Title: "Laporan", Body: body,
		Audience: audience, Updated: time.Now()}
}

// keysOf is a KeySource that gives every searcher keys.
func keysOf(keys ...string) search.KeySource {
	return func(context.Context, db.Querier, *policy.Actor) ([]string, error) { return keys, nil }
}

// The words and the keys are one test in the index: a searcher finds a
// document only with one of its keys, whatever the words; and a word that
// is spelt like a key ("desk", "all") finds only the documents holding the
// word, never those holding the key.
func TestOnlyTheKeysHeldFindADocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d,
			doc(search.KindArticle, 1, "Printer kantor macet.", search.Everyone),
			doc(search.KindTicket, 2, "Printer di ruang TU macet.", search.Desk, search.Employee(70), search.AgencyLeads(3)),
			doc(search.KindTicket, 3, "Printer lantai dua macet.", search.Desk, search.Employee(71)),
			doc(search.KindPost, 4, "Printer siapa yang macet?", search.Space(5)),
			doc(search.KindPost, 5, "Printer rusak lagi.", search.Space(6)),
			doc(search.KindArticle, 6, "Printer baru untuk penulis.", search.Writers),
			doc(search.KindTicket, 7, "Pesan untuk desk all writers.", search.Employee(71)))
		for _, c := range []struct {
			name string
			keys []string // besides the employee's own: all, a7, e70, g3
			text string
			want []string
		}{
			{"the employee", nil, "printer", []string{"article:article1", "ticket:ticket2"}},
			{"a reader of space 5", []string{search.Space(5)}, "printer", []string{"article:article1", "thread:post4", "ticket:ticket2"}},
			{"the help desk", []string{search.Desk}, "printer macet", []string{"article:article1", "ticket:ticket2", "ticket:ticket3"}},
			{"the help desk, a key's name as a word", []string{search.Desk}, "desk", nil},
			{"a writer, keys' names as words", []string{search.Writers}, "all writers", nil},
			{"the reporter of ticket 7", []string{search.Employee(71)}, "desk all writers", []string{"ticket:ticket7"}},
			{"a typo corrected among the documents seen only", nil, "printr", []string{"article:article1", "ticket:ticket2"}},
		} {
			s := search.NewService(d, keysOf(c.keys...))
			if err := s.Learn(context.Background(), time.Now()); err != nil {
				t.Fatal(err)
			}
			got := ids(find(t, s, employee, c.text, ""))
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s searching %q found %v, want %v", c.name, c.text, got, c.want)
			}
		}
	})
}

// A key that is not lower-case letters and digits is refused: a space would
// make two keys of one in the index, and FTS5 folds case.
func TestPutRefusesAMalformedKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, key := range []string{"s1 all", "ALL", `s1"`, "s-1"} {
			err := d.Tx(context.Background(), func(tx *sql.Tx) error {
				return search.Put(context.Background(), tx, doc(search.KindPost, 1, "Printer macet.", key))
			})
			if err == nil {
				t.Errorf("key %q was accepted", key)
			}
		}
		s := search.NewService(d, keysOf("s1"))
		if got := ids(find(t, s, employee, "printer", "")); len(got) != 0 {
			t.Errorf("a refused document is found: %v", got)
		}
	})
}

// The pool is the newest matches wherever their ids lie: PostgreSQL reads
// them window by window of ids (search.Service.newest), so the documents
// are spread over ids far apart, and the pages together must be exactly
// the 200 newest, newest first among equals.
func TestThePoolIsTheNewestMatchesAcrossTheIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		jump := func(to int64) {
			t.Helper()
			q := `ALTER TABLE search_docs ALTER COLUMN id RESTART WITH ` + strconv.FormatInt(to, 10)
			if d.Engine() == db.SQLite {
				q = `UPDATE sqlite_sequence SET seq = ` + strconv.FormatInt(to, 10) + ` WHERE name = 'search_docs'`
			}
			if _, err := d.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		updated := time.Now().Add(-time.Hour)
		var docs []search.Doc
		id := int64(0)
		// 90 old matches, 60 in the middle (one the employee may not see
		// in every ten), 90 new; documents without the word in between.
		for i, n := range []int{90, 60, 90} {
			jump([]int64{1, 40_000, 1_000_000}[i])
			docs = docs[:0]
			for range n {
				id++
				a := doc(search.KindArticle, id, "Printer macet.", search.Everyone)
				if id%10 == 0 && i == 1 {
					a.Audience = []string{search.Writers}
				}
				a.Updated = updated
				docs = append(docs, a, doc(search.KindArticle, 10_000+id, "Jadwal rapat.", search.Everyone))
			}
			put(t, d, docs...)
		}
		s := search.NewService(d)
		var got []string
		after := ""
		for {
			ans, err := s.Search(ctx, employee, search.Request{Text: "printer", Page: db.Page{Limit: 50, After: after}})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(ans)...)
			if after = ans.Next; after == "" {
				break
			}
		}
		// Newest first: 240 down to 41, without the middle's tenths.
		var want []string
		for id := int64(240); len(want) < 200; id-- {
			if id > 90 && id <= 150 && id%10 == 0 {
				continue
			}
			want = append(want, "article:article"+strconv.FormatInt(id, 10))
		}
		if !slices.Equal(got, want) {
			t.Errorf("found %d: %v\nwant %d: %v", len(got), got, len(want), want)
		}
	})
}

// On PostgreSQL the GIN index takes each document into its tree at once:
// a pending list (fastupdate) would be read whole by every search, which
// made searches 3–4 times dearer while tickets were being filed (migration
// 0047). An index rebuilt without the option fails here.
func TestTheIndexKeepsNoPendingList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Engine() != db.Postgres {
			return // FTS5 has no pending list
		}
		var opts string
		err := d.R.QueryRow(`SELECT COALESCE(array_to_string(reloptions, ' '), '') FROM pg_class
			WHERE oid = to_regclass('search_docs_find')`).Scan(&opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(strings.Fields(opts), "fastupdate=off") {
			t.Errorf("search_docs_find has options %q, want fastupdate=off", opts)
		}
	})
}
