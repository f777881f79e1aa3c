package competency

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// CoverageCount is how many (person, competency) pairs the requirements in
// force ask of an agency's active people, and how many of them the person
// meets now with a verified level that has not lapsed. Needs the help desk
// infers are left out: coverage measures the stated requirements.
type CoverageCount struct {
	Required int `json:"required"`
	Met      int `json:"met"`
}

// Coverage reads the gap analysis of the whole city at now and counts the
// required pairs per agency, under key 0 the city's, reading q. It
// carries no authorization: the LO index and its roll-up call it for
// figures only, and choose q (the replica, or the primary for what they
// keep).
func Coverage(ctx context.Context, q db.Querier, now time.Time) (map[int64]CoverageCount, error) {
	w, err := loadStatedNeeds(ctx, q, now)
	if err != nil {
		return nil, err
	}
	n := len(w.comps)
	out := map[int64]CoverageCount{}
	var city CoverageCount
	for e := range w.emps {
		row := e * n
		var c CoverageCount
		for k := row; k < row+n; k++ {
			if w.need[k] == 0 || w.inferred[k] {
				continue
			}
			c.Required++
			if w.held[k] >= w.need[k] {
				c.Met++
			}
		}
		if c.Required == 0 {
			continue
		}
		a := out[w.agency[e]]
		a.Required += c.Required
		a.Met += c.Met
		out[w.agency[e]] = a
		city.Required += c.Required
		city.Met += c.Met
	}
	out[0] = city
	return out, nil
}

// loadStatedNeeds is loadGapWorld of the city without the help desk's
// signals: the needs coverage counts are the requirements' alone, and the
// signals' read of a year of tickets is the costliest part left out.
func loadStatedNeeds(ctx context.Context, rd db.Querier, now time.Time) (*gapWorld, error) {
	w := &gapWorld{now: now, inferred: map[int]bool{}}
	for _, step := range []func(context.Context, db.Querier, gapScope) error{w.loadComps, w.loadReqs, w.loadPeople} {
		if err := step(ctx, rd, gapScope{}); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
	}
	var held error
	var wg sync.WaitGroup
	wg.Go(func() { held = w.loadHeld(ctx, rd, gapScope{}) })
	err := w.loadGrants(ctx, rd, gapScope{})
	wg.Wait()
	if err = cmp.Or(err, held); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return w, nil
}

// HeldLevel is the level (0: none) of competency a competency_held.levels
// value holds at now: the highest verified level not lapsed.
func HeldLevel(levels string, competency int64, now time.Time) int {
	best := 0
	decodeHeld([]byte(levels), now.Unix(), func(c int64, level int8) {
		if c == competency && int(level) > best {
			best = int(level)
		}
	})
	return best
}
