// Package rollup keeps the figures the LO index and the dashboards read at
// ministry scale — tickets and their SLA, JP completed, accepted answers,
// articles first published, problems solved by self-service, and the
// people of each agency — summed per agency and day of the city's
// calendar in rollup_days, so a period's figures are a sum over at most a
// few hundred days per agency instead of a scan of every row.
//
// How they stay equal to a full recomputation: every write that can change
// a figure marks what it touched in the same transaction, and a run of
// Refresh recomputes only the marked days, each from its rows with the same
// query a full build uses. We chose marks over delta updates (adding and
// subtracting in the writer) because a row changes state long after it was
// written — a ticket resolved days later, a post hidden, an article
// unpublished, a person moved to another agency, which moves all their
// records — and a recomputed day is right whatever happened to it, where a
// delta is right only if every writer gets every transition right.
//
// The marks are written by triggers (migration 0041), not by calls in the
// stores: one place per engine sees every write path, including ones added
// later and a data set loaded in bulk, and none can forget it. A mark is
// the figure and the UTC hour of the row's moment (or a person or account
// whose records now count elsewhere); writers only insert marks, so two
// writers never wait on each other. A run takes a lock row, deletes the
// marks it can see, and then recomputes their days: a write committed
// before the delete is in the recomputation, one committed after left its
// mark for the next run, so no change is lost, and two runs at once (two
// nodes) follow each other. A database that has never been built (new
// migration, bulk load) or whose days were cut in another time zone is
// built in full by the next run (Rebuild).
//
// What stays live: the parts that depend on the moment of reading (tickets
// still running past their due time, self-service windows not closed yet)
// are read by the caller from small indexed sets and combined with the
// sums (see loindex); competency coverage, ideas and the survey are read as
// before.
package rollup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
)

// Every is how often the job recomputes what was marked; a reader of the
// figures refreshes first anyway (see Refresh).
const Every = time.Minute

// Service keeps the roll-ups of one database, in the city's zone.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// New returns the roll-ups of d with days in zone.
func New(d *db.DB, zone *time.Location) *Service { return &Service{db: d, zone: zone} }

// Job refreshes the roll-ups every minute, so a reader finds little to do.
func (s *Service) Job() jobs.Job {
	return jobs.Job{Name: "rollup.refresh", Every: Every, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.Refresh(ctx, now)
		return err
	}}
}

// Refresh recomputes the days marked since the last run, or builds
// everything when the roll-ups were never built or were built in another
// zone, and answers how many (figure, day) pairs it recomputed.
func (s *Service) Refresh(ctx context.Context, now time.Time) (int, error) {
	var done int
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		built, err := s.lock(ctx, tx, now)
		if err != nil {
			return err
		}
		if !built {
			done, err = s.rebuild(ctx, tx)
			return err
		}
		days, err := s.claim(ctx, tx)
		if err != nil {
			return err
		}
		done = len(days)
		return s.recompute(ctx, tx, days)
	})
	if err != nil {
		return 0, fmt.Errorf("rollup: %w", err)
	}
	return done, nil
}

// Rebuild recomputes every roll-up from the rows, whatever was marked:
// for a data set loaded in bulk (the first Refresh does it too).
func (s *Service) Rebuild(ctx context.Context, now time.Time) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lock(ctx, tx, now); err != nil {
			return err
		}
		_, err := s.rebuild(ctx, tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("rollup: rebuild: %w", err)
	}
	return nil
}

// lock takes the roll-up's lock row for the transaction (a second run
// waits for the first to commit) and reports whether the roll-ups are
// built in s's zone.
func (s *Service) lock(ctx context.Context, tx *sql.Tx, now time.Time) (bool, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE rollup_state SET ran_at = $1 WHERE id = 1`, now.UTC()); err != nil {
		return false, fmt.Errorf("lock: %w", err)
	}
	var zone string
	var built bool
	if err := tx.QueryRowContext(ctx, `SELECT zone, built FROM rollup_state WHERE id = 1`).Scan(&zone, &built); err != nil {
		return false, fmt.Errorf("state: %w", err)
	}
	return built && zone == s.zone.String(), nil
}

// rebuild drops every mark and every kept figure and recomputes each
// figure's days from its first row's day to its last's. The marks go
// first: a write committed after their delete leaves its mark for the
// next run.
func (s *Service) rebuild(ctx context.Context, tx *sql.Tx) (int, error) {
	for _, q := range []string{`DELETE FROM rollup_dirty`, `DELETE FROM rollup_days`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("rebuild: %w", err)
		}
	}
	days := dayset{}
	for _, f := range figures {
		if f.moment == "" {
			days.add(f.name, "")
			continue
		}
		first, ok, err := edge(ctx, tx, f, "")
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		last, _, err := edge(ctx, tx, f, " DESC")
		if err != nil {
			return 0, err
		}
		for d := s.dayOf(first); !d.start.After(last); d = d.next() {
			days.add(f.name, d.label)
		}
	}
	if err := s.recompute(ctx, tx, days); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE rollup_state SET built = TRUE, zone = $1 WHERE id = 1`, s.zone.String())
	return len(days), err
}

// edge reads the first (order "") or last (" DESC") moment of f's rows;
// ok is false when there is none. ORDER BY … LIMIT 1 reads one index
// entry, and its column keeps its type on SQLite, which an aggregate's
// does not.
func edge(ctx context.Context, tx *sql.Tx, f figure, order string) (time.Time, bool, error) {
	var t time.Time
	err := tx.QueryRowContext(ctx, `SELECT `+f.moment+` FROM `+f.table+` ORDER BY `+f.moment+order+` LIMIT 1`).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("rebuild %s: %w", f.name, err)
	}
	return t, true, nil
}

// recompute replaces the kept rows of each (figure, day) with the
// figure's query over that day.
func (s *Service) recompute(ctx context.Context, tx *sql.Tx, days dayset) error {
	for k := range days {
		f := byName[k.figure]
		if _, err := tx.ExecContext(ctx, `DELETE FROM rollup_days WHERE figure = $1 AND day = $2`, k.figure, k.day); err != nil {
			return fmt.Errorf("%s %s: %w", k.figure, k.day, err)
		}
		args := []any{k.day}
		if k.day != "" {
			d, err := s.parseDay(k.day)
			if err != nil {
				return err
			}
			args = append(args, d.start.UTC(), d.end.UTC())
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rollup_days (figure, day, agency_id, n, m, k)
			SELECT '`+f.name+`', CAST($1 AS TEXT), agency, n, m, k FROM (`+f.query+`) x`, args...); err != nil {
			return fmt.Errorf("%s %s: %w", k.figure, k.day, err)
		}
	}
	return nil
}
