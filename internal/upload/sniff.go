package upload

import (
	"archive/zip"
	"bytes"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The types a file may have to be attached, each with the extensions its
// name may end in. Everything else is refused: executables, scripts,
// HTML and SVG (they can carry script), archives, legacy Office files
// (their macros cannot be inspected) and Office files with macros.
var allowedTypes = map[string][]string{
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg", ".jfif"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
	"application/pdf": {".pdf"},
	TypeText:          {".txt", ".text", ".log", ".md", ".json", ".tsv"},
	TypeCSV:           {".csv"},
	typeDocx:          {".docx"},
	typeXlsx:          {".xlsx"},
	typePptx:          {".pptx"},
	typeODT:           {".odt"},
	typeODS:           {".ods"},
	typeODP:           {".odp"},
}

// The content types the sniffer names beyond http.DetectContentType's
// (TypeText and TypeCSV are the harmless text types).
const (
	TypeText = "text/plain; charset=utf-8"
	TypeCSV  = "text/csv; charset=utf-8"
	typeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typePptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	typeODT  = "application/vnd.oasis.opendocument.text"
	typeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	typeODP  = "application/vnd.oasis.opendocument.presentation"
	typeZip  = "application/zip"
)

// magic numbers http.DetectContentType does not know, for naming what is
// refused.
var refusedMagic = []struct {
	prefix, ctype string
}{
	{"MZ", "application/x-msdownload"},
	{"\x7fELF", "application/x-executable"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"},
	{"\xca\xfe\xba\xbe", "application/java-vm"},
	{"\xcf\xfa\xed\xfe", "application/x-mach-binary"},
	{"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"},
}

// Sniff names a file's type from its bytes alone, never from its name or
// the client's word, and reports whether it may be attached and, when it
// may not, whether macros are why.
func Sniff(name string, data []byte) (ctype string, ok, macros bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", true, false
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true, false
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg", true, false
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif", true, false
	case len(data) >= 16 && string(data[:4]) == "RIFF" && string(data[8:15]) == "WEBPVP8":
		return "image/webp", true, false
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	}
	for _, m := range refusedMagic {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.ctype, false, false
		}
	}
	detected := MediaType(http.DetectContentType(data))
	if detected != "text/plain" {
		if (detected == "text/xml" || detected == "text/html") && isSVG(data) {
			detected = "image/svg+xml"
		}
		return detected, false, false
	}
	if ct := sniffText(data); ct != TypeText {
		return ct, false, false
	}
	if strings.EqualFold(path.Ext(name), ".csv") {
		// Only the wording of a harmless type follows the name: text is
		// text whatever it is called.
		return TypeCSV, true, false
	}
	return TypeText, true, false
}

// MediaType drops the parameters of a content type: what a refusal names.
func MediaType(ct string) string {
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}

// sniffText checks what http.DetectContentType took for text: valid UTF-8
// without NUL, and not markup (a file starting with a tag is HTML, SVG or
// XML whatever it lacks of the tags the standard sniffer looks for).
func sniffText(data []byte) string {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return "application/octet-stream"
	}
	text := bytes.TrimLeftFunc(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), unicode.IsSpace)
	head := bytes.ToLower(text[:min(len(text), 4096)])
	switch {
	case bytes.HasPrefix(head, []byte("#!")):
		return "text/x-shellscript"
	case !bytes.HasPrefix(head, []byte("<")):
		return TypeText
	case isSVG(text):
		return "image/svg+xml"
	case bytes.HasPrefix(head, []byte("<?xml")):
		return "text/xml"
	}
	return "text/html"
}

// isSVG reports whether markup is an SVG image: an <svg element near the
// start.
func isSVG(data []byte) bool {
	return bytes.Contains(bytes.ToLower(data[:min(len(data), 4096)]), []byte("<svg"))
}

// sniffZip looks inside a zip: Office Open XML documents have
// [Content_Types].xml and their part folder, ODF documents a mimetype
// entry. Any other zip is an archive and refused. Only those two small
// entries are read, so a zip bomb costs nothing.
func sniffZip(data []byte) (ctype string, ok, macros bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return typeZip, false, false
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
		if low := strings.ToLower(f.Name); strings.Contains(low, "vbaproject") || strings.HasPrefix(low, "basic/") ||
			strings.HasPrefix(low, "scripts/") {
			macros = true
		}
	}
	if i := slices.Index(names, "[Content_Types].xml"); i >= 0 {
		types := readEntry(zr.File[i], 1<<20)
		if bytes.Contains(bytes.ToLower(types), []byte("macroenabled")) {
			macros = true
		}
		ctype = typeZip
		for _, part := range []struct{ dir, ctype string }{{"word/", typeDocx}, {"xl/", typeXlsx}, {"ppt/", typePptx}} {
			if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, part.dir) }) {
				ctype = part.ctype
				break
			}
		}
		return ctype, ctype != typeZip && !macros, macros && ctype != typeZip
	}
	if len(zr.File) > 0 && zr.File[0].Name == "mimetype" {
		ctype = strings.TrimSpace(string(readEntry(zr.File[0], 200)))
		if slices.Contains([]string{typeODT, typeODS, typeODP}, ctype) {
			return ctype, !macros, macros
		}
		if ctype != "" && utf8.ValidString(ctype) && !strings.ContainsAny(ctype, "\x00\r\n") {
			return ctype, false, false
		}
	}
	return typeZip, false, false
}

// readEntry reads at most limit bytes of a zip entry, nothing on error.
func readEntry(f *zip.File, limit int64) []byte {
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, limit))
	return b
}

// MaxName bounds a file's name, in characters.
const MaxName = 150

// CleanName makes a client's file name safe to store and to offer back in
// Content-Disposition: the last path element, without control and
// invisible formatting characters (a right-to-left override can make
// "gpj.exe" read "exe.jpg"), at most maxName characters, and ending in an
// extension of its sniffed type, so a download cannot open as something
// else on the reporter's computer. Letters of every script are kept.
func CleanName(name, ctype string) string {
	name = SafeName(name)
	exts := allowedTypes[ctype]
	ext := strings.ToLower(path.Ext(name))
	base := strings.TrimSuffix(name, path.Ext(name))
	if !slices.Contains(exts, ext) {
		base, ext = name, exts[0]
	}
	if r := []rune(base); len(r) > MaxName {
		base = strings.TrimSpace(string(r[:MaxName]))
	}
	if base == "" {
		base = "lampiran"
	}
	return base + ext
}

// SafeName is a client's file name without its path, control and
// invisible formatting characters, as a refusal names it.
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	return strings.Trim(name, " .")
}
