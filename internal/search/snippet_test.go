package search

import (
	"fmt"
	"strings"
	"testing"
)

// One marker serves a page of results: a word form it has stemmed once is
// marked alike in every later text, and one that missed stays unmarked,
// whatever text it comes in.
func TestMarkerMarksEachTextOfAPage(t *testing.T) {
	m := newMarker(map[string]bool{"layan": true})
	texts := []string{
		"Pelayanan cepat, layanan ramah.",
		"pelayanan lambat; Pelayanan tetap dibuka",
		"Tidak ada yang cocok di sini",
	}
	want := []string{
		"<mark>Pelayanan</mark> cepat, <mark>layanan</mark> ramah.",
		"<mark>pelayanan</mark> lambat; <mark>Pelayanan</mark> tetap dibuka",
		"Tidak ada yang cocok di sini",
	}
	for i, text := range texts {
		if got := string(m.snippet(text)); got != want[i] {
			t.Errorf("text %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
	// Each form was looked at once and kept, a hit or not.
	if missed, ok := m.seen["cepat"]; !m.seen["Pelayanan"] || !m.seen["pelayanan"] || !ok || missed {
		t.Errorf("seen = %v", m.seen)
	}
	if got := string(newMarker(nil).snippet("Pelayanan")); strings.Contains(got, "<mark>") {
		t.Errorf("no stems marked %s", got)
	}
}

// A page of long texts of made-up words keeps at most maxSeen of them, and
// the words past the bound are still marked.
func TestMarkerKeepsBoundedWords(t *testing.T) {
	m := newMarker(map[string]bool{"layan": true})
	for text := 0; text < 8; text++ {
		var b strings.Builder
		for i := range 1500 { // 8 × 1,500 words, past maxSeen; each text within snippetScanBytes
			fmt.Fprintf(&b, "kata%dx%d ", text, i)
		}
		b.WriteString("pelayanan")
		if got := string(m.snippet(b.String())); !strings.Contains(got, "<mark>pelayanan</mark>") {
			t.Fatalf("text %d: pelayanan not marked: %.80s…", text, got)
		}
	}
	if len(m.seen) > maxSeen {
		t.Errorf("kept %d words, want at most %d", len(m.seen), maxSeen)
	}
}
