// Package period names the spans of time that targets, survey campaigns,
// the learning-organization index and the SPBE evidence are reported for:
// a year ("2026"), a half ("2026-H1") or a quarter ("2026-Q3"), in the
// city's zone. One spelling everywhere, so a period in a URL, an API
// answer, a table row and a CSV file is the same string.
package period

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
)

// Kind is a period's length.
type Kind string

// The kinds.
const (
	Year    Kind = "year"
	Half    Kind = "half"
	Quarter Kind = "quarter"
)

// Period is a span of whole months: from Start (inclusive) to End
// (exclusive), both at midnight in the zone it was parsed in.
type Period struct {
	Label      string // "2026", "2026-H1", "2026-Q3"
	Kind       Kind
	Start, End time.Time
}

// Parse reads a period label. A label that is not one answers an Invalid
// error on the field "period", so forms and the API can show it as is.
func Parse(label string, loc *time.Location) (Period, error) {
	bad := errs.FieldErr("period", "period.invalid")
	s := strings.ToUpper(strings.TrimSpace(label))
	yearPart, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(yearPart)
	if err != nil || len(yearPart) != 4 || year < 2000 || year > 2999 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		return span(year, 1, 12, Year, loc), nil
	case len(rest) == 2 && rest[0] == 'H' && rest[1] >= '1' && rest[1] <= '2':
		n := int(rest[1] - '0')
		return span(year, 6*n-5, 6, Half, loc), nil
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		n := int(rest[1] - '0')
		return span(year, 3*n-2, 3, Quarter, loc), nil
	}
	return Period{}, bad
}

// span is the months months from month first of year.
func span(year, first, months int, k Kind, loc *time.Location) Period {
	start := time.Date(year, time.Month(first), 1, 0, 0, 0, 0, loc)
	p := Period{Kind: k, Start: start, End: start.AddDate(0, months, 0)}
	p.Label = label(year, first, k)
	return p
}

func label(year, first int, k Kind) string {
	switch k {
	case Half:
		return fmt.Sprintf("%d-H%d", year, (first-1)/6+1)
	case Quarter:
		return fmt.Sprintf("%d-Q%d", year, (first-1)/3+1)
	}
	return strconv.Itoa(year)
}

// Of returns the period of kind k that holds t, in t's zone.
func Of(t time.Time, k Kind) Period {
	months := map[Kind]int{Year: 12, Half: 6, Quarter: 3}[k]
	if months == 0 {
		months, k = 12, Year
	}
	first := (int(t.Month())-1)/months*months + 1
	return span(t.Year(), first, months, k, t.Location())
}

// Previous is the period of the same kind just before p.
func (p Period) Previous() Period { return Of(p.Start.AddDate(0, 0, -1), p.Kind) }

// Next is the period of the same kind just after p.
func (p Period) Next() Period { return Of(p.End, p.Kind) }

// Contains reports whether t falls within p.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Elapsed is the share (0..1) of p that has passed at t: a yearly target of
// 20 JP is 10 JP due by the end of June.
func (p Period) Elapsed(t time.Time) float64 {
	switch {
	case !t.After(p.Start):
		return 0
	case !t.Before(p.End):
		return 1
	}
	return float64(t.Sub(p.Start)) / float64(p.End.Sub(p.Start))
}

// Last returns the n periods of p's kind ending with p, oldest first: the
// points of a trend.
func (p Period) Last(n int) []Period {
	out := make([]Period, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = p
		p = p.Previous()
	}
	return out
}

func (p Period) String() string { return p.Label }
