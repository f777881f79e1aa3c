// Package i18n holds Lontara's message catalogs — Indonesian first, English
// second — and looks messages up. Catalogs are flat JSON files embedded from
// locales/<lang>/<area>.json; each capability keeps its own area file so
// changes to one do not collide with another. Messages use fmt verbs.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// The supported languages. ID is the default.
const (
	ID = "id"
	EN = "en"
)

// Langs lists the supported languages, default first.
var Langs = []string{ID, EN}

//go:embed locales
var files embed.FS

var catalogs = mustLoad()

func mustLoad() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Langs {
		cat := map[string]string{}
		dir := "locales/" + lang
		entries, err := fs.ReadDir(files, dir)
		if err != nil {
			panic(fmt.Sprintf("i18n: %v", err))
		}
		for _, e := range entries {
			b, err := fs.ReadFile(files, path.Join(dir, e.Name()))
			if err != nil {
				panic(fmt.Sprintf("i18n: %v", err))
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s/%s: %v", dir, e.Name(), err))
			}
			for k, v := range m {
				if _, dup := cat[k]; dup {
					panic(fmt.Sprintf("i18n: key %q defined twice in %s", k, dir))
				}
				cat[k] = v
			}
		}
		out[lang] = cat
	}
	return out
}

// T returns the message key in lang, formatted with args. A key missing in
// lang falls back to Indonesian, then to the key itself, so a gap shows up
// on the page instead of an empty string (TestCatalogsMatch catches gaps).
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		if msg, ok = catalogs[ID][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key is in the catalog of lang.
func Has(lang, key string) bool {
	_, ok := catalogs[lang][key]
	return ok
}

// Label translates code (a kind, a type, an action stored as a code)
// under prefix in lang, or returns the code itself when no catalog has a
// word for it: a code the catalogs do not know yet is shown as it is,
// never as a message key.
func Label(lang, prefix, code string) string {
	if w, ok := Word(lang, prefix+code); ok {
		return w
	}
	return code
}

// Word returns key's message in lang (Indonesian when lang has none) and
// whether any catalog has it.
func Word(lang, key string) (string, bool) {
	if Has(lang, key) || Has(ID, key) {
		return T(lang, key), true
	}
	return "", false
}

// Keys returns the keys of lang's catalog.
func Keys(lang string) []string {
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	return keys
}

// Valid returns lang if it is supported, else the default.
func Valid(lang string) string {
	for _, l := range Langs {
		if l == lang {
			return l
		}
	}
	return ID
}

// FromAcceptLanguage picks the first supported language in an
// Accept-Language header, or "" when none is.
func FromAcceptLanguage(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		for _, l := range Langs {
			if base == l {
				return l
			}
		}
	}
	return ""
}
