package web

import (
	"bytes"
	"testing"
	"testing/fstest"
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
