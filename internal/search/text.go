package search

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown's markup, removed to leave the words a reader sees.
var (
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdRefLink  = regexp.MustCompile(`(?m)^\s*\[[^\]]+\]:\s*\S+.*$`)
	mdTag      = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	mdLineHead = regexp.MustCompile(`(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+|\x60{3,}.*$|~{3,}.*$)`)
	mdEmph     = regexp.MustCompile(`(^|[\s(])_+([^_\s][^_]*?)_+([\s.,;:!?)]|$)`)
	mdMarks    = strings.NewReplacer("**", "", "__", "", "~~", "", "`", "", "*", "", "|", " ")
	mdSpace    = regexp.MustCompile(`\s+`)
	// A table's header rule (|---|:--:|) and a horizontal rule (---).
	mdRule = regexp.MustCompile(`(?m)^[ \t]*\|?[ \t:|-]*-{3,}[ \t:|-]*$`)
)

// PlainText returns the words of a Markdown text as a reader sees them,
// on one line: links keep their text, images their description, and
// headings, emphasis, code fences and HTML tags are dropped. Snippets are
// cut from it; stems are taken from it.
func PlainText(md string) string {
	if !strings.ContainsAny(md, "[]<>#*_`~|&\n\r") {
		// One line without markup, as most posts and tickets are.
		return strings.Join(strings.Fields(md), " ")
	}
	s := mdImage.ReplaceAllString(md, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "")
	s = mdTag.ReplaceAllString(s, " ")
	s = mdRule.ReplaceAllString(s, "")
	s = mdLineHead.ReplaceAllString(s, "")
	s = mdEmph.ReplaceAllString(s, "$1$2$3")
	s = mdMarks.Replace(s)
	s = html.UnescapeString(s)
	return strings.TrimSpace(mdSpace.ReplaceAllString(s, " "))
}

// correctable says whether a stem is worth offering as a typo's
// correction: one edit in a word of three letters is another word, and
// numbers and codes are typed on purpose.
func correctable(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 4 || n > 24 {
		return false
	}
	for _, r := range t {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// deletions returns the distinct strings left by deleting one letter of t.
func deletions(t string) []string {
	rs := []rune(t)
	out := make([]string, 0, len(rs))
	for i := range rs {
		d := string(rs[:i]) + string(rs[i+1:])
		if len(out) == 0 || out[len(out)-1] != d {
			out = append(out, d)
		}
	}
	return out
}

// variants returns the words one edit (deletion, transposition,
// substitution or insertion of a letter a–z) away from w, for finding
// what a mistyped inflected word (pelayaann) meant to be.
func variants(w string) []string {
	rs := []rune(w)
	seen := map[string]bool{w: true}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i := range rs {
		add(string(rs[:i]) + string(rs[i+1:]))
		if i+1 < len(rs) {
			add(string(rs[:i]) + string(rs[i+1]) + string(rs[i]) + string(rs[i+2:]))
		}
	}
	for i := 0; i <= len(rs); i++ {
		for c := 'a'; c <= 'z'; c++ {
			add(string(rs[:i]) + string(c) + string(rs[i:]))
			if i < len(rs) && rs[i] != c {
				add(string(rs[:i]) + string(c) + string(rs[i+1:]))
			}
		}
	}
	return out
}
