package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/survey"
)

// The history of a generated data set (lontara demo): three years of the
// help desk, training, discussions, the knowledge base, LO surveys, ideas
// and thanks, sized to the number of people by the rates below, so every
// queue, report, dashboard and search has what a ministry's would hold.
// A ministry of 300,000 gets about 330,000 tickets, 900,000 enrolments,
// 630,000 posts, 1.1 million survey responses; a city of 15,000 a
// twentieth of each. The rows are written straight into the tables, as
// the services would leave them, with their search documents.
const (
	historyYears = 3
	// ticketsPerThousandDaily: a help desk files about one ticket a day
	// per 1,000 people it serves (300 a day for a ministry).
	ticketsPerThousandDaily = 1
	// enrolmentsPerPersonYearly: each person attends about one training
	// event a year, which with 8–24 JP an event meets the 20 JP target
	// for many and not for all.
	enrolmentsPerPersonYearly = 1
	// seatsPerEvent: the people of one bimtek or workshop.
	seatsPerEvent = 30
	// postsPerHundredYearly: 70 discussion posts a year per 100 people,
	// in threads of five posts on average (a thread and four replies).
	postsPerHundredYearly = 70
	postsPerThread        = 5
	// articlesPerThousand: ten knowledge articles per 1,000 people, over
	// the three years.
	articlesPerThousand = 10
	// surveysPerYear: the LO survey runs twice a year; each agency
	// answers at surveyRateMin–surveyRateMax of its people.
	surveysPerYear = 2
	surveyRateMin  = 0.50
	surveyRateMax  = 0.70
	// ideasPerThousandYearly and thanksPerHundredYearly: ideas for the
	// applications and procedures, and thanks between colleagues.
	ideasPerThousandYearly = 5
	thanksPerHundredYearly = 20
	// historyChunk is how many tickets, events or threads are drawn and
	// written at a time: memory stays bounded whatever the scale.
	historyChunk = 5000
)

// historyParts are the history's parts, each written by its own
// transaction: on PostgreSQL at once, over as many connections, so the
// generator and the database use every core; on SQLite, whose one writer
// takes them in turn, one after the other. Each part draws from its own
// generator seeded from the seed, so the data set is the same whatever
// the order the parts run in. Tables are the tables a part fills; those
// with ids have their sequences moved past the ids used.
var historyParts = []struct {
	tables []string
	steps  func(h *history) []func(context.Context) error
}{
	{[]string{"tickets", "ticket_messages", "ticket_events", "ticket_ratings", "spaces", "threads", "posts",
		"post_reactions", "articles", "article_events", "article_revisions", "search_docs", "search_texts",
		"search_unlearnt"},
		func(h *history) []func(context.Context) error {
			return []func(context.Context) error{h.tickets, h.discussions, h.articles}
		}},
	{[]string{"events", "event_sessions", "event_trainers", "enrolments", "session_attendance", "learning_records",
		"event_evaluations", "ideas", "idea_answers", "idea_votes", "thanks"},
		func(h *history) []func(context.Context) error {
			return []func(context.Context) error{h.training, h.ideas, h.thanks}
		}},
	{[]string{"survey_campaigns", "survey_campaign_agencies", "survey_invitations", "survey_responses", "survey_answers"},
		func(h *history) []func(context.Context) error { return []func(context.Context) error{h.surveys} }},
}

// history draws and writes the history of a data set.
type history struct {
	s          sink
	ds         *dataset
	r          *rand.Rand
	now        time.Time // the load's moment, to the second
	from       time.Time // historyYears before now
	people     int
	ids        map[string]int64  // the last id used per table
	instrument int64             // the LO survey's
	targets    map[string][2]int // the SLA targets of the priorities (helpdesk.SLATargets)
	texts      map[[2]string]search.Text
	docs       []search.Analysed // search documents drawn and not written yet
	counts     map[string]int    // rows written per table, for the report
	// Who is who, from the data set: staff by agency (no one with a role
	// beyond employee), and the holders of a few roles.
	staff    map[int64][]int64
	agencies []int64
	roles    map[string][]int64
}

