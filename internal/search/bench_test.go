package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/demo"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// The benchmarks search a corpus of 100,000 articles and 500,000 posts in
// 2,000 discussion spaces (LONTARA_BENCH_ARTICLES, LONTARA_BENCH_POSTS
// change the sizes), built once per run from the demo help desk's
// sentences, through search.Put in transactions of benchBatch documents.
// LONTARA_BENCH_DB=postgres://… runs them on PostgreSQL instead.
//
//	go test ./internal/search -run '^$' -bench . -benchtime 2000x
const (
	benchSpaces = 2000
	benchBatch  = 5000
)

var corpus struct {
	once sync.Once
	d    *db.DB
	err  error
	dir  string
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
		return n
	}
	return def
}

// rareWords are made-up place names: each lands in a few dozen documents.
func rareWords(r *rand.Rand, n int) []string {
	syl := []string{"ka", "lo", "ma", "ri", "tu", "bo", "se", "wa", "ng", "pa", "ra", "le", "si", "gu", "to"}
	out := make([]string, n)
	for i := range out {
		var w strings.Builder
		for range 3 + r.IntN(2) {
			w.WriteString(syl[r.IntN(len(syl))])
		}
		out[i] = w.String() + strconv.Itoa(i%10)
	}
	return out
}

// benchText strings n random sentences, with a name and, sometimes, a
// rare word among them.
func benchText(r *rand.Rand, sentences, names, rare []string, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[r.IntN(len(sentences))])
	}
	b.WriteString(" Salam, " + names[r.IntN(len(names))] + ".")
	if r.IntN(3) == 0 {
		b.WriteString(" Lokasi " + rare[r.IntN(len(rare))] + ".")
	}
	return b.String()
}

func benchDB(b *testing.B) *db.DB {
	b.Helper()
	corpus.once.Do(func() {
		ctx := context.Background()
		dsn := os.Getenv("LONTARA_BENCH_DB")
		if dsn == "" {
			corpus.dir, corpus.err = os.MkdirTemp("", "lontara-search-bench-")
			if corpus.err != nil {
				return
			}
			dsn = filepath.Join(corpus.dir, "bench.db")
		}
		if corpus.d, corpus.err = db.OpenMigrated(ctx, dsn); corpus.err != nil {
			return
		}
		articles, posts := envInt("LONTARA_BENCH_ARTICLES", 100_000), envInt("LONTARA_BENCH_POSTS", 500_000)
		var n int
		if corpus.err = corpus.d.R.QueryRowContext(ctx, `SELECT count(*) FROM search_docs`).Scan(&n); corpus.err != nil || n > 0 {
			return // a corpus kept from an earlier run (LONTARA_BENCH_DB)
		}
		start := time.Now()
		corpus.err = buildCorpus(ctx, corpus.d, articles, posts)
		if corpus.err == nil {
			corpus.err = search.NewService(corpus.d).Learn(ctx, time.Now())
		}
		total := articles + posts
		fmt.Printf("search bench corpus: %d articles, %d posts in %v (%.0f documents/s)\n", articles, posts,
			time.Since(start).Round(time.Second), float64(total)/time.Since(start).Seconds())
	})
	if corpus.err != nil {
		b.Fatal(corpus.err)
	}
	return corpus.d
}

