package search

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/lontara-id/lontara/internal/db"
)

func TestTokensStemAndDropStopWords(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Pelayanan yang cepat dan ramah", []string{"layan", "cepat", "ramah"}},
		{"Saya tidak bisa login ke aplikasi SIMPEG", []string{"login", "aplikasi", "simpeg"}},
		{"layanan-layanan publik", []string{"layan", "publik"}},
		{"berlari-lari", []string{"lari"}},
		{"e-KTP 2026: pembayaran pajak", []string{"e", "ktp", "2026", "bayar", "pajak"}},
		{"Café pélayanan", []string{"cafe", "layan"}},
		{"cafe\u0301", []string{"cafe"}},
		{"", nil},
		{"yang dan di ke dari", nil},
	}
	for _, c := range cases {
		if got := Tokens(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestInflectedQueriesMeetTheirDocument(t *testing.T) {
	doc := Tokens("Pengiriman berkas permohonan dilayani oleh petugas pelayanan terpadu.")
	for _, q := range []string{"mengirimkan", "kiriman", "layanan", "melayani", "memohon"} {
		for _, term := range Query(q) {
			if !slices.Contains(doc, term) {
				t.Errorf("query %q (%q) misses document %q", q, term, doc)
			}
		}
	}
}

func TestQueryTreatsHostileInputAsPlainWords(t *testing.T) {
	cases := []struct {
		q    string
		want []string
	}{
		{`"pelayanan" NEAR(kirim*, 3) -tiket title:server`, []string{"layan", "kirim", "3", "tiket", "title", "server"}},
		{`yang dan atau tidak`, nil},
		{`AND OR NOT NEAR`, nil},
		{`*:-"()^{}[]`, nil},
		{"\xff\xfebayar\xc3", []string{"bayar"}},
		{"'; DROP TABLE tickets; --", []string{"drop", "table", "tickets"}},
		{"pelayanan pelayanan layanan", []string{"layan"}},
	}
	for _, c := range cases {
		if got := Query(c.q); !slices.Equal(got, c.want) {
			t.Errorf("Query(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

func TestQueryOfTwoThousandCharactersIsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 2000; i++ {
		b.WriteString("kata")
		b.WriteByte(byte('a' + i%26))
		b.WriteByte(byte('a' + i/26%26))
		b.WriteByte(' ')
	}
	b.WriteString(strings.Repeat("x", 2000))
	got := Query(b.String())
	if len(got) != maxQueryTerms {
		t.Errorf("Query of %d bytes gave %d terms, want %d", b.Len(), len(got), maxQueryTerms)
	}
}

func TestStopWordsCoverFunctionWordsButNotContent(t *testing.T) {
	if n := len(stopWords); n < 200 {
		t.Errorf("only %d stop words", n)
	}
	for _, w := range []string{"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "pada",
		"adalah", "tidak", "akan", "sudah", "bisa", "ada", "atau", "juga", "saya", "kami", "kita", "anda"} {
		if !IsStopWord(w) {
			t.Errorf("%q is not a stop word", w)
		}
	}
	for _, w := range []string{"layanan", "tiket", "aplikasi", "guna", "kata", "lama"} {
		if IsStopWord(w) {
			t.Errorf("%q is a stop word", w)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"layan", "layan", true},
		{"layan", "layanx", true}, // insertion
		{"layan", "lyan", true},   // deletion
		{"layan", "lajan", true},  // substitution
		{"layan", "lyaan", true},  // transposition
		{"kirim", "krimi", false}, // two edits
		{"kirim", "kiri", true},
		{"kirim", "ki", false},
		{"", "a", true},
		{"", "", true},
		{"ab", "ba", true},
		{"abc", "cba", false},
		{"pajak", "pajal", true},
		{"bayar", "baayr", true}, // ya ↔ ay
		{"bayar", "baray", false},
		{"kafé", "kafe", true}, // runes, not bytes
		{"tulis", "tulsi", true},
		{"tulis", "tilus", false},
	}
	for _, c := range cases {
		if got := WithinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := WithinOneEdit(c.b, c.a); got != c.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// FuzzQuery checks what a search box's text becomes: terms of lower-case
// letters and digits only, never empty and at most maxQueryTerms, so the
// full-text query built of them (FTS5's quoted terms, PostgreSQL's
// tsquery) holds nothing but them and the operators put between them.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"pelayanan", `"a" NEAR(b*) -c:d`, "\xff\xfe", "layanan-layanan", "İSTANBUL ǅemal", "e\u0301",
		"reset sandi e-office", `cara "reset" & | ! ' <-> :* sandi`, "Dottoro'ta Ä", strings.Repeat("kata ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, term := range Query(q) {
			checkTerm(t, q, term)
		}
		pq := parseQuery(q)
		if len(pq.terms) > maxQueryTerms {
			t.Fatalf("parseQuery(%q): %d terms", q, len(pq.terms))
		}
		for _, term := range pq.terms {
			checkTerm(t, q, term.stem)
		}
		for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
			for _, all := range []bool{true, false} {
				m := pq.match(engine, all)
				for _, op := range []string{" OR ", " AND ", " | ", " & ", "(", ")", `"`} {
					m = strings.ReplaceAll(m, op, " ")
				}
				if got, want := strings.Fields(m), pq.stemList(); !slices.Equal(got, want) {
					t.Fatalf("parseQuery(%q).match(%s) = %q holds more than the terms %q", q, engine, pq.match(engine, all), want)
				}
			}
		}
	})
}

// stemList is every term's stem, in order.
func (q query) stemList() []string {
	var s []string
	for _, t := range q.terms {
		s = append(s, t.stem)
	}
	return s
}

// checkTerm fails unless term is a non-empty run of lower-case letters and
// digits.
func checkTerm(t *testing.T, q, term string) {
	t.Helper()
	if term == "" {
		t.Fatalf("%q gave an empty term", q)
	}
	for _, r := range term {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.ToLower(r) != r {
			t.Fatalf("%q gave term %q with %q", q, term, r)
		}
	}
}

// paragraph is about 2 KB of help-desk Indonesian.
var paragraph = strings.Repeat(`Pelayanan pengaduan masyarakat di kantor kelurahan kini dilayani melalui aplikasi.
Petugas menerima laporan, memeriksa berkas persyaratan, dan mengirimkan pemberitahuan kepada pemohon.
Pembayaran retribusi dapat dilakukan secara daring; bukti pembayaran disimpan dalam arsip digital.
`, 8)[:2048]

func BenchmarkTokens(b *testing.B) {
	b.SetBytes(int64(len(paragraph)))
	for b.Loop() {
		Tokens(paragraph)
	}
}

func TestWithinOneEditOnInvalidUTF8ReadAsTheSameLetters(t *testing.T) {
	// Two different bytes that are both invalid read as the same letter
	// (U+FFFD): equal, and no panic.
	for _, c := range [][2]string{{"\xff", "\xfe"}, {"\uFFFD", "\xff"}, {"a\xff", "a\xfe"}} {
		if !WithinOneEdit(c[0], c[1]) {
			t.Errorf("WithinOneEdit(%q, %q) = false", c[0], c[1])
		}
	}
}

func TestPlainTextKeepsTheWordsAReaderSees(t *testing.T) {
	cases := []struct{ md, want string }{
		{"# Judul\n\n**Tebal** dan _miring_, [tautan](https://x.id) ![gambar](a.png)", "Judul Tebal dan miring, tautan gambar"},
		{"- satu\n- dua\n1. tiga\n> kutipan", "satu dua tiga kutipan"},
		{"```go\nkode()\n```\n<b>html</b> &amp; teks", "kode() html & teks"},
		{"  biasa   saja  ", "biasa saja"},
		{"| Sisa cuti | Keterangan |\n|---|:---:|\n| 12 | hari |\n\n---\n\nSelesai", "Sisa cuti Keterangan 12 hari Selesai"},
		{"Nur'aini Dottoro'ta", "Nur'aini Dottoro'ta"},
	}
	for _, c := range cases {
		if got := PlainText(c.md); got != c.want {
			t.Errorf("PlainText(%q) = %q, want %q", c.md, got, c.want)
		}
	}
}
