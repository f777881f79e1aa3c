package loindex

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/rollup"
	"github.com/lontara-id/lontara/internal/survey"
)

// LiveFor is how long the index of the period still running is kept in
// memory before it is computed again: a dashboard opened by many leaders
// at once computes it once. Until StaleFor, the kept figures are answered
// while fresh ones are computed in the background.
const (
	LiveFor  = time.Minute
	StaleFor = 10 * time.Minute
)

// ClosedFor is how long the index of a closed period the roll-up has not
// kept (one beyond its reach, or one it has not reached yet) is answered
// as computed before it is computed again. The data of a past period
// still changes (a ledger imported late, a person moved to another
// agency), and the nodes, each computing on its own, must come to the
// same figures; what the roll-up kept stays as kept.
const ClosedFor = time.Hour

// MaxTrend is the most periods a trend may ask for: three years of
// quarters. Every period the roll-up has not kept is computed in full.
const MaxTrend = 12

// YearsBack is how far back, in whole years before the current one, a
// period may be read: five years, a regional development plan's span.
// An older period is refused (a user could otherwise have any of the
// hundreds of periods since 2000 computed), and a trend reaching further
// shows those periods as without data rather than computing them.
const YearsBack = 5

// Service computes and keeps the LO index.
type Service struct {
	db   *db.DB
	zone *time.Location
	now  func() time.Time
	// rollups are where the counts come from; nil: from every row.
	rollups *rollup.Service

	mu      sync.Mutex
	cache   map[string]cached                  // by period label
	surveys map[string]map[int64]survey.Scores // by campaignsKey
	flights map[string]*flight                 // by period label
}

type cached struct {
	at      time.Time       // the figures' moment
	fetched time.Time       // when they were put in the cache
	indexes map[int64]Index // every agency, and the city under 0
	order   []int64         // the agencies by id
	kept    bool            // read from the roll-up's rows: never refreshed
	closed  bool            // a closed period with data, computed (ClosedFor)
}

// freshFor is how long c, unless kept, is answered as it is (see period).
func (c cached) freshFor() time.Duration {
	if c.closed {
		return ClosedFor
	}
	return LiveFor
}

// NewService returns the index over d; periods begin and end in zone, the
// city's. Its counts come from the roll-ups of d in zone (Rollups).
func NewService(d *db.DB, zone *time.Location) *Service {
	return &Service{db: d, zone: zone, now: time.Now, rollups: rollup.New(d, zone),
		cache: map[string]cached{}, flights: map[string]*flight{}, surveys: map[string]map[int64]survey.Scores{}}
}

// Rollups are the roll-ups the index reads, for their job.
func (s *Service) Rollups() *rollup.Service { return s.rollups }

// Full returns a service over the same database that computes every
// figure from every row, as before there were roll-ups: what the
// roll-ups are proven equal to, and the benchmarks' "before".
func (s *Service) Full() *Service {
	f := NewService(s.db, s.zone)
	f.rollups, f.now = nil, s.clock
	return f
}

// SetClock makes the service read the time from now: for tests and for
// computing a demo's history.
func (s *Service) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now, s.cache = now, map[string]cached{}
}

func (s *Service) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// Period reads a period label in the city's zone; "" is the current
// quarter.
func (s *Service) Period(label string) (period.Period, error) {
	if label == "" {
		return period.Of(s.clock().In(s.zone), period.Quarter), nil
	}
	return period.Parse(label, s.zone)
}

// Choices are the periods a page offers next to its period picker, the
// newest first: the last four quarters, this year and the last.
func (s *Service) Choices() []string {
	cur, _ := s.Period("")
	var out []string
	for _, p := range cur.Last(4) {
		out = append([]string{p.Label}, out...)
	}
	y := period.Of(cur.Start, period.Year)
	return append(out, y.Label, y.Previous().Label)
}

// Index returns the LO index of agencyID (0: the city) for p. The
// executive and the expert team read every agency's, an agency's head and
// admin their own (policy.InsightView).
func (s *Service) Index(ctx context.Context, actor *policy.Actor, agencyID int64, p period.Period) (Index, error) {
	if err := s.checkAgency(ctx, agencyID); err != nil {
		return Index{}, err
	}
	if err := policy.Check(actor, policy.InsightView, policy.Target{AgencyID: agencyID}); err != nil {
		return Index{}, err
	}
	c, err := s.period(ctx, p)
	if err != nil {
		return Index{}, err
	}
	return c.of(agencyID, p), nil
}

