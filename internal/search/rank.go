package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Ranking. A result's score is
//
//	score = relevance × helpfulness × freshness (× 1.5 for a suggestion
//	        about the application chosen)
//
//	relevance   = BM25F of the query's stems over the candidates, title
//	              words counting titleWeight times, divided by the best
//	              candidate's, so the best match has 1
//	helpfulness = 1 + ln(1 + max(0, Doc.Helpful)) / 4
//	              (no votes 1, 3 votes 1.35, 20 votes 1.76)
//	freshness   = 0.5 + 0.5 × 2^(−age / halfLife), age since Doc.Updated
//	              (today 1, half a year 0.75, years ago 0.5)
//
// BM25 is computed here, in Go, from the stems the engines stored, with
// the document frequencies of the candidates: the same score on SQLite and
// PostgreSQL, and no pass over a common word's whole posting list. A
// correction counts as the word it corrects.
const (
	k1          = 1.2
	b           = 0.75
	titleWeight = 3
	halfLife    = 180 * 24 * time.Hour
	appBoost    = 1.5
)

// rank scores the candidates, keeps a thread's best post only, and sorts
// them best first (ties: the newest first).
func rank(cands []candidate, q query, now time.Time, appID int64) []candidate {
	if len(cands) == 0 {
		return nil
	}
	groups := make([][]string, len(q.terms))
	for i, t := range q.terms {
		groups[i] = append([]string{t.stem}, t.alts...)
	}
	n := float64(len(cands))
	tf := make([][]float64, len(cands)) // per candidate, per term
	lengths := make([]float64, len(cands))
	df := make([]float64, len(q.terms))
	var total float64
	for i, c := range cands {
		lengths[i] = float64(titleWeight*words(c.titleTerms) + words(c.bodyTerms))
		total += lengths[i]
		tf[i] = make([]float64, len(q.terms))
		for j, g := range groups {
			for _, st := range g {
				tf[i][j] += float64(titleWeight*countWord(c.titleTerms, st) + countWord(c.bodyTerms, st))
			}
			if tf[i][j] > 0 {
				df[j]++
			}
		}
	}
	avg := math.Max(total/n, 1)
	best := 0.0
	for i := range cands {
		rel := 0.0
		for j := range q.terms {
			if f := tf[i][j]; f > 0 {
				idf := math.Log(1 + (n-df[j]+0.5)/(df[j]+0.5))
				rel += idf * f * (k1 + 1) / (f + k1*(1-b+b*lengths[i]/avg))
			}
		}
		cands[i].score = rel
		best = math.Max(best, rel)
	}
	for i := range cands {
		c := &cands[i]
		rel := 1.0
		if best > 0 {
			rel = c.score / best
		}
		age := max(now.Sub(c.updated), 0)
		fresh := 0.5 + 0.5*math.Exp2(-float64(age)/float64(halfLife))
		help := 1 + math.Log1p(float64(max(c.helpful, 0)))/4
		c.score = rel * help * fresh
		if appID != 0 && c.appID == appID {
			c.score *= appBoost
		}
		c.score = math.Round(c.score*10000) / 10000
	}
	// Rows are distinct, so the order is total: an unstable sort gives the
	// same one, with fewer moves of these wide structs than a stable sort.
	slices.SortFunc(cands, func(x, y candidate) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(y.row, x.row)
	})
	// A thread is one result: its best post speaks for it.
	seen := map[string]bool{}
	out := cands[:0]
	for _, c := range cands {
		if c.kind == KindPost {
			if seen[c.ref] {
				continue
			}
			seen[c.ref] = true
		}
		out = append(out, c)
	}
	return out
}

// words counts the stems of a stored term string.
func words(terms string) int {
	if terms == "" {
		return 0
	}
	return strings.Count(terms, " ") + 1
}

// countWord counts the whole stems w in a stored term string (stems
// separated by single spaces), each occurrence once, adjacent ones too:
// "layan layan layan" holds layan three times, "layanan" none.
func countWord(terms, w string) int {
	if w == "" {
		return 0
	}
	n := 0
	for i := 0; i <= len(terms)-len(w); {
		k := strings.Index(terms[i:], w)
		if k < 0 {
			break
		}
		at, end := i+k, i+k+len(w)
		if (at == 0 || terms[at-1] == ' ') && (end == len(terms) || terms[end] == ' ') {
			n++
			i = end
		} else {
			i = at + 1
		}
	}
	return n
}