// loadHistory writes the history of ds and counts its rows per table.
// The history's tables lose their secondary indexes and foreign keys
// first and get them back once every part is written (dropIndexes): a
// transaction each, apart from the parts' so that the parts take no locks
// on the tables they share as references (agencies, accounts), which
// would make them wait for each other. The database is the demo's, empty
// before the load, so no one reads the tables meanwhile; a load that
// fails still gets its indexes back, and leaves the database to be made
// anew.
// indexesDropped, when set (by a test), runs once the history's indexes
// are dropped and before its parts write: the moment a failure must still
// get them back.
var indexesDropped func()

func loadHistory(ctx context.Context, d *db.DB, ds *dataset, seed int64) (map[string]int, error) {
	targets, err := helpdesk.SLATargets(ctx, d.R)
	if err != nil {
		return nil, err
	}
	instrument, err := survey.EnsureLO(ctx, d)
	if err != nil {
		return nil, err
	}
	var tables, restore []string
	for _, part := range historyParts {
		tables = append(tables, part.tables...)
	}
	err = inSink(ctx, d, func(s sink) error {
		restore, err = dropIndexes(ctx, s, tables)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("demo: history: %w", err)
	}
	if indexesDropped != nil {
		indexesDropped()
	}
	now := time.Now().UTC().Truncate(time.Second)
	counts := map[string]int{}
	errs := make([]error, len(historyParts))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for k, part := range historyParts {
		h := &history{ds: ds, r: rand.New(rand.NewPCG(uint64(seed), uint64(k))), people: len(ds.Employees), now: now,
			from: now.AddDate(-historyYears, 0, 0), ids: map[string]int64{}, instrument: instrument, targets: targets,
			texts: map[[2]string]search.Text{}, counts: map[string]int{}, staff: map[int64][]int64{},
			roles: map[string][]int64{}}
		h.who()
		wg.Go(func() {
			errs[k] = inSink(ctx, d, func(s sink) error {
				h.s = s
				return h.run(ctx, part.tables, part.steps(h))
			})
			mu.Lock()
			defer mu.Unlock()
			for t, n := range h.counts {
				counts[t] += n
			}
		})
	}
	wg.Wait()
	// The indexes and foreign keys come back whatever became of the parts
	// (a part that failed rolled its rows back), even once ctx is done:
	// otherwise the database would be left without them.
	bg := context.WithoutCancel(ctx)
	var restoreErr error
	err = inSink(bg, d, func(s sink) error {
		restoreErr = restoreIndexes(bg, s, restore) // commits what it restored
		return nil
	})
	if err = errors.Join(errors.Join(errs...), restoreErr, err); err != nil {
		return nil, fmt.Errorf("demo: history (drop the database and load it again): %w", err)
	}
	return counts, nil
}

// run writes a part of the history in the sink's transaction.
func (h *history) run(ctx context.Context, tables []string, steps []func(context.Context) error) error {
	if err := h.lastIDs(ctx, tables); err != nil {
		return err
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if h.s.engine() != db.Postgres {
		return nil
	}
	for t, id := range h.ids {
		if err := h.s.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), $1, false)`, id+1); err != nil {
			return fmt.Errorf("demo: reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// who sorts the data set's people: ordinary staff per agency, and the
// accounts of each role.
func (h *history) who() {
	special := map[int64]bool{}
	for _, g := range h.ds.Grants {
		h.roles[g.Role] = append(h.roles[g.Role], g.AccountID)
		special[g.AccountID] = true
	}
	for _, e := range h.ds.Employees {
		if !special[e.ID] {
			if len(h.staff[e.AgencyID]) == 0 {
				h.agencies = append(h.agencies, e.AgencyID)
			}
			h.staff[e.AgencyID] = append(h.staff[e.AgencyID], e.ID)
		}
	}
}

// lastIDs reads the highest id of each of tables that has one.
func (h *history) lastIDs(ctx context.Context, tables []string) error {
	for _, t := range tables {
		switch t {
		case "event_trainers", "session_attendance", "event_evaluations", "post_reactions", "survey_answers",
			"idea_votes", "search_texts", "search_unlearnt", "survey_campaign_agencies":
			continue // no id of their own
		}
		rows, err := h.s.query(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t)
		if err != nil {
			return fmt.Errorf("demo: ids of %s: %w", t, err)
		}
		h.ids[t] = asInt(rows[0][0])
	}
	return nil
}

// id returns the next id of table.
func (h *history) id(table string) int64 {
	h.ids[table]++
	return h.ids[table]
}

// person returns a random ordinary person (employee and account id).
func (h *history) person() int64 {
	a := h.agencies[h.r.IntN(len(h.agencies))]
	return h.colleague(a)
}

// colleague returns a random ordinary person of agency a.
func (h *history) colleague(a int64) int64 {
	s := h.staff[a]
	return s[h.r.IntN(len(s))]
}

// moment returns a random moment in the working hours (08:00–16:00 in
// the city's zone) of a weekday between from and to: a weekend day moves
// to the Friday before or the Monday after. It draws twice whatever the
// dates, so a seed draws the same history on whatever day it loads.
func (h *history) moment(from, to time.Time) time.Time {
	l := from.Add(time.Duration(h.r.Int64N(int64(to.Sub(from))))).In(cityZone())
	day := time.Date(l.Year(), l.Month(), l.Day(), 8, 0, 0, 0, cityZone())
	switch day.Weekday() {
	case time.Saturday:
		day = day.AddDate(0, 0, -1)
	case time.Sunday:
		day = day.AddDate(0, 0, 1)
	}
	t := day.Add(time.Duration(h.r.Int64N(int64(8 * time.Hour)))).UTC().Truncate(time.Second)
	if t.Before(from) {
		return from
	}
	if !t.Before(to) {
		return to.Add(-time.Second)
	}
	return t
}

// write copies rows into table and counts them.
func (h *history) write(ctx context.Context, table string, cols []string, n int, row func(i int, a []any) []any) error {
	i := 0
	h.counts[table] += n
	return h.s.copy(ctx, table, cols, func(a []any) ([]any, bool) {
		if i == n {
			return a, false
		}
		i++
		return row(i-1, a), true
	})
}

// doc adds a search document, to be written by flushDocs, unless no one
// could find it (as Put leaves it out). Texts repeat (the demo's
// sentences), so each is analysed once.
func (h *history) doc(d search.Doc) {
	key := [2]string{d.Title, d.Body}
	t, ok := h.texts[key]
	if !ok {
		t = search.AnalyseText(d.Title, d.Body)
		h.texts[key] = t
	}
	if a := search.AnalyseWith(d, t); a.Findable() {
		h.docs = append(h.docs, a)
	}
}

// flushDocs writes the documents drawn since the last flush, in the
// order drawn: the index's ids grow with time as Put's do.
func (h *history) flushDocs(ctx context.Context) error {
	first := h.ids["search_docs"] + 1
	h.ids["search_docs"] += int64(len(h.docs))
	err := h.write(ctx, "search_docs", []string{"id", "kind", "doc_id", "ref", "app_id", "helpful", "updated_at",
		"title_terms", "body_terms", "audience"}, len(h.docs), func(i int, a []any) []any {
		d := h.docs[i]
		return append(a, first+int64(i), d.Kind, d.DocID, d.Ref, db.NullID(d.AppID), d.Helpful, d.Updated,
			d.TitleTerms, d.BodyTerms, d.Audience())
	})
	if err == nil {
		err = h.write(ctx, "search_texts", []string{"doc", "title", "body"}, len(h.docs), func(i int, a []any) []any {
			return append(a, first+int64(i), h.docs[i].Title, h.docs[i].Body)
		})
	}
	if err == nil { // for the vocabulary to learn, as Put lists them
		err = h.write(ctx, "search_unlearnt", []string{"doc"}, len(h.docs), func(i int, a []any) []any {
			return append(a, first+int64(i))
		})
	}
	if err != nil {
		return err
	}
	h.docs = h.docs[:0]
	return nil
}

// orNull is NULL for the zero time.
func orNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func asInt(v any) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case int:
		return int64(v)
	}
	return 0
}
