package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// headingIDs makes headings' anchor ids from their text the way readers
// of Indonesian text expect: letters of any script and digits kept and
// lowercased ("Ä" stays "ä"), spaces and hyphens as one hyphen, the rest
// (apostrophes, punctuation) dropped, IDPrefix in front, and a number
// after a repeated heading (-1, -2, …). goldmark's own generator keeps
// ASCII only, which loses words like "Dottoro'ta Ärzte".
type headingIDs struct{ used map[string]bool }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate returns the id for a heading with the given text.
func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == ' ' || r == '-' || r == '_' || unicode.IsSpace(r):
			dash = true
		}
		if b.Len() > 80 {
			break
		}
	}
	base := b.String()
	if base == "" {
		base = "bagian"
	}
	base = IDPrefix + base
	id := base
	for n := 1; h.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an id given explicitly, so a generated one never repeats it.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