// buildCorpus writes the documents oldest first, one article in six.
func buildCorpus(ctx context.Context, d *db.DB, articles, posts int) error {
	r := rand.New(rand.NewPCG(4, 2026))
	sentences, names, rare := demo.SearchSentences(), demo.SearchNames(), rareWords(r, 3000)
	total := articles + posts
	start := time.Now().Add(-2 * 365 * 24 * time.Hour)
	step := 2 * 365 * 24 * time.Hour / time.Duration(max(total, 1))
	a, p := 0, 0
	for i := 0; i < total; {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			q := &preparedTx{tx: tx, stmts: map[string]*sql.Stmt{}}
			defer q.close()
			for end := min(total, i+benchBatch); i < end; i++ {
				var doc search.Doc
				if (i%6 == 0 && a < articles) || p >= posts {
					a++
					doc = search.Doc{Kind: search.KindArticle, ID: int64(a), Ref: strconv.Itoa(a),
						Title: sentences[r.IntN(len(sentences))], Body: benchText(r, sentences, names, rare, 4+r.IntN(8)),
						Audience: []string{search.Everyone}, Helpful: r.IntN(20)}
				} else {
					p++
					thread := (p + 4) / 5
					doc = search.Doc{Kind: search.KindPost, ID: int64(p), Ref: strconv.Itoa(thread),
						Title: sentences[(thread*7)%len(sentences)], Body: benchText(r, sentences, names, rare, 1+r.IntN(4)),
						Audience: []string{search.Space(int64(thread % benchSpaces))}, Helpful: r.IntN(3)}
				}
				doc.Updated = start.Add(time.Duration(i) * step)
				if err := search.Put(ctx, q, doc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// preparedTx runs a bulk load's statements prepared once per transaction
// instead of once per call: SQLite spends as long parsing Put's short
// statements as running them. Only the corpus is loaded so; the indexing
// benchmark writes as the owners do.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (p *preparedTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(ctx, query)
	if err == nil {
		p.stmts[query] = st
	}
	return st, err
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return p.tx.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

func (p *preparedTx) close() {
	for _, st := range p.stmts {
		st.Close()
	}
}

// spacesOf gives account n the first n spaces: the many-key searcher
// holds 400 of them.
func spacesOf(_ context.Context, _ db.Querier, a *policy.Actor) ([]string, error) {
	keys := make([]string, 0, a.AccountID)
	for i := range a.AccountID {
		keys = append(keys, search.Space(i*benchSpaces/max(a.AccountID, 1)))
	}
	return keys, nil
}

// benchQueries mixes what people type: common words, pairs, rare words,
// typos, a pasted paragraph and operator syntax.
var benchQueries = []string{
	"aplikasi", "server", "data pegawai", "internet kantor mati", "absensi", "simpeg",
	"reset kata sandi", "sertifikat elektronik", "printer", "token tidak valid",
	"aplikas", "simpge", "jaringn", "pelayaann", "sertifkat", // typos
	"lokasi", "sipd", "vpn rumah", "galat 502", "sk pangkat",
	"Setiap membuka SIMPEG muncul 502 Bad Gateway. Kami perlu mengunggah SK hari ini, mohon dibantu segera karena tenggat besok pagi dan atasan sudah menanyakan.",
	`"server" -down NEAR(log*) title:simpeg`,
}

// percentiles reports the p50 and p95 of the samples as metrics.
func percentiles(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	if len(samples) == 0 {
		return
	}
	ms := func(q int) float64 { return float64(samples[len(samples)*q/100].Microseconds()) / 1000 }
	b.ReportMetric(ms(50), "p50-ms")
	b.ReportMetric(ms(95), "p95-ms")
	b.ReportMetric(0, "ns/op")
}

func benchSearch(b *testing.B, actor *policy.Actor, queries []string) {
	d := benchDB(b)
	r := rand.New(rand.NewPCG(1, 1))
	rare := rareWords(r, 3000)
	queries = append(slices.Clone(queries), rare[7], rare[1234], "lokasi "+rare[42])
	s := search.NewService(d, spacesOf)
	ctx := context.Background()
	samples := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		if _, err := s.Search(ctx, actor, search.Request{Text: q, Page: db.Page{Limit: 20}}); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(t0))
	}
	percentiles(b, samples)
}

// BenchmarkSearch: an employee reading 20 spaces, and one in 400.
func BenchmarkSearch(b *testing.B) {
	b.Run("keys=20", func(b *testing.B) {
		benchSearch(b, &policy.Actor{AccountID: 20, EmployeeID: 20, AgencyID: 1}, benchQueries)
	})
	b.Run("keys=400", func(b *testing.B) {
		benchSearch(b, &policy.Actor{AccountID: 400, EmployeeID: 400, AgencyID: 1}, benchQueries)
	})
}

// BenchmarkSuggest: what the "Minta bantuan" form asks while its title and
// description are typed.
func BenchmarkSuggest(b *testing.B) {
	d := benchDB(b)
	s := search.NewService(d)
	typed := []string{"SIMPEG tidak", "SIMPEG tidak bisa dibuka", "SIMPEG tidak bisa dibuka muncul galat 502",
		"absen", "absen ponsel ditolak", "Absen lewat ponsel selalu ditolak karena di luar radius kantor",
		"printer", "printer tidak terdeteksi", "vpn", "VPN tidak bisa tersambung dari rumah saat bekerja",
		"internet kantor mati sejak pagi lampu LOS merah", "sertifkat", "wifi lantai 2 putus"}
	ctx := context.Background()
	samples := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if _, err := s.Suggest(ctx, typed[i%len(typed)], int64(i%5), 5); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(t0))
	}
	percentiles(b, samples)
}

// BenchmarkIndexPost: a new post indexed in its own transaction, as the
// discussions write it, into the full corpus; reports posts per second.
func BenchmarkIndexPost(b *testing.B) {
	d := benchDB(b)
	r := rand.New(rand.NewPCG(9, 9))
	sentences, names, rare := demo.SearchSentences(), demo.SearchNames(), rareWords(r, 3000)
	ctx := context.Background()
	id := int64(10_000_000)
	start := time.Now()
	n := 0
	for b.Loop() {
		id++
		n++
		doc := search.Doc{Kind: search.KindPost, ID: id, Ref: strconv.FormatInt(id/5, 10), Title: sentences[r.IntN(len(sentences))],
			Body: benchText(r, sentences, names, rare, 1+r.IntN(4)), Audience: []string{search.Space(id % benchSpaces)},
			Updated: time.Now()}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return search.Put(ctx, tx, doc) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpus.d != nil {
		corpus.d.Close()
	}
	if corpus.dir != "" {
		os.RemoveAll(corpus.dir)
	}
	os.Exit(code)
}
