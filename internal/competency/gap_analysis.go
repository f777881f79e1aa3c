package competency

import (
	"cmp"
	"slices"
)

// GapCompetency names a competency in a gap.
type GapCompetency struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// CompetencyGap is one competency's gaps across an agency or the city:
// how many people need it, how many of them fall short and by how much.
type CompetencyGap struct {
	Competency    GapCompetency `json:"competency"`
	People        int           `json:"people"`         // people who need it
	Lacking       int           `json:"lacking"`        // of them, below the level they need
	LevelsShort   int           `json:"levels_short"`   // the levels they lack, summed: the rank
	ShortBy       [4]int        `json:"short_by"`       // the lacking by shortfall: 1, 2, 3, 4 levels
	RequiredLevel int           `json:"required_level"` // the highest level anyone lacking needs
	// Inferred counts the lacking whose need comes from the help desk alone.
	Inferred  int              `json:"inferred"`
	Helpdesk  []HelpdeskSignal `json:"helpdesk"`  // the help desk's signals behind it, by agency
	Proposals []Proposal       `json:"proposals"` // activities and upcoming events that reach RequiredLevel
}

// AgencyGap is one agency's gaps, for the city's ranking of agencies.
type AgencyGap struct {
	Agency      GapAgency `json:"agency"`
	People      int       `json:"people"`       // people with a requirement (or a help desk need)
	Lacking     int       `json:"lacking"`      // of them, short of at least one
	Gaps        int       `json:"gaps"`         // person × competency pairs short
	LevelsShort int       `json:"levels_short"` // levels lacking, summed: the rank
	Signals     int       `json:"signals"`      // applications the help desk flags there
}

// GapAgency names an agency.
type GapAgency struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// PersonGapRow is one person short of one competency, in an agency's or
// the city's list of who lacks what.
type PersonGapRow struct {
	Employee      GapPerson     `json:"employee"`
	Competency    GapCompetency `json:"competency"`
	RequiredLevel int           `json:"required_level"`
	CurrentLevel  int           `json:"current_level"` // verified and not lapsed; 0: none
	Gap           int           `json:"gap"`           // levels lacking: the rank
	Inferred      bool          `json:"inferred"`      // the need comes from the help desk alone
}

// GapPerson names a person.
type GapPerson struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	AgencyID int64  `json:"agency_id"`
}

// ref names competency c.
func (w *gapWorld) ref(c int) GapCompetency {
	k := w.comps[c]
	return GapCompetency{ID: k.ID, Code: k.Code, Name: k.Name}
}

// byCompetency sums the gaps per competency (only those someone lacks),
// ranked by the levels lacking, then the people lacking, then the code.
func (w *gapWorld) byCompetency() []CompetencyGap {
	n := len(w.comps)
	out := make([]CompetencyGap, n)
	for e := range w.emps {
		row := e * n
		for c := 0; c < n; c++ {
			need := w.need[row+c]
			if need == 0 {
				continue
			}
			g := &out[c]
			g.People++
			if short := int(need - w.held[row+c]); short > 0 {
				g.Lacking++
				g.LevelsShort += short
				g.ShortBy[short-1]++
				g.RequiredLevel = max(g.RequiredLevel, int(need))
				if w.inferred[row+c] {
					g.Inferred++
				}
			}
		}
	}
	for _, s := range w.signals {
		g := &out[s.comp]
		g.Helpdesk = append(g.Helpdesk, s.HelpdeskSignal)
		if g.RequiredLevel == 0 { // flagged, yet everyone it concerns holds the level
			g.RequiredLevel = HelpdeskLevel
		}
	}
	var ranked []CompetencyGap
	for c := range out {
		if out[c].Lacking > 0 || len(out[c].Helpdesk) > 0 {
			out[c].Competency = w.ref(c)
			ranked = append(ranked, out[c])
		}
	}
	slices.SortFunc(ranked, compareCompetencyGaps)
	return ranked
}

func compareCompetencyGaps(a, b CompetencyGap) int {
	return cmp.Or(cmp.Compare(b.LevelsShort, a.LevelsShort), cmp.Compare(b.Lacking, a.Lacking),
		cmp.Compare(a.Competency.Code, b.Competency.Code))
}