// All returns the index of every agency actor may read for p, by agency
// id, then the city's when actor may read it. Forbidden when there is none.
func (s *Service) All(ctx context.Context, actor *policy.Actor, p period.Period) ([]Index, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	c, err := s.period(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []Index
	for _, id := range c.order {
		if policy.Can(actor, policy.InsightView, policy.Target{AgencyID: id}) {
			out = append(out, c.indexes[id])
		}
	}
	if policy.Can(actor, policy.InsightView, policy.Target{}) {
		out = append(out, c.indexes[0])
	}
	if len(out) == 0 {
		return nil, errs.New(errs.Forbidden, "forbidden")
	}
	return out, nil
}

// Trend returns the index of agencyID (0: the city) for the n periods of
// p's kind ending with p, oldest first.
func (s *Service) Trend(ctx context.Context, actor *policy.Actor, agencyID int64, p period.Period, n int) ([]Index, error) {
	if n < 1 || n > MaxTrend {
		return nil, errs.FieldErr("n", "loindex.trend_range", MaxTrend)
	}
	if err := s.checkAgency(ctx, agencyID); err != nil {
		return nil, err
	}
	if err := policy.Check(actor, policy.InsightView, policy.Target{AgencyID: agencyID}); err != nil {
		return nil, err
	}
	if err := s.inReach(p); err != nil {
		return nil, err
	}
	periods := p.Last(n)
	kept, err := s.keptOf(ctx, agencyID, periods)
	if err != nil {
		return nil, err
	}
	out := make([]Index, 0, n)
	for _, q := range periods {
		if x, ok := kept[q.Label]; ok {
			out = append(out, x)
			continue
		}
		if s.inReach(q) != nil {
			out = append(out, cached{at: s.clock()}.of(agencyID, q))
			continue
		}
		c, err := s.period(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, c.of(agencyID, q))
	}
	return out, nil
}

// of returns the index of agencyID, an empty one (no data) for an agency
// the kept period does not hold (it was created later).
func (c cached) of(agencyID int64, p period.Period) Index {
	if x, ok := c.indexes[agencyID]; ok {
		return x
	}
	x := Index{AgencyID: agencyID, Period: p.Label, ComputedAt: c.at.UTC()}
	x.Inputs = append(x.Inputs, x.dimensions(nil))
	for _, w := range Weights[1:] {
		x.Inputs = append(x.Inputs, Input{Key: w.Key, Unit: w.Unit})
	}
	for i := range x.Inputs {
		x.Inputs[i].Weight = Weights[i].Weight
	}
	return x
}

// checkAgency answers NotFound for an agency that does not exist.
func (s *Service) checkAgency(ctx context.Context, agencyID int64) error {
	if agencyID == 0 {
		return nil
	}
	var one int
	err := s.db.Replica.QueryRowContext(ctx, `SELECT 1 FROM agencies WHERE id = $1`, agencyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return fmt.Errorf("lo index: agency %d: %w", agencyID, err)
	}
	return nil
}

// inReach answers Invalid for a period not begun or more than YearsBack
// years before the current one.
func (s *Service) inReach(p period.Period) error {
	now := s.clock().In(s.zone)
	if p.Start.After(now) {
		return errs.FieldErr("period", "loindex.period_future")
	}
	if p.Start.Year() < now.Year()-YearsBack {
		return errs.FieldErr("period", "loindex.period_past", now.Year()-YearsBack)
	}
	return nil
}

// InReach reports whether p may be read: begun, and not more than
// YearsBack years before the current one.
func (s *Service) InReach(p period.Period) bool { return s.inReach(p) == nil }

// period returns every index of p: kept ones for a closed period the
// roll-up has reached, else computed. Either is held in memory. Kept
// figures are answered as they are for as long as the process runs
// (inReach bounds how many there can be). Computed ones are answered as
// they are for LiveFor (the running period) or ClosedFor (a closed one);
// for StaleFor after that they are still answered at once while one fresh
// computation runs in the background, so a dashboard never waits for
// figures it has had.
func (s *Service) period(ctx context.Context, p period.Period) (cached, error) {
	if err := s.inReach(p); err != nil {
		return cached{}, err
	}
	now := s.clock()
	s.mu.Lock()
	c, ok := s.cache[p.Label]
	age := now.Sub(c.fetched)
	switch f, busy := s.flights[p.Label]; {
	case ok && (c.kept || age < c.freshFor()):
		s.mu.Unlock()
		return c, nil
	case ok && age < c.freshFor()+StaleFor:
		if !busy {
			f = s.start(p.Label)
			go func() {
				bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), StaleFor)
				defer cancel()
				s.run(bg, p, f)
			}()
		}
		s.mu.Unlock()
		return c, nil
	case busy:
		// One computation per period at a time: a dashboard opened by
		// many leaders at the start of a quarter waits for one.
		s.mu.Unlock()
		select {
		case <-f.done:
			return f.c, f.err
		case <-ctx.Done():
			return cached{}, ctx.Err()
		}
	}
	f := s.start(p.Label)
	s.mu.Unlock()
	// The computation is everyone's who waits for it: the first reader
	// going away must not cancel it under the others.
	shared, cancel := context.WithTimeout(context.WithoutCancel(ctx), StaleFor)
	defer cancel()
	s.run(shared, p, f)
	return f.c, f.err
}

