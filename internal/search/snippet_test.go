package search

import (
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
	// Each form was looked at once and kept.
	if !m.seen["Pelayanan"] || !m.seen["pelayanan"] || m.seen["cepat"] {
		t.Errorf("seen = %v", m.seen)
	}
	if got := string(newMarker(nil).snippet("Pelayanan")); strings.Contains(got, "<mark>") {
		t.Errorf("no stems marked %s", got)
	}
}