// byAgency sums the gaps per agency, ranked by the levels lacking. Names
// are filled in by the caller.
func (w *gapWorld) byAgency() []AgencyGap {
	n := len(w.comps)
	idx := map[int64]int{}
	var out []AgencyGap
	get := func(agency int64) *AgencyGap {
		i, ok := idx[agency]
		if !ok {
			i = len(out)
			idx[agency] = i
			out = append(out, AgencyGap{Agency: GapAgency{ID: agency}})
		}
		return &out[i]
	}
	for e := range w.emps {
		row := e * n
		needs, gaps, short := false, 0, 0
		for c := 0; c < n; c++ {
			if need := w.need[row+c]; need > 0 {
				needs = true
				if s := int(need - w.held[row+c]); s > 0 {
					gaps++
					short += s
				}
			}
		}
		if !needs {
			continue
		}
		a := get(w.agency[e])
		a.People++
		if gaps > 0 {
			a.Lacking++
			a.Gaps += gaps
			a.LevelsShort += short
		}
	}
	for _, s := range w.signals {
		get(s.AgencyID).Signals++
	}
	slices.SortFunc(out, compareAgencyGaps)
	return out
}

func compareAgencyGaps(a, b AgencyGap) int {
	return cmp.Or(cmp.Compare(b.LevelsShort, a.LevelsShort), cmp.Compare(b.Lacking, a.Lacking),
		cmp.Compare(a.Agency.ID, b.Agency.ID))
}

// people returns the first k rows of who lacks what after the cursor key
// (only competency comp when it is ≥ 0), as rank keys, and whether more
// follow. A key packs 4 − gap, 4 − the level needed, the person's index
// (people are in id order) and the competency's place in code order, so
// keys in ascending order rank by the levels lacking, the level needed,
// then person and code. A city's list has millions of rows; only the page
// is kept (a bounded max-heap), never sorted whole.
func (w *gapWorld) people(comp int, after peopleCursor, k int) ([]uint64, bool) {
	n := len(w.comps)
	byCode := w.codeRanks()
	top := make([]uint64, 0, k+1) // a max-heap of the k smallest keys seen
	more := false
	for e := range w.emps {
		row := e * n
		for c := 0; c < n; c++ {
			need, held := w.need[row+c], w.held[row+c]
			if need <= held || (comp >= 0 && c != comp) {
				continue
			}
			key := uint64(4-(need-held))<<60 | uint64(4-need)<<56 | uint64(e)<<16 | uint64(byCode[c])
			if key < after.key || (key == after.key && !after.inclusive) {
				continue
			}
			switch {
			case len(top) < k:
				top = append(top, key)
				siftUp(top)
			case key < top[0]:
				top[0] = key
				siftDown(top)
				more = true
			default:
				more = true
			}
		}
	}
	slices.Sort(top)
	return top, more
}

// peopleCursor is where a page of people starts: after key, or at it when
// inclusive (the row the cursor named is gone, so its successor is first).
type peopleCursor struct {
	key       uint64
	inclusive bool
}

// cursorKey turns the rank of the last row shown into a peopleCursor.
func (w *gapWorld) cursorKey(g PersonGapRow) peopleCursor {
	if g.Gap < 1 || g.Gap > 4 || g.RequiredLevel < 1 || g.RequiredLevel > 4 {
		return peopleCursor{} // a forged rank: from the start
	}
	e, foundE := slices.BinarySearch(w.emps, g.Employee.ID)
	codes := make([]string, len(w.comps))
	for c, r := range w.codeRanks() {
		codes[r] = w.comps[c].Code
	}
	r, foundC := slices.BinarySearch(codes, g.Competency.Code)
	if !foundE {
		r, foundC = 0, false
	}
	return peopleCursor{key: uint64(4-g.Gap)<<60 | uint64(4-g.RequiredLevel)<<56 | uint64(e)<<16 | uint64(r),
		inclusive: !foundC}
}

func siftUp(h []uint64) {
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p] >= h[i] {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []uint64) {
	for i := 0; ; {
		l, big := 2*i+1, i
		if l < len(h) && h[l] > h[big] {
			big = l
		}
		if r := l + 1; r < len(h) && h[r] > h[big] {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// codeRanks gives each competency its place in code order.
func (w *gapWorld) codeRanks() []int {
	order := make([]int, len(w.comps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(w.comps[a].Code, w.comps[b].Code) })
	ranks := make([]int, len(w.comps))
	for r, c := range order {
		ranks[c] = r
	}
	return ranks
}

// row turns a rank key of people back into its row; byRank is the inverse
// of codeRanks.
func (w *gapWorld) row(key uint64, byRank []int) PersonGapRow {
	e, c := int(key>>16&0xFFFFFFFFFF), byRank[key&0xFFFF]
	k := w.at(e, c)
	return PersonGapRow{Employee: GapPerson{ID: w.emps[e], AgencyID: w.agency[e]}, Competency: w.ref(c),
		RequiredLevel: int(w.need[k]), CurrentLevel: int(w.held[k]), Gap: int(w.need[k] - w.held[k]), Inferred: w.inferred[k]}
}
