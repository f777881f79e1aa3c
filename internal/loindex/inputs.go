package loindex

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/survey"
)

// figures are an agency's raw counts for a period, before scoring.
type figures struct {
	employees        int
	jp               float64
	coverage         competency.CoverageCount
	accepted         int
	articles         int
	selfSolved       int
	tickets          int
	ideasDue         int
	ideasInTime      int
	slaMet, slaCount int
}

// world is every agency's figures for one period (key 0: the city, which
// also counts what belongs to no agency), read in a fixed number of
// grouped queries whatever the number of agencies.
type world struct {
	p        period.Period
	at       time.Time // the figures' moment: now, also for a closed period not kept yet (see README, What the nodes share)
	target   int       // the yearly JP target
	agencies []int64   // every agency, by id
	fig      map[int64]*figures
	scores   map[int64]survey.Scores
	mu       sync.Mutex // the loads run side by side
}

func (w *world) get(agency int64) *figures {
	f := w.fig[agency]
	if f == nil {
		f = &figures{}
		w.fig[agency] = f
	}
	return f
}

// add applies fn to agency's figures and the city's.
func (w *world) add(agency int64, fn func(f *figures)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if agency != 0 {
		fn(w.get(agency))
	}
	fn(w.get(0))
}

// load reads the world of p as at at from q: the counts from the
// roll-ups (refreshed by the caller), or without them from every row (the
// full recomputation the roll-ups are proven equal to).
func (s *Service) load(ctx context.Context, q db.Querier, p period.Period, at time.Time) (*world, error) {
	r := s.rollups
	w := &world{p: p, at: at, fig: map[int64]*figures{}}
	var err error
	// The target from the primary, whatever q is: a target set anew is a
	// change event (ledger.TopicTarget) on which every node computes again
	// at once, and a replica a moment behind would hand it the old target
	// to keep for LiveFor. One row, read by its key.
	if w.target, err = ledger.TargetOf(ctx, s.db.R, p.Start.Year()); err != nil {
		return nil, err
	}
	var cov map[int64]competency.CoverageCount
	steps := []func() error{
		func() (err error) { cov, err = competency.Coverage(ctx, q, at); return err },
		func() (err error) {
			w.agencies, err = db.IDs(ctx, q, `SELECT id FROM agencies ORDER BY id`)
			return err
		},
		func() (err error) { w.scores, err = s.surveyScores(ctx, q, w.surveyUntil()); return err },
		func() error { return w.loadIdeas(ctx, q) },
	}
	if r != nil {
		steps = append(steps, func() error { return w.loadRolled(ctx, q, r) })
	} else {
		steps = append(steps, func() error { return w.loadPeople(ctx, q) },
			func() error { return w.loadDesk(ctx, q) }, func() error { return w.loadDiscussion(ctx, q) })
	}
	// Two at a time, the longest first: the readers are shared with the
	// pages people use.
	errc := make([]error, len(steps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, step := range steps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errc[i] = step()
		})
	}
	wg.Wait()
	for _, err := range errc {
		if err != nil {
			return nil, fmt.Errorf("lo index %s: %w", p.Label, err)
		}
	}
	for a, c := range cov {
		w.get(a).coverage = c
	}
	return w, nil
}

// surveyUntil is the moment up to which closed campaigns count: the end
// of the period, or now while it runs.
func (w *world) surveyUntil() time.Time {
	if w.at.Before(w.p.End) {
		return w.at
	}
	return w.p.End
}

// loadPeople reads how many active people each agency has, and the JP
// those people completed in the period: the ledger's records, as its
// yearly figures count them, summed per person over a covering index
// before they meet the people.
func (w *world) loadPeople(ctx context.Context, q db.Querier) error {
	err := w.grouped(ctx, q, "people", `SELECT agency_id, count(*) FROM employees WHERE active = TRUE GROUP BY agency_id`,
		func(f *figures, n int64) { f.employees += int(n) })
	if err != nil {
		return err
	}
	return w.grouped(ctx, q, "jp", `SELECT e.agency_id, CAST(SUM(j.jp) AS BIGINT)
		FROM (SELECT employee_id, SUM(jp) AS jp FROM learning_records
			WHERE completed_at >= $1 AND completed_at < $2 GROUP BY employee_id) j
		JOIN employees e ON e.id = j.employee_id WHERE e.active = TRUE GROUP BY e.agency_id`,
		func(f *figures, n int64) { f.jp += float64(n) }, w.p.Start.UTC(), w.p.End.UTC())
}

// loadDiscussion counts the accepted answers written in the period (an
// answer the asker accepted of someone else, as the coaches count them)
// and the articles first published in it, by their authors' agencies.
func (w *world) loadDiscussion(ctx context.Context, q db.Querier) error {
	err := w.grouped(ctx, q, "accepted answers", `SELECT e.agency_id, count(*)
		FROM threads t JOIN posts p ON p.id = t.accepted_post_id
		JOIN accounts ac ON ac.id = p.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE p.author_account_id <> t.author_account_id AND p.hidden_at IS NULL
		AND p.created_at >= $1 AND p.created_at < $2 GROUP BY e.agency_id`,
		func(f *figures, n int64) { f.accepted += int(n) }, w.p.Start.UTC(), w.p.End.UTC())
	if err != nil {
		return err
	}
	return w.grouped(ctx, q, "articles", `SELECT e.agency_id, count(*)
		FROM articles a JOIN accounts ac ON ac.id = a.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE a.status = 'published' AND (SELECT MIN(ev.created_at) FROM article_events ev
			WHERE ev.article_id = a.id AND ev.to_status = 'published') >= $1
		AND (SELECT MIN(ev.created_at) FROM article_events ev
			WHERE ev.article_id = a.id AND ev.to_status = 'published') < $2
		GROUP BY e.agency_id`,
		func(f *figures, n int64) { f.articles += int(n) }, w.p.Start.UTC(), w.p.End.UTC())
}

