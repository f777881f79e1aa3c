package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded CSS and JS under URLs that carry a hash of
// their content (/static/app.css?v=ab12…), so browsers may cache them for a
// year and still get a new file the moment it changes.
type staticFiles struct {
	hashes map[string]string
	files  fs.FS
}

func newStatic() (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	st := &staticFiles{hashes: map[string]string{}, files: sub}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		st.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return st, err
}

func (st *staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + st.hashes[name]
}

func (st *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	b, err := fs.ReadFile(st.files, name)
	if err != nil {
		Fail(w, r, errNotFound)
		return
	}
	if r.URL.Query().Get("v") == st.hashes[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	_, _ = w.Write(b)
}
