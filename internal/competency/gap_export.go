package competency

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
)

// exportChunk is how many rows of a download are named per query.
const exportChunk = 500

// ExportPeople writes who in agency agencyID (0: the city) lacks what,
// every row in rank order, as CSV for a spreadsheet: the training-needs
// list an agency hands to its training planners. It starts with a byte
// order mark so spreadsheets read names as UTF-8; word gives the header's
// words (an i18n lookup).
func (s *GapService) ExportPeople(ctx context.Context, actor *policy.Actor, agencyID int64, f GapFilter, out io.Writer,
	word func(key string) string) error {
	var w *gapWorld
	var err error
	if agencyID != 0 {
		w, err = s.agencyWorld(ctx, actor, agencyID)
	} else {
		w, err = s.cityWorld(ctx, actor)
	}
	if err != nil {
		return err
	}
	comp := -1
	if f.Competency != nil {
		if comp = slices.IndexFunc(w.comps, func(c gapComp) bool { return c.Code == *f.Competency }); comp < 0 {
			return errFieldCompetency()
		}
	}
	keys := w.allPeople(comp)
	byRank := make([]int, len(w.comps))
	for c, r := range w.codeRanks() {
		byRank[r] = c
	}
	agencies := map[int64]string{}
	var ids []int64
	for _, a := range w.agency {
		if _, ok := agencies[a]; !ok {
			agencies[a] = ""
			ids = append(ids, a)
		}
	}
	if err := namesByID(ctx, s.db.Replica, "agencies", "name", ids, func(id int64, name, _ string) { agencies[id] = name }); err != nil {
		return err
	}
	if _, err := io.WriteString(out, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	cols := []string{"person", "agency", "code", "competency", "required", "current", "gap", "helpdesk"}
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = word("gap.csv." + c)
	}
	_ = cw.Write(head)
	yes, no := word("gap.csv.yes"), word("gap.csv.no")
	for start := 0; start < len(keys); start += exportChunk {
		rows := make([]PersonGapRow, 0, exportChunk)
		for _, k := range keys[start:min(start+exportChunk, len(keys))] {
			rows = append(rows, w.row(k, byRank))
		}
		if err := s.namePeople(ctx, rows); err != nil {
			return err
		}
		for _, r := range rows {
			inferred := no
			if r.Inferred {
				inferred = yes
			}
			_ = cw.Write([]string{tabular.CSVText(r.Employee.Name), tabular.CSVText(agencies[r.Employee.AgencyID]), r.Competency.Code,
				tabular.CSVText(r.Competency.Name), strconv.Itoa(r.RequiredLevel), strconv.Itoa(r.CurrentLevel), strconv.Itoa(r.Gap),
				inferred})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return nil
}

// allPeople returns every rank key of who lacks what, sorted.
func (w *gapWorld) allPeople(comp int) []uint64 {
	n, total := len(w.comps), 0
	for k := range w.need {
		if w.need[k] > w.held[k] && (comp < 0 || k%n == comp) {
			total++
		}
	}
	keys, _ := w.people(comp, peopleCursor{}, total)
	return keys
}
