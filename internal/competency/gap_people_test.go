package competency

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPeoplePagesMatchAFullRanking pages through a random city's list of
// who lacks what, a few rows at a time, and checks it against a full sort
// by the documented rank: levels lacking, level needed, person, code.
func TestPeoplePagesMatchAFullRanking(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w := &gapWorld{inferred: map[int]bool{}}
	for _, code := range []string{"webmail", "app.operasi", "literasi-digital", "keamanan-informasi"} {
		w.comps = append(w.comps, gapComp{ID: int64(len(w.comps) + 1), Code: code})
	}
	for i := range 300 {
		w.emps = append(w.emps, int64(10+3*i))
		w.agency = append(w.agency, 1)
	}
	w.index = newIDIndex(w.emps)
	w.need = make([]int8, len(w.emps)*len(w.comps))
	w.held = make([]int8, len(w.need))
	for k := range w.need {
		w.need[k], w.held[k] = int8(rng.IntN(5)), int8(rng.IntN(5))
	}
	var want []PersonGapRow
	for e := range w.emps {
		for c := range w.comps {
			if k := w.at(e, c); w.need[k] > w.held[k] {
				want = append(want, PersonGapRow{Employee: GapPerson{ID: w.emps[e], AgencyID: 1}, Competency: w.ref(c),
					RequiredLevel: int(w.need[k]), CurrentLevel: int(w.held[k]), Gap: int(w.need[k] - w.held[k])})
			}
		}
	}
	slices.SortFunc(want, func(a, b PersonGapRow) int {
		switch {
		case a.Gap != b.Gap:
			return b.Gap - a.Gap
		case a.RequiredLevel != b.RequiredLevel:
			return b.RequiredLevel - a.RequiredLevel
		case a.Employee.ID != b.Employee.ID:
			return int(a.Employee.ID - b.Employee.ID)
		}
		return map[bool]int{true: -1, false: 1}[a.Competency.Code < b.Competency.Code]
	})
	byRank := make([]int, len(w.comps))
	for c, r := range w.codeRanks() {
		byRank[r] = c
	}
	var got []PersonGapRow
	after := peopleCursor{}
	for {
		keys, more := w.people(-1, after, 7)
		for _, k := range keys {
			got = append(got, w.row(k, byRank))
		}
		if !more {
			break
		}
		after = w.cursorKey(got[len(got)-1])
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged %d rows, want %d, in rank order", len(got), len(want))
	}
	// A cursor naming someone no longer listed starts at their successor.
	gone := want[10]
	gone.Employee.ID++
	next := slices.IndexFunc(want, func(r PersonGapRow) bool {
		return r.Gap < gone.Gap || (r.Gap == gone.Gap && (r.RequiredLevel < gone.RequiredLevel ||
			(r.RequiredLevel == gone.RequiredLevel && r.Employee.ID > gone.Employee.ID)))
	})
	keys, _ := w.people(-1, w.cursorKey(gone), 1)
	if len(keys) != 1 || w.row(keys[0], byRank) != want[next] {
		t.Errorf("after a vanished row: %v, want %+v", keys, want[next])
	}
}