// start registers a computation of label; the caller holds s.mu.
func (s *Service) start(label string) *flight {
	f := &flight{done: make(chan struct{})}
	s.flights[label] = f
	return f
}

// run computes (or reads the kept) indexes of p for f, caches them and
// lets whoever waits have them.
func (s *Service) run(ctx context.Context, p period.Period, f *flight) {
	now := s.clock()
	f.c, f.err = s.fetch(ctx, p, now)
	s.mu.Lock()
	delete(s.flights, p.Label)
	if f.err == nil && !f.stale {
		for label, old := range s.cache { // forget what is too old to answer
			if !old.kept && now.Sub(old.fetched) >= old.freshFor()+StaleFor {
				delete(s.cache, label)
			}
		}
		// A closed period with data is computed again after ClosedFor; one
		// without any (a new installation before its history is imported)
		// like the running one, as the roll-up keeps only periods with data.
		f.c.fetched, f.c.closed = now, !f.c.kept && !now.Before(p.End) && f.c.indexes[0].Index != nil
		s.cache[p.Label] = f.c
	}
	s.mu.Unlock()
	close(f.done)
}

// flight is a computation of a period's indexes under way.
type flight struct {
	done  chan struct{}
	c     cached
	err   error
	stale bool // the inputs changed while it ran: answered, never kept
}

// fetch reads the kept indexes of a closed period the roll-up reached, or
// computes them.
func (s *Service) fetch(ctx context.Context, p period.Period, now time.Time) (cached, error) {
	q := s.from(p, now)
	if !now.Before(p.End) {
		kept, err := s.kept(ctx, q, p.Label)
		if err != nil || kept.indexes != nil {
			return kept, err
		}
	}
	return s.compute(ctx, q, p, now)
}

// from is where the figures of p are read as at now. A closed period's
// are kept for good by the roll-up, and for ClosedFor in each node's
// memory, so they are read from the primary, which has every write: read
// from a replica a moment behind (--db-read), a change just made would be
// left out of history, and a node that heard of a change would compute
// again without it. The running period's are read from the replica: they are
// computed again within LiveFor anyway (all but the year's JP target, see
// load).
func (s *Service) from(p period.Period, now time.Time) db.Querier {
	if now.Before(p.End) {
		return s.db.Replica
	}
	return s.db.R
}

// compute reads the figures of p as at now from q (see from) and scores
// every agency and the city.
func (s *Service) compute(ctx context.Context, q db.Querier, p period.Period, now time.Time) (cached, error) {
	if s.rollups != nil {
		// What was written since the roll-up's last run is added first,
		// so the figures are as of now.
		if _, err := s.rollups.Refresh(ctx, now); err != nil {
			return cached{}, err
		}
	}
	w, err := s.load(ctx, q, p, now)
	if err != nil {
		return cached{}, err
	}
	c := cached{at: now, order: w.agencies, indexes: make(map[int64]Index, len(w.agencies)+1)}
	for _, id := range w.agencies {
		c.indexes[id] = w.index(id)
	}
	c.indexes[0] = w.index(0)
	return c, nil
}

// minGroup is the survey's smallest group shown, for the pages.
const minGroup = survey.MinGroup

// Names returns every agency's name by id.
func (s *Service) Names(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.Replica.QueryContext(ctx, `SELECT id, name FROM agencies`)
	if err != nil {
		return nil, fmt.Errorf("lo index: agency names: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("lo index: agency names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}
