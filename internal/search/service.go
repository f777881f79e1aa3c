package search

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The types a search can be narrowed to, as the API and the page name
// them: a post's result is its thread.
const (
	TypeArticle = "article"
	TypeThread  = "thread"
	TypeTicket  = "ticket"
)

// Types lists the types in the order the page offers them.
var Types = []string{TypeArticle, TypeThread, TypeTicket}

// kindOf maps a result type to the kind indexed.
var kindOf = map[string]string{TypeArticle: KindArticle, TypeThread: KindPost, TypeTicket: KindTicket}

// Service answers searches over the one index.
type Service struct {
	db      *db.DB
	sources []KeySource
	now     func() time.Time
}

// NewService returns the search over d. Sources add the keys their owners
// know a searcher holds (the discussion spaces they read).
func NewService(d *db.DB, sources ...KeySource) *Service {
	return &Service{db: d, sources: sources, now: time.Now}
}

// Request is one search: the text as typed, an optional type, a page.
type Request struct {
	Text string
	Type string // "", TypeArticle, TypeThread or TypeTicket
	Page db.Page
}

// Result is one thing found. Snippet is HTML: the matching passage of the
// original text, escaped, with the matched words in <mark>.
type Result struct {
	Type    string        `json:"type"`
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Snippet template.HTML `json:"snippet"`
	Score   float64       `json:"score"`
	URL     string        `json:"-"`
}

// Answer is one page of results, the cursor of the next ("" for none) and,
// when a mistyped word was corrected, the query as it was understood.
type Answer struct {
	Items     []Result
	Next      string
	Corrected string
}

// Search finds what the actor may see matching req.Text. A text of only
// stop words or punctuation finds nothing, and no text is an error: words
// are analysed in Go and reach the engine as quoted stems only.
func (s *Service) Search(ctx context.Context, actor *policy.Actor, req Request) (Answer, error) {
	if actor == nil {
		return Answer{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	var kinds []string
	if req.Type != "" {
		k, ok := kindOf[req.Type]
		if !ok {
			return Answer{}, errs.FieldErr("type", "one_of", strings.Join(Types, ", "))
		}
		kinds = []string{k}
	}
	// A later page ranks the documents as they were when the first page
	// ran: the cursor holds the offset and the highest index row among the
	// first page's matches (every Put writes a newer row), so a document
	// added or changed meanwhile neither repeats a result nor pushes one
	// off the next page. A row between that and the newest then did not
	// match, and still does not: changing it would make a newer row. (Only
	// a change of who finds many documents at once, SetAudience, changes
	// rows in place: a later page may then gain or lose one of them.)
	offset, bound := 0, int64(0)
	if req.Page.After != "" {
		if err := db.ParseCursor(req.Page.After, &offset, &bound); err != nil || offset < 0 || bound <= 0 {
			return Answer{}, errs.FieldErr("cursor", "cursor")
		}
	}
	keys, err := s.Keys(ctx, actor)
	if err != nil {
		return Answer{}, err
	}
	ranked, q, top, err := s.find(ctx, req.Text, kinds, keys, 0, bound)
	if err != nil || len(ranked) == 0 {
		return Answer{Corrected: q.corrected()}, err
	}
	size := req.Page.Size()
	if offset >= len(ranked) {
		return Answer{Corrected: q.corrected()}, nil
	}
	page := ranked[offset:min(len(ranked), offset+size)]
	desk, _ := policy.TicketScope(actor) // the help desk opens tickets on its own pages
	items, err := s.results(ctx, page, q, desk)
	if err != nil {
		return Answer{}, err
	}
	ans := Answer{Items: items, Corrected: q.corrected()}
	if offset+size < len(ranked) {
		if bound == 0 {
			bound = top
		}
		ans.Next = db.Cursor(offset+size, bound)
	}
	return ans, nil
}

// Suggest returns up to limit published articles matching what a person
// is typing on the "Minta bantuan" form, those about appID (0: none)
// first. Published articles are the ones every signed-in person finds.
func (s *Service) Suggest(ctx context.Context, text string, appID int64, limit int) ([]Result, error) {
	ranked, q, _, err := s.find(ctx, text, []string{KindArticle}, []string{Everyone}, appID, 0)
	if err != nil || len(ranked) == 0 {
		return nil, err
	}
	return s.results(ctx, ranked[:min(len(ranked), limit)], q, false)
}

// find analyses text, corrects mistyped words, fetches the candidates and
// ranks them (results of one thread collapsed to its best post). A bound
// above 0 leaves out the index rows written after it; top is the highest
// row among the candidates.
func (s *Service) find(ctx context.Context, text string, kinds, keys []string, appID, bound int64) (
	ranked []candidate, q query, top int64, err error) {
	q = parseQuery(text)
	if len(q.terms) == 0 {
		return nil, q, 0, nil
	}
	// The correction counts the documents the candidates are read from:
	// those up to the same row.
	if bound, err = s.top(ctx, bound); err != nil {
		return nil, q, 0, err
	}
	if err := s.correct(ctx, &q, keys, bound); err != nil {
		return nil, q, 0, err
	}
	cands, err := s.candidates(ctx, q.match(s.db.Engine(), true), kinds, keys, bound)
	if err == nil && len(cands) == 0 && len(q.terms) > 1 {
		// No document has every word: those with some of them, best first.
		cands, err = s.candidates(ctx, q.match(s.db.Engine(), false), kinds, keys, bound)
	}
	if err != nil {
		return nil, q, 0, err
	}
	for _, c := range cands {
		top = max(top, c.row)
	}
	return rank(cands, q, s.now(), appID), q, top, nil
}

// Keys returns the audience keys the actor holds: every signed-in person
// holds Everyone and their own account's, employee's and agency's keys;
// the help desk Desk; article writers Writers; an agency's admins and head
// its AgencyLeads; and whatever the registered sources add.
func (s *Service) Keys(ctx context.Context, actor *policy.Actor) ([]string, error) {
	keys := []string{Everyone}
	if actor.AccountID != 0 {
		keys = append(keys, Account(actor.AccountID))
	}
	if actor.EmployeeID != 0 {
		keys = append(keys, Employee(actor.EmployeeID))
	}
	if actor.AgencyID != 0 {
		keys = append(keys, Agency(actor.AgencyID))
	}
	if policy.Can(actor, policy.ArticleWrite, policy.Target{}) {
		keys = append(keys, Writers)
	}
	all, agencies := policy.TicketScope(actor)
	if all {
		keys = append(keys, Desk)
	}
	for _, id := range agencies {
		keys = append(keys, AgencyLeads(id))
	}
	for _, src := range s.sources {
		more, err := src(ctx, s.db.R, actor)
		if err != nil {
			return nil, fmt.Errorf("search: keys: %w", err)
		}
		keys = append(keys, more...)
	}
	return distinct(keys), nil
}
