package knowledge

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A readable diff between two versions of an article: lines are compared
// first (Myers' O(ND) algorithm), and where a run of lines was replaced,
// the words inside it, so a one-word fix shows as that word and not as a
// whole paragraph removed and written again. The result is HTML: what was
// removed inside <del>, what was added inside <ins>, every piece of text
// escaped — an article's Markdown is shown as source, never rendered.

// maxEdits bounds the edit distance the diff searches; texts further apart
// than that show as all removed and all added (an unrelated rewrite reads
// no worse that way, and the search stays within a few megabytes).
const maxEdits = 1500

// maxWordTokens bounds the words compared inside a replaced run of lines.
const maxWordTokens = 4000

// edit is one step of a diff: keep, delete or insert a token.
type edit struct {
	op   byte // '=', '-', '+'
	text string
}

// Diff compares two texts and returns the diff as escaped HTML with <ins>
// and <del>, and the number of words added and removed.
func Diff(from, to string) (html template.HTML, added, removed int) {
	var b strings.Builder
	lines := diff(splitLines(from), splitLines(to))
	for i := 0; i < len(lines); {
		if lines[i].op == '=' {
			b.WriteString(template.HTMLEscapeString(lines[i].text))
			i++
			continue
		}
		// A run of changed lines: compare its words.
		var del, ins strings.Builder
		for ; i < len(lines) && lines[i].op != '='; i++ {
			if lines[i].op == '-' {
				del.WriteString(lines[i].text)
			} else {
				ins.WriteString(lines[i].text)
			}
		}
		dw, iw := splitWords(del.String()), splitWords(ins.String())
		var words []edit
		if len(dw) <= maxWordTokens && len(iw) <= maxWordTokens {
			words = diff(dw, iw)
		} else {
			words = []edit{{'-', del.String()}, {'+', ins.String()}}
		}
		for _, w := range regroup(merge(words)) {
			text := template.HTMLEscapeString(w.text)
			switch w.op {
			case '=':
				b.WriteString(text)
			case '-':
				b.WriteString("<del>" + text + "</del>")
				removed += countWords(w.text)
			case '+':
				b.WriteString("<ins>" + text + "</ins>")
				added += countWords(w.text)
			}
		}
	}
	return template.HTML(b.String()), added, removed
}

// merge joins neighbouring steps of the same kind, so a changed phrase is
// one <ins> and not one per word.
func merge(es []edit) []edit {
	var out []edit
	for _, e := range es {
		if e.text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].op == e.op {
			out[n-1].text += e.text
			continue
		}
		out = append(out, e)
	}
	return out
}

// regroup makes a replaced phrase read as one deletion and one insertion:
// changes separated only by a space or a mark or two ("SK pangkat" →
// "PAK bagi") become one removed and one added run, instead of words
// struck through and underlined in turn.
func regroup(es []edit) []edit {
	var out []edit
	for i := 0; i < len(es); {
		if es[i].op == '=' {
			out = append(out, es[i])
			i++
			continue
		}
		var del, ins strings.Builder
	run:
		for ; i < len(es); i++ {
			e := es[i]
			switch {
			case e.op == '-':
				del.WriteString(e.text)
			case e.op == '+':
				ins.WriteString(e.text)
			case slight(e.text) && i+1 < len(es) && es[i+1].op != '=':
				del.WriteString(e.text)
				ins.WriteString(e.text)
			default:
				break run
			}
		}
		if del.Len() > 0 {
			out = append(out, edit{'-', del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, edit{'+', ins.String()})
		}
	}
	return out
}

// slight reports whether kept text between two changes is too little to
// read on its own: spaces, or at most two characters, on one line.
func slight(s string) bool {
	return !strings.Contains(s, "\n") && (strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) <= 2)
}

func countWords(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }))
}

// splitLines cuts text into lines, each keeping its newline.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '_'
}

// splitWords cuts text into words, runs of spaces and single other
// characters (punctuation, Markdown marks), which together are the text.
func splitWords(s string) []string {
	var out []string
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		end := n
		switch {
		case isWordRune(r):
			for end < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[end:])
				if !isWordRune(r2) {
					break
				}
				end += n2
			}
		case r == ' ' || r == '\t':
			for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
				end++
			}
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// diff is Myers' algorithm over two token lists after their common
// prefix and suffix are set aside. Beyond maxEdits it gives up and
// answers "all removed, all added".
func diff(a, b []string) []edit {
	var pre, suf []edit
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		pre = append(pre, edit{'=', a[0]})
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		suf = append(suf, edit{'=', a[len(a)-1]})
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	mid := myers(a, b)
	for i := len(suf) - 1; i >= 0; i-- {
		mid = append(mid, suf[i])
	}
	return append(pre, mid...)
}

func myers(a, b []string) []edit {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return allChanged(a, b)
	}
	// trace[d][k+d] is the furthest x reached on diagonal k = x-y with d
	// edits, k in [-d, d].
	var trace [][]int
	found := -1
	for d := 0; d <= min(n+m, maxEdits) && found < 0; d++ {
		v := make([]int, 2*d+1)
		for k := -d; k <= d; k += 2 {
			var x int
			switch {
			case d == 0:
				x = 0
			case k == -d || (k != d && trace[d-1][k-1+d-1] < trace[d-1][k+1+d-1]):
				x = trace[d-1][k+1+d-1] // down: an insertion
			default:
				x = trace[d-1][k-1+d-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[k+d] = x
			if x >= n && y >= m {
				found = d
			}
		}
		trace = append(trace, v)
	}
	if found < 0 {
		return allChanged(a, b)
	}
	var rev []edit
	x, y := n, m
	for d := found; d > 0; d-- {
		prev := trace[d-1]
		k := x - y
		down := k == -d || (k != d && prev[k-1+d-1] < prev[k+1+d-1])
		pk := k - 1
		if down {
			pk = k + 1
		}
		px := prev[pk+d-1]
		py := px - pk
		mx, my := px+1, py
		if down {
			mx, my = px, py+1
		}
		for x > mx && y > my {
			rev = append(rev, edit{'=', a[x-1]})
			x, y = x-1, y-1
		}
		if down {
			rev = append(rev, edit{'+', b[py]})
		} else {
			rev = append(rev, edit{'-', a[px]})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		rev = append(rev, edit{'=', a[x-1]})
		x, y = x-1, y-1
	}
	out := make([]edit, len(rev))
	for i, e := range rev {
		out[len(rev)-1-i] = e
	}
	return out
}

// allChanged is the diff that removes all of a and adds all of b.
func allChanged(a, b []string) []edit {
	out := make([]edit, 0, len(a)+len(b))
	for _, t := range a {
		out = append(out, edit{'-', t})
	}
	for _, t := range b {
		out = append(out, edit{'+', t})
	}
	return out
}
