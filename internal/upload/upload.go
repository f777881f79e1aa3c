// Package upload checks the files people attach — to help desk tickets,
// to knowledge articles — and serves them back safely. A file's type comes
// from its bytes (Sniff), never from its name or the client's word; its
// name is cleaned (CleanName); its size and the number of files are
// bounded (Limits); and a download carries headers that keep a browser
// from running anything it holds (Serve). The messages of a refusal are
// the i18n keys "err.attach.*".
package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
)

// File is a file as it arrived: the name the client gave it and its
// bytes. Neither the name nor the client's content type is believed.
type File struct {
	Name string
	Data []byte
}

// Limits bound the files of one message or article: the size of each and
// how many at once.
type Limits struct {
	MaxBytes int64
	MaxFiles int
}

// Default is 10 MiB per file and 5 files at once.
var Default = Limits{MaxBytes: 10 << 20, MaxFiles: 5}

// NewLimits returns the limits of the configuration (MiB per file, files
// at once), refusing values outside 1–1024 MiB and 1–50 files.
func NewLimits(maxMB, maxFiles int) (Limits, error) {
	if maxMB < 1 || maxMB > 1024 {
		return Limits{}, fmt.Errorf("attachment-max-mb %d: use 1 to 1024", maxMB)
	}
	if maxFiles < 1 || maxFiles > 50 {
		return Limits{}, fmt.Errorf("attachment-max-files %d: use 1 to 50", maxFiles)
	}
	return Limits{MaxBytes: int64(maxMB) << 20, MaxFiles: maxFiles}, nil
}

// Request is the most a request carrying files may weigh: every file at
// its limit and a megabyte for the text and the multipart framing.
func (l Limits) Request() int64 { return int64(l.MaxFiles)*l.MaxBytes + 1<<20 }

// Checked is a file that passed the checks: cleaned name, sniffed type,
// size and SHA-256, with its bytes, ready to store.
type Checked struct {
	Name        string
	Size        int64
	ContentType string
	SHA256      string
	Data        []byte
}

// Check checks files against the limits and the allowed types, adding a
// field error on field naming each file refused, and returns those that
// pass. It reads no database, so it runs before the transaction.
func Check(v *errs.Validation, field string, files []File, lim Limits) []Checked {
	if len(files) == 0 {
		return nil
	}
	if len(files) > lim.MaxFiles {
		v.Add(field, "attach.too_many", lim.MaxFiles, len(files))
		return nil
	}
	out := make([]Checked, 0, len(files))
	for _, u := range files {
		shown := SafeName(u.Name)
		if r := []rune(shown); len(r) > MaxName {
			shown = string(r[:MaxName]) + "…"
		}
		if len(u.Data) == 0 {
			v.Add(field, "attach.empty", shown)
			continue
		}
		if int64(len(u.Data)) > lim.MaxBytes {
			v.Add(field, "attach.too_big", shown, SizeText(int64(len(u.Data))), SizeText(lim.MaxBytes))
			continue
		}
		ctype, ok, macros := Sniff(u.Name, u.Data)
		switch {
		case macros:
			v.Add(field, "attach.macros", shown)
			continue
		case !ok:
			v.Add(field, "attach.forbidden", shown, ctype)
			continue
		}
		sum := sha256.Sum256(u.Data)
		out = append(out, Checked{Name: CleanName(u.Name, ctype), Size: int64(len(u.Data)), ContentType: ctype,
			SHA256: hex.EncodeToString(sum[:]), Data: u.Data})
	}
	return out
}

// SizeText words a size for people, without decimals so it reads the same
// in every language: 10 MiB, 1025 KiB, 300 B.
func SizeText(n int64) string {
	switch {
	case n >= 1<<20 && (n%(1<<20) == 0 || n >= 10<<20):
		return strconv.FormatInt((n+1<<19)>>20, 10) + " MiB"
	case n >= 1<<10:
		return strconv.FormatInt((n+1<<10-1)>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// FormFiles reads the files sent in the member field of a multipart form;
// a form without files (or not multipart) has none. An unreadable form is
// an Invalid "form" error.
func FormFiles(r *http.Request, field string) ([]File, error) {
	if r.MultipartForm == nil {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			return nil, nil
		}
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return nil, errs.New(errs.Invalid, "form")
		}
	}
	var out []File
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Filename == "" && fh.Size == 0 { // an empty file input
			continue
		}
		data, err := readPart(fh)
		if err != nil {
			return nil, errs.New(errs.Invalid, "form")
		}
		out = append(out, File{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Serve sends a stored file so that no browser runs it: its sniffed type,
// nosniff, a sandboxing CSP and, but for images, as a download; its
// SHA-256 is the ETag.
func Serve(w http.ResponseWriter, r *http.Request, name, ctype, sha string, modified time.Time, data []byte) {
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	disposition := "attachment"
	if strings.HasPrefix(ctype, "image/") {
		disposition = "inline"
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": name}); cd != "" {
		disposition = cd
	}
	hd.Set("Content-Disposition", disposition)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Set("Cache-Control", "private, no-store") // an attachment can be personal (ASVS 8.2.1)
	hd.Set("ETag", `"`+sha+`"`)
	http.ServeContent(w, r, "", modified, bytes.NewReader(data))
}
