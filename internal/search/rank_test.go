package search

import (
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
