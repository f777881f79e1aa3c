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

func isRoot(w string) bool { _, ok := roots[w]; return ok }

// minStem is the shortest root, in runes, a stripped form may be.
const minStem = 3

// Suffix layers in Nazief–Adriani order: particles, then possessives, then
// derivational suffixes. Each layer strips at most one of its suffixes.
var (
	particles     = []string{"lah", "kah", "tah", "pun"}
	possessives   = []string{"nya", "ku", "mu"}
	derivationals = []string{"kan", "an", "i"}
)

// prefixRule removes prefix from a word and tries each recoding in turn:
// the remainder with the recoding glued in front (the root's first letter,
// which the nasal prefix swallowed: meN+sapu → menyapu).
type prefixRule struct {
	prefix   string
	recoding []string
	only     string // if set, the one root this prefix may leave
}

// prefixRules lists longer prefixes first; an empty recoding means the
// remainder as it is.
var prefixRules = []prefixRule{
	{"menge", []string{""}, ""},       // mengecek → cek, mengetahui → tahu
	{"penge", []string{""}, ""},       // pengecekan → cek
	{"meny", []string{"s", "ny"}, ""}, // menyapu → sapu, menyanyi → nyanyi
	{"peny", []string{"s", "ny"}, ""}, // penyimpan → simpan
	{"meng", []string{"", "k"}, ""},   // menggali → gali, mengirim → kirim
	{"peng", []string{"", "k"}, ""},   // pengguna → guna, pengirim → kirim
	{"mem", []string{"", "p"}, ""},    // membayar → bayar, memakai → pakai
	{"pem", []string{"", "p"}, ""},    // pembayar → bayar, pemakai → pakai
	{"men", []string{"", "t"}, ""},    // mendapat → dapat, menulis → tulis
	{"pen", []string{"", "t"}, ""},    // pendapat → dapat, penulis → tulis
	{"me", []string{""}, ""},          // melayani → layan, memasak → masak
	{"pe", []string{""}, ""},          // pelayan → layan, petani → tani
	{"bel", []string{""}, "ajar"},     // belajar → ajar; no other root (pelanggar is not pe-anggar)
	{"pel", []string{""}, "ajar"},     // pelajaran → ajar
	{"ber", []string{""}, ""},         // berhasil → hasil
	{"be", []string{""}, ""},          // bekerja → kerja, berenang → renang
	{"ter", []string{""}, ""},         // terbuka → buka
	{"te", []string{""}, ""},          // terasa → rasa
	{"per", []string{""}, ""},         // perbaik(an) → baik
	{"di", []string{""}, ""},          // dilayani → layan
	{"ke", []string{""}, ""},          // keberhasilan → berhasil → hasil
	{"se", []string{""}, ""},          // sebagian → bagi
}

// maxPrefixes bounds confix stripping (memper-taruh-kan has two).
const maxPrefixes = 3

// Stem returns the root of an Indonesian word: lowercased, accents folded,
// particles, possessives, derivational suffixes and up to three prefixes
// removed, with nasal recoding. A form is accepted only if it is a known
// root; a word with no such form is returned folded but otherwise whole.
func Stem(word string) string {
	w := fold(word)
	if utf8.RuneCountInString(w) < 4 || isRoot(w) {
		return w
	}
	for _, s := range suffixForms(w) {
		if isRoot(s) {
			return s
		}
		if r, ok := stripPrefixes(s, maxPrefixes); ok {
			return r
		}
	}
	return w
}

// suffixForms lists w and the forms left by stripping its suffix layers,
// least stripped first, so a root that merely ends like a suffix (tani,
// makan) is found before it is cut.
func suffixForms(w string) []string {
	forms := []string{w}
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
		for _, rc := range r.recoding {
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
