package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paths of what results link to. A thread's page belongs to the
// discussions; a ticket opens on the help desk's page for those who work
// it, on the reporter's page for anyone else.
const (
	articlePath      = "/pengetahuan/"
	threadPath       = "/diskusi/utas/"
	ticketPath       = "/bantuan/"
	ticketDeskPath   = "/layanan/"
	snippetWords     = 28    // words in a snippet
	snippetScanBytes = 20000 // how far into a text a snippet looks for the words
)

// results turns ranked candidates into results: their titles, snippets
// and links, read in one query.
func (s *Service) results(ctx context.Context, page []candidate, q query, desk bool) ([]Result, error) {
	var args []any
	ids := make([]string, len(page))
	for i, c := range page {
		args = append(args, c.row)
		ids[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT doc, title, body FROM search_texts WHERE doc IN (`+strings.Join(ids, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: results: %w", err)
	}
	defer rows.Close()
	type text struct{ title, body string }
	texts := map[int64]text{}
	for rows.Next() {
		var id int64
		var t text
		if err := rows.Scan(&id, &t.title, &t.body); err != nil {
			return nil, fmt.Errorf("search: results: %w", err)
		}
		texts[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: results: %w", err)
	}
	marks := newMarker(q.stems())
	out := make([]Result, 0, len(page))
	for _, c := range page {
		t, ok := texts[c.row]
		if !ok {
			continue // removed since the candidates were read
		}
		r := Result{ID: c.ref, Title: t.title, Score: c.score, Snippet: marks.snippet(t.body)}
		switch c.kind {
		case KindArticle:
			r.Type, r.URL = TypeArticle, articlePath+c.ref
		case KindPost:
			r.Type, r.URL = TypeThread, threadPath+c.ref
		default:
			r.Type, r.URL = TypeTicket, ticketPath+c.ref
			if desk {
				r.URL = ticketDeskPath + c.ref
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Snippet returns the passage of a plain text with the most words whose
// stems are in stems, about snippetWords words long, HTML-escaped, with
// those words in <mark>; the text's start when none matches.
func Snippet(text string, stems map[string]bool) template.HTML {
	return newMarker(stems).snippet(text)
}

// marker marks the words of texts whose stems are a query's. One serves a
// page of results, whose texts share most of their words: each word form
// is stemmed once (seen), not once in every text that holds it.
type marker struct {
	stems map[string]bool
	tails []string        // the stems without their first letter (see hit)
	seen  map[string]bool // word as written → whether it is a hit
}

func newMarker(stems map[string]bool) *marker {
	m := &marker{stems: stems, seen: map[string]bool{}}
	for st := range stems {
		_, size := utf8.DecodeRuneInString(st)
		m.tails = append(m.tails, st[size:])
	}
	return m
}

// snippet is Snippet with m's stems.
func (m *marker) snippet(text string) template.HTML {
	type word struct {
		start, end int
		hit        bool
	}
	var ws []word
	scan := cut(text, snippetScanBytes)
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := word{start: start, end: end}
		w.hit = m.hit(scan[start:end])
		ws = append(ws, w)
		start = -1
	}
	for i, r := range scan {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
		}
	}
	flush(len(scan))
	if len(ws) == 0 {
		return template.HTML(html.EscapeString(cut(text, 200)))
	}
	// The window of snippetWords words with the most hits, starting a few
	// words before its first hit.
	bestAt, bestHits, hits := 0, 0, 0
	for i := range ws {
		if ws[i].hit {
			hits++
		}
		if i >= snippetWords && ws[i-snippetWords].hit {
			hits--
		}
		if hits > bestHits {
			bestHits, bestAt = hits, max(0, i-snippetWords+1)
		}
	}
	if bestHits > 0 {
		for bestAt < len(ws) && !ws[bestAt].hit {
			bestAt++
		}
		bestAt = max(0, bestAt-4)
	}
	end := min(len(ws), bestAt+snippetWords)
	var b strings.Builder
	if bestAt > 0 {
		b.WriteString("… ")
	}
	pos := ws[bestAt].start
	for _, w := range ws[bestAt:end] {
		b.WriteString(html.EscapeString(scan[pos:w.start]))
		if w.hit {
			b.WriteString("<mark>" + html.EscapeString(scan[w.start:w.end]) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(scan[w.start:w.end]))
		}
		pos = w.end
	}
	if end < len(ws) || len(scan) < len(text) {
		b.WriteString(" …")
	} else {
		b.WriteString(html.EscapeString(strings.TrimRightFunc(scan[pos:], unicode.IsSpace)))
	}
	return template.HTML(b.String())
}

// hit says whether a word of a text stems to one of m's stems. Only a
// word holding a stem's letters after the first (its tail: nasal prefixes
// replace the first, menulis → tulis) can, so most words are never stemmed.
func (m *marker) hit(w string) bool {
	if len(m.stems) == 0 {
		return false
	}
	if hit, ok := m.seen[w]; ok {
		return hit
	}
	hit := false
	lw := fold(w)
	if slices.ContainsFunc(m.tails, func(tail string) bool { return strings.Contains(lw, tail) }) {
		hit = slices.ContainsFunc(Tokens(w), func(t string) bool { return m.stems[t] })
	}
	if len(m.seen) < maxSeen {
		m.seen[w] = hit
	}
	return hit
}

// maxSeen bounds the words a marker keeps: a page's texts hold a few
// thousand distinct ones, and a page of long texts made of made-up words
// must not make the map many times their size.
const maxSeen = 10000
