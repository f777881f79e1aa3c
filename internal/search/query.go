package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
)

// qterm is one word of a query: as typed (folded), its stem, and the
// stems that also count for it when the word was mistyped.
type qterm struct {
	word string
	stem string
	alts []string // corrections: the stem within one edit the index knows
	fix  string   // the corrected word shown in "did you mean", "" if none
}

// query is a search text understood: its distinct stems in order.
type query struct {
	text  string
	terms []qterm
}

// parseQuery splits text into words and stems them as Tokens does,
// keeping each stem's first word for "did you mean". Anything typed is
// accepted: operators and quotes separate words, stop words drop out.
func parseQuery(text string) query {
	text = trimQuery(text) // every caller's words are bounded, whole letters kept
	q := query{text: text}
	seen := map[string]bool{}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) || r == unicode.ReplacementChar
	})
	for _, w := range words {
		for _, t := range Tokens(w) {
			if !seen[t] && len(q.terms) < maxQueryTerms {
				seen[t] = true
				q.terms = append(q.terms, qterm{word: fold(w), stem: t})
			}
		}
	}
	return q
}

// stems returns every stem a match counts: the terms and their corrections.
func (q query) stems() map[string]bool {
	m := map[string]bool{}
	for _, t := range q.terms {
		m[t.stem] = true
		for _, a := range t.alts {
			m[a] = true
		}
	}
	return m
}

// corrected returns the text with its mistyped words corrected, "" when
// none was.
func (q query) corrected() string {
	var out []string
	changed := false
	for _, t := range q.terms {
		if t.fix != "" {
			out, changed = append(out, t.fix), true
		} else {
			out = append(out, t.word)
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(out, " ")
}

// match returns the engine's full-text query: every term (all, else any),
// each term its stem or one of its corrections. Stems hold only letters
// and digits, so quoting them (FTS5) or naming them (tsquery) is safe.
func (q query) match(engine db.Engine, all bool) string {
	or, and, quote := " OR ", " AND ", `"`
	if engine == db.Postgres {
		or, and, quote = " | ", " & ", ""
	}
	groups := make([]string, len(q.terms))
	for i, t := range q.terms {
		alts := append([]string{t.stem}, t.alts...)
		for j, a := range alts {
			alts[j] = quote + a + quote
		}
		groups[i] = "(" + strings.Join(alts, or) + ")"
	}
	if all {
		return strings.Join(groups, and)
	}
	return strings.Join(groups, or)
}

// maxQueryRunes bounds what a search reads of its text: a pasted page is
// searched by its first words, not refused.
const maxQueryRunes = 2000

// trimQuery keeps the first maxQueryRunes characters of text.
func trimQuery(text string) string {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= maxQueryRunes {
		return text
	}
	return string([]rune(text)[:maxQueryRunes])
}
