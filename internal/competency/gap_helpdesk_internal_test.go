package competency

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// TestSignalsOfAMinistryFindTheirOperators: a ministry raises help desk
// signals in hundreds of agencies at once; finding the operators they
// concern stays one bounded query (one condition per signal grew past
// SQLite's expression depth and failed the whole analysis).
func TestSignalsOfAMinistryFindTheirOperators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := &gapWorld{inferred: map[int]bool{}}
		for agency := int64(1); agency <= 1200; agency++ {
			w.signals = append(w.signals, helpdeskSignal{HelpdeskSignal: HelpdeskSignal{AgencyID: agency, AppID: 1 + agency%3}})
		}
		if err := w.inferFromSignals(context.Background(), d.R); err != nil {
			t.Fatalf("1,200 signals: %v", err)
		}
	})
}
