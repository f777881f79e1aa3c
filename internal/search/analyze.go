// Package search analyses Indonesian text for the full-text search: it
// folds, splits, drops stop words and stems, so "pelayanan", "melayani" and
// "layanan" all index and query as "layan".
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTokenRunes leaves longer runs (hashes, pasted junk) unstemmed: no
// Indonesian word is that long, and stemming them only costs time.
const maxTokenRunes = 40

// maxQueryTerms bounds a query's terms, so a 2,000-character paste stays
// a cheap query.
const maxQueryTerms = 32

// Tokens returns the stems of the words in text, in order, without stop
// words. Words are runs of letters and digits; everything else separates
// them, and a hyphenated reduplication (layanan-layanan) counts once.
func Tokens(text string) []string {
	var out []string
	prevHyphen := false // the previous word ended at a '-'
	word := make([]byte, 0, 64)
	emit := func(next rune) {
		if len(word) > 0 {
			w := string(word)
			word = word[:0]
			if _, stop := stopWords[w]; !stop {
				if utf8.RuneCountInString(w) <= maxTokenRunes {
					w = Stem(w)
				}
				// layanan-layanan, berlari-lari: the repeated half adds nothing.
				if !(prevHyphen && len(out) > 0 && out[len(out)-1] == w) {
					out = append(out, w)
				}
			}
		}
		prevHyphen = next == '-'
	}
	for _, r := range text {
		switch {
		case r == utf8.RuneError:
			emit(r)
		case unicode.Is(unicode.Mn, r):
			// A combining accent (e + ◌́) folds away like é does.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = utf8.AppendRune(word, foldRune(unicode.ToLower(r)))
		default:
			emit(r)
		}
	}
	emit(0)
	return out
}

// Query returns the distinct stems of a user's search text, at most
// maxQueryTerms of them. It accepts anything: full-text operators (" * - :
// NEAR ( )) are plain separators or stop words, invalid UTF-8 separates
// words, and a text of only stop words gives an empty query.
func Query(text string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, t := range Tokens(text) {
		if !seen[t] && len(out) < maxQueryTerms {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// fold lowercases s and folds Latin accents (é → e), dropping combining
// marks, so "Pelayanan" and "pélayanan" stem alike.
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(foldRune(unicode.ToLower(r)))
	}
	return b.String()
}

// isFolded reports whether s is lowercase ASCII already, as most words
// reaching Stem from Tokens are, so fold need not copy them.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// accents maps each base letter to the accented lowercase forms folding
// onto it: Latin-1 and Latin Extended-A, which covers names in the region.
var accents = map[rune]string{
	'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě",
	'g': "ĝğġģ", 'h': "ĥħ", 'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ",
	'l': "ĺļľŀł", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő", 'r': "ŕŗř",
	's': "śŝşš", 't': "ţťŧ", 'u': "ùúûüũūŭůűų", 'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
}

var foldTable = func() map[rune]rune {
	m := make(map[rune]rune)
	for base, forms := range accents {
		for _, r := range forms {
			m[r] = base
		}
	}
	return m
}()

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	if f, ok := foldTable[r]; ok {
		return f
	}
	return r
}

// WithinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent letters (Damerau),
// for matching a mistyped query word against the index's vocabulary.
func WithinOneEdit(a, b string) bool {
	if a == b {
		return true
	}
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y)-len(x) > 1 {
		return false
	}
	i := 0 // length of the common prefix
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if i == len(x) && len(x) == len(y) { // equal as letters (invalid UTF-8 read alike)
		return true
	}
	if len(x) < len(y) { // one insertion
		return string(x[i:]) == string(y[i+1:])
	}
	if string(x[i+1:]) == string(y[i+1:]) { // one substitution
		return true
	}
	return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] &&
		string(x[i+2:]) == string(y[i+2:]) // one transposition
}
