package search

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// roots.txt holds Indonesian root words (kata dasar), whitespace separated.
// The stemmer accepts a stripped form only when it is a known root: an
// unknown word (a loanword, a name, a code) is safer left whole than cut.
//
//go:embed roots.txt
var rootsText string

var roots = func() map[string]struct{} {
	m := make(map[string]struct{}, 4096)
	for line := range strings.Lines(rootsText) {
		if !strings.HasPrefix(line, "#") {
			for _, w := range strings.Fields(line) {
				m[w] = struct{}{}
			}
		}
	}
	return m
}()

// isRoot reports whether w is in the embedded root list.
func isRoot(w string) bool { _, ok := roots[w]; return ok }

// minStem is the shortest root a stripped form may be, in bytes: roots are
// plain ASCII.
const minStem = 3

// Suffix layers in Nazief–Adriani order: particles, then possessives, then
// derivational suffixes. Each layer strips at most one of its suffixes.
var (
	particles     = []string{"lah", "kah", "tah", "pun"}
	possessives   = []string{"nya", "ku", "mu"}
	derivationals = []string{"kan", "an", "i"}
)

// prefixRule removes prefix from a word. Before a vowel, a nasal prefix
// has swallowed the root's first consonant (meN+sapu → menyapu, meN+tulis →
// menulis), so the remainder is tried with each of vowel's letters glued
// back in front, "" meaning as it is; nil means as it is too, and an empty
// list that the prefix never stands before a vowel (me-, be-, te-). Before a
// consonant the remainder is the root as it is. Only, if set, is the one
// root the prefix may leave.
type prefixRule struct {
	prefix string
	vowel  []string
	only   string
}

// prefixRules lists longer prefixes first.
var prefixRules = []prefixRule{
	{"menge", nil, ""},                // mengecek → cek, mengetahui → tahu
	{"penge", nil, ""},                // pengecekan → cek
	{"meny", []string{"s", "ny"}, ""}, // menyapu → sapu, menyanyi → nyanyi
	{"peny", []string{"s", "ny"}, ""}, // penyimpan → simpan
	{"meng", []string{"", "k"}, ""},   // mengambil → ambil, mengirim → kirim, menggali → gali
	{"peng", []string{"", "k"}, ""},   // pengaduan → adu, pengirim → kirim, pengguna → guna
	{"mem", []string{"p"}, ""},        // memakai → pakai, membayar → bayar, mempunyai → punya
	{"pem", []string{"p"}, ""},        // pemakai → pakai, pembayar → bayar
	{"men", []string{"t"}, ""},        // menulis → tulis (never anggap for menanggapi), mendapat → dapat
	{"pen", []string{"t"}, ""},        // penulis → tulis, pendapat → dapat
	{"me", []string{}, ""},            // melayani → layan, memasak → masak
	{"pe", nil, ""},                   // pelayan → layan, petani → tani
	{"bel", nil, "ajar"},              // belajar → ajar; no other root (pelanggar is not pe-anggar)
	{"pel", nil, "ajar"},              // pelajaran → ajar
	{"ber", nil, ""},                  // berhasil → hasil, berisi → isi
	{"be", []string{}, ""},            // bekerja → kerja, berenang → renang
	{"ter", nil, ""},                  // terbuka → buka, teratasi → atas
	{"te", []string{}, ""},            // terasa → rasa
	{"per", nil, ""},                  // perbaik(an) → baik
	{"di", nil, ""},                   // dilayani → layan
	{"ke", nil, ""},                   // keberhasilan → berhasil → hasil
	{"se", nil, ""},                   // sebagian → bagi
}

// asIs is the recoding that leaves the remainder as it is.
var asIs = []string{""}

// recodings returns the letters to try in front of rest.
func (r prefixRule) recodings(rest string) []string {
	if r.vowel != nil && rest != "" && strings.IndexByte("aiueo", rest[0]) >= 0 {
		return r.vowel
	}
	return asIs
}

// maxPrefixes bounds confix stripping (memper-taruh-kan has two).
const maxPrefixes = 3

// Stem returns the root of an Indonesian word: lowercased, accents folded,
// particles, possessives, derivational suffixes and up to three prefixes
// removed, with nasal recoding. A form is accepted only if it is a known
// root; a word with no such form, or a stop word (tetapi is not tetap-i), is
// returned folded but otherwise whole.
func Stem(word string) string {
	w := fold(word)
	if utf8.RuneCountInString(w) < 4 || isRoot(w) || IsStopWord(w) {
		return w
	}
	var buf [6]string // w, -particle, -possessive, -kan, -an, -i
	forms := suffixForms(w, buf[:0])
	for _, s := range forms {
		if isRoot(s) {
			return s
		}
	}
	// Prefixes come off the most stripped form first: memberikan is
	// mem-beri-kan, not mem-ber-ikan.
	for i := len(forms) - 1; i >= 0; i-- {
		if r, ok := stripPrefixes(forms[i], maxPrefixes); ok {
			return r
		}
	}
	return w
}

// suffixForms lists w and the forms left by stripping its suffix layers,
// least stripped first, so a root that merely ends like a suffix (bagi in
// bagian, not bag) is found before it is cut further.
func suffixForms(w string, forms []string) []string {
	forms = append(forms, w)
	cur := w
	for _, layer := range [][]string{particles, possessives} {
		if s, ok := trimSuffix(cur, layer); ok {
			cur = s
			forms = append(forms, cur)
		}
	}
	for _, suf := range derivationals {
		if s, ok := trimSuffix(cur, []string{suf}); ok {
			forms = append(forms, s)
		}
	}
	return forms
}

// trimSuffix removes the first of sufs that w ends with, if a root-sized
// stem remains.
func trimSuffix(w string, sufs []string) (string, bool) {
	for _, s := range sufs {
		if strings.HasSuffix(w, s) && len(w)-len(s) >= minStem {
			return w[:len(w)-len(s)], true
		}
	}
	return w, false
}

// stripPrefixes removes up to n prefixes from w, depth first in rule
// order, and returns the first known root it reaches.
func stripPrefixes(w string, n int) (string, bool) {
	if n == 0 {
		return "", false
	}
	for _, r := range prefixRules {
		if r.prefix[0] != w[0] { // cheap first test: most rules start elsewhere
			continue
		}
		rest, ok := strings.CutPrefix(w, r.prefix)
		if !ok {
			continue
		}
		for _, rc := range r.recodings(rest) {
			cand := rc + rest
			if r.only != "" && cand != r.only {
				continue
			}
			if len(cand) < minStem {
				continue
			}
			if isRoot(cand) {
				return cand, true
			}
			if got, ok := stripPrefixes(cand, n-1); ok {
				return got, true
			}
		}
	}
	return "", false
}
