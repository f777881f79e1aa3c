package web

import (
	"bytes"
	"testing"
	"testing/fstest"
	"time"
)

// TestPartialsAreSharedNotPages checks that a capability's *.partial.html
// file is parsed into each of its pages and is not a page itself.
func TestPartialsAreSharedNotPages(t *testing.T) {
	ps := newPageSet()
	ps.add(fstest.MapFS{
		"cap/fields.partial.html": {Data: []byte(`{{define "field"}}<input name="{{.}}">{{end}}`)},
		"cap/one.html":            {Data: []byte(`{{define "content"}}{{template "field" "nip"}}{{end}}`)},
		"cap/two.html":            {Data: []byte(`{{define "content"}}{{template "field" "email"}}{{end}}`)},
	})
	if err := ps.parse(); err != nil {
		t.Fatal(err)
	}
	if _, ok := ps.pages["cap/fields.partial"]; ok {
		t.Error("a partial was registered as a page")
	}
	for name, want := range map[string]string{"cap/one": `<input name="nip">`, "cap/two": `<input name="email">`} {
		var b bytes.Buffer
		if err := ps.pages[name].ExecuteTemplate(&b, "content", nil); err != nil || b.String() != want {
			t.Errorf("%s rendered %q, %v", name, b.String(), err)
		}
	}
}

// TestSpanNamesTheDayOnceWhenItFitsInOne: a session of a morning reads as
// one day and two times; one over midnight shows both in full.
func TestSpanNamesTheDayOnceWhenItFitsInOne(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	v := &View{Lang: "id", srv: &Server{loc: wita}}
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 WITA
	if got, want := v.Span(start, start.Add(3*time.Hour)), "2 Mar 2026 09:00–12:00 WITA"; got != want {
		t.Errorf("same day: %q, want %q", got, want)
	}
	if got, want := v.Span(start, start.Add(24*time.Hour)), "2 Mar 2026 09:00 WITA – 3 Mar 2026 09:00 WITA"; got != want {
		t.Errorf("two days: %q, want %q", got, want)
	}
}
