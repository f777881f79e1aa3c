package loindex

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/rollup"
)

// loadRolled reads the people, JP, tickets and their SLA, accepted
// answers, articles and self-service of every agency from the roll-ups'
// sums over the period's days, and adds what depends on the moment read:
// the tickets running unpaused past their due time count as decided
// (missed), and the self-service views whose window has not closed yet
// are not solved yet. Both are read from small indexed sets: the tickets
// not resolved and not pending, the views of the last window.
func (w *world) loadRolled(ctx context.Context, q db.Querier, r *rollup.Service) error {
	sums, err := r.Read(ctx, q, w.p)
	if err != nil {
		return err
	}
	each := func(figure string, fn func(f *figures, c rollup.Counts)) {
		for agency, c := range sums[figure] {
			w.add(agency, func(f *figures) { fn(f, c) })
		}
	}
	each(rollup.People, func(f *figures, c rollup.Counts) { f.employees += int(c.N) })
	each(rollup.JP, func(f *figures, c rollup.Counts) { f.jp += float64(c.N) })
	each(rollup.Answers, func(f *figures, c rollup.Counts) { f.accepted += int(c.N) })
	each(rollup.Articles, func(f *figures, c rollup.Counts) { f.articles += int(c.N) })
	each(rollup.Self, func(f *figures, c rollup.Counts) { f.selfSolved += int(c.N) })
	each(rollup.Tickets, func(f *figures, c rollup.Counts) {
		f.tickets += int(c.N)
		f.slaMet += int(c.M)
		f.slaCount += int(c.K)
	})
	start, end, at := w.p.Start.UTC(), w.p.End.UTC(), w.at.UTC()
	err = w.grouped(ctx, q, "tickets past due", `SELECT COALESCE(agency_id, 0), count(*) FROM tickets
		WHERE resolved_at IS NULL AND pending_since IS NULL AND created_at >= $1 AND created_at < $2
		AND resolution_due < $3 GROUP BY agency_id`,
		func(f *figures, n int64) { f.slaCount += int(n) }, start, end, at)
	if err != nil {
		return err
	}
	err = w.grouped(ctx, q, "self-service open", `SELECT e.agency_id, count(*)
		FROM search_self_service v JOIN accounts ac ON ac.id = v.account_id JOIN employees e ON e.id = ac.employee_id
		WHERE v.window_ends_at > $3 AND v.viewed_at >= $1 AND v.viewed_at < $2
		AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.reporter_account_id = v.account_id
			AND t.created_at >= v.viewed_at AND t.created_at < v.window_ends_at)
		GROUP BY e.agency_id`,
		func(f *figures, n int64) { f.selfSolved -= int(n) }, start, end, at)
	if err != nil {
		return fmt.Errorf("lo index: %w", err)
	}
	return nil
}