// loadDesk counts the tickets filed in the period per agency and their
// resolution SLA as the help desk's report judges it — met when resolved
// by the due time, breached when after, late when still open past due
// (pending tickets stop the clock) — and the problems self-service
// solved: suggestions opened in the period whose window closed without a
// ticket from the same person.
func (w *world) loadDesk(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(t.agency_id, 0), count(*),
		SUM(CASE WHEN t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolution_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.resolved_at IS NOT NULL OR t.resolution_due < COALESCE(t.pending_since, $3) THEN 1 ELSE 0 END)
		FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 GROUP BY t.agency_id`,
		w.p.Start.UTC(), w.p.End.UTC(), w.at.UTC())
	if err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var agency int64
		var n, met, decided int
		if err := rows.Scan(&agency, &n, &met, &decided); err != nil {
			return fmt.Errorf("tickets: %w", err)
		}
		w.add(agency, func(f *figures) { f.tickets += n; f.slaMet += met; f.slaCount += decided })
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	return w.grouped(ctx, q, "self-service", `SELECT e.agency_id, count(*)
		FROM search_self_service v JOIN accounts ac ON ac.id = v.account_id JOIN employees e ON e.id = ac.employee_id
		WHERE v.viewed_at >= $1 AND v.viewed_at < $2 AND v.window_ends_at <= $3
		AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.reporter_account_id = v.account_id
			AND t.created_at >= v.viewed_at AND t.created_at < v.window_ends_at)
		GROUP BY e.agency_id`,
		func(f *figures, n int64) { f.selfSolved += int(n) }, w.p.Start.UTC(), w.p.End.UTC(), w.at.UTC())
}

// loadIdeas counts the ideas the agencies received in the period whose
// time to answer is up (answered, or waiting IdeaAnswerDays or more) and
// of them those answered within IdeaAnswerDays. An idea still within its
// days and unanswered counts for neither yet.
func (w *world) loadIdeas(ctx context.Context, q db.Querier) error {
	stats, err := ideas.AnswerStats(ctx, q, nil, w.p.Start, w.p.End, w.at)
	if err != nil {
		return err
	}
	for agency, st := range stats {
		if agency == 0 {
			continue // add counts every agency's into the city's
		}
		w.add(agency, func(f *figures) {
			f.ideasDue += st.Due
			f.ideasInTime += st.AnsweredIn30
		})
	}
	return nil
}

// grouped runs a query answering (agency_id, count) rows and adds each.
func (w *world) grouped(ctx context.Context, q db.Querier, what, query string, fn func(f *figures, n int64), args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var agency, n int64
		if err := rows.Scan(&agency, &n); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		w.add(agency, func(f *figures) { fn(f, n) })
	}
	return rows.Err()
}

// index scores agency's figures (0: the city).
func (w *world) index(agency int64) Index {
	x := Index{AgencyID: agency, Period: w.p.Label, Live: w.at.Before(w.p.End), ComputedAt: w.at.UTC()}
	f := w.fig[agency]
	if f == nil {
		f = &figures{}
	}
	x.Employees = f.employees
	var s *survey.Scores
	if sc, ok := w.scores[agency]; ok {
		s = &sc
	}
	// The share of the year the period is, and of the period gone by:
	// yearly norms are prorated by both.
	share := float64(monthsOf(w.p)) / 12 * w.p.Elapsed(w.at)
	emp, required := float64(f.employees), float64(f.coverage.Required)
	if !w.active() {
		emp, required = 0, 0 // before the platform was in use: no data, not zeros
	}
	x.Inputs = []Input{
		x.dimensions(s),
		ratio(InputTraining, UnitJP, f.jp, emp, 1, float64(w.target)*share),
		ratio(InputCoverage, UnitPercent, float64(f.coverage.Met), required, 100, 100),
		ratio(InputAnswers, UnitPer100, float64(f.accepted), emp, 100, NormAnswersPerYear*share),
		ratio(InputArticles, UnitPer100, float64(f.articles), emp, 100, NormArticlesPerYear*share),
		ratio(InputSelfService, UnitPercent, float64(f.selfSolved), float64(f.selfSolved+f.tickets), 100, NormSelfService),
		ratio(InputIdeas, UnitPercent, float64(f.ideasInTime), float64(f.ideasDue), 100, 100),
		ratio(InputSLA, UnitPercent, float64(f.slaMet), float64(f.slaCount), 100, 100),
	}
	for i := range x.Inputs {
		x.Inputs[i].Weight = Weights[i].Weight
	}
	x.compose()
	return x
}

// active reports whether anything was recorded in the period anywhere:
// learning, tickets, answers, articles, self-service or ideas. A period
// before the platform was in use has nothing, and its figures per
// employee are no data rather than zeros.
func (w *world) active() bool {
	c := w.fig[0]
	return c != nil && (c.jp > 0 || c.tickets > 0 || c.accepted > 0 || c.articles > 0 || c.selfSolved > 0 || c.ideasDue > 0)
}

func monthsOf(p period.Period) int {
	switch p.Kind {
	case period.Quarter:
		return 3
	case period.Half:
		return 6
	}
	return 12
}
