package search

import (
	"slices"
	"testing"
	"time"
)

// Every whole occurrence of a stem counts, adjacent ones too, and a longer
// stem that begins or ends with it does not.
func TestCountWordCountsEveryWholeStem(t *testing.T) {
	for _, c := range []struct {
		terms, w string
		want     int
	}{
		{"layan layan layan", "layan", 3},
		{"layan", "layan", 1},
		{"layanan pelayan layan", "layan", 1},
		{"alayan layana", "layan", 0},
		{"izin layan layan izin layan", "layan", 3},
		{"a a a a", "a", 4},
		{"", "layan", 0},
		{"layan", "", 0},
	} {
		if got := countWord(c.terms, c.w); got != c.want {
			t.Errorf("countWord(%q, %q) = %d, want %d", c.terms, c.w, got, c.want)
		}
	}
}

// Repeated words weigh in the rank: of two otherwise equal candidates,
// the one saying the word more often ranks first (the newer one when
// adjacent stems shared a space and counted as fewer).
func TestRankCountsRepeatedWords(t *testing.T) {
	q := parseQuery("layanan")
	now := time.Now()
	cands := []candidate{
		{row: 2, kind: KindArticle, ref: "2", updated: now, titleTerms: "izin", bodyTerms: "layan x layan x"},
		{row: 1, kind: KindArticle, ref: "1", updated: now, titleTerms: "izin", bodyTerms: "layan layan layan x"},
	}
	if got := rank(cands, q, now, 0); got[0].ref != "1" {
		t.Errorf("ranked %s first, want 1 (layan three times)", got[0].ref)
	}
}

// Candidates of equal score come newest row first, whatever order they
// were read in.
func TestRankBreaksTiesNewestFirst(t *testing.T) {
	q := parseQuery("layanan")
	now := time.Now()
	var cands []candidate
	for _, row := range []int64{3, 7, 1, 9, 4} {
		cands = append(cands, candidate{row: row, kind: KindArticle, updated: now, titleTerms: "izin", bodyTerms: "layan"})
	}
	var got []int64
	for _, c := range rank(cands, q, now, 0) {
		got = append(got, c.row)
	}
	if want := []int64{9, 7, 4, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("rows ranked %v, want %v", got, want)
	}
}
