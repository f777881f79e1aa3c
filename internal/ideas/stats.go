package ideas

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
)

// AnswerWindow is how soon an answer counts as timely.
const AnswerWindow = 30 * 24 * time.Hour

// AnswerStat is how an owner agency answered the ideas it received in a
// span: every figure is about the ideas created in the span, answered (or
// not) as of the time of asking.
type AnswerStat struct {
	AgencyID   int64  `json:"agency_id"` // 0: all the agencies asked about
	AgencyName string `json:"agency_name,omitempty"`
	Received   int    `json:"received"`
	Answered   int    `json:"answered"`
	// AnsweredIn30 counts first answers given within AnswerWindow of the
	// idea's creation.
	AnsweredIn30 int `json:"answered_within_30_days"`
	// Due counts the ideas whose time to answer is up: answered, or
	// waiting AnswerWindow or more. One still within its window counts for
	// neither side of "answered in time" yet (the LO index reads these two).
	Due int `json:"due"`
	// MedianWaitDays is the median time to the first answer of the
	// answered ideas, in days; nil when none was answered.
	MedianWaitDays *float64 `json:"median_wait_days"`
	Waiting        int      `json:"waiting"`          // still unanswered
	OldestWaitDays int      `json:"oldest_wait_days"` // how long the oldest unanswered one has waited
}

// AnswerStats figures, per owner agency of agencyIDs (nil or empty: every
// agency) and under key 0 for all of them together, how the ideas created
// from from (inclusive) to to (exclusive) were answered, as of at. An agency with no
// ideas in the span has no entry; key 0 is always there.
func AnswerStats(ctx context.Context, q db.Querier, agencyIDs []int64, from, to, at time.Time) (map[int64]AnswerStat, error) {
	query := `SELECT agency_id, created_at, answered_at FROM ideas WHERE `
	var args []any
	if len(agencyIDs) > 0 {
		marks, ids := db.InList(agencyIDs)
		query += `agency_id IN (` + marks + `) AND `
		args = ids
	}
	n := len(args)
	query += `created_at >= $` + strconv.Itoa(n+1) + ` AND created_at < $` + strconv.Itoa(n+2)
	rows, err := q.QueryContext(ctx, query, append(args, from.UTC(), to.UTC())...)
	if err != nil {
		return nil, fmt.Errorf("ideas: answer stats: %w", err)
	}
	defer rows.Close()
	waits := map[int64][]float64{}
	out := map[int64]AnswerStat{0: {}}
	for rows.Next() {
		var agency int64
		var created time.Time
		var answered *time.Time
		if err := rows.Scan(&agency, &created, &answered); err != nil {
			return nil, fmt.Errorf("ideas: answer stats: %w", err)
		}
		for _, key := range []int64{agency, 0} {
			st := out[key]
			st.AgencyID = key
			st.Received++
			if answered != nil || at.Sub(created) >= AnswerWindow {
				st.Due++
			}
			if answered != nil {
				wait := answered.Sub(created)
				st.Answered++
				if wait <= AnswerWindow {
					st.AnsweredIn30++
				}
				waits[key] = append(waits[key], wait.Hours()/24)
			} else {
				st.Waiting++
				st.OldestWaitDays = max(st.OldestWaitDays, int(at.Sub(created).Hours()/24))
			}
			out[key] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ideas: answer stats: %w", err)
	}
	for key, w := range waits {
		st := out[key]
		m := median(w)
		st.MedianWaitDays = &m
		out[key] = st
	}
	return out, nil
}

func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Waits is the answer figures of period p for the leaders' page: a row per
// agency the actor leads or reads insight of (those with ideas in p or
// ideas still waiting), then the city's row when they may read the
// city's. Unlike AnswerStats, Waiting and OldestWaitDays count every idea
// still unanswered today, whatever period it came in.
func (s *Service) Waits(ctx context.Context, actor *policy.Actor, p period.Period) ([]AnswerStat, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	city := policy.Can(actor, policy.InsightView, policy.Target{})
	var mine []int64
	if !city {
		for _, g := range actor.Grants {
			if g.AgencyID != 0 && !slices.Contains(mine, g.AgencyID) && (policy.Can(actor, policy.InsightView,
				policy.Target{AgencyID: g.AgencyID}) || policy.Can(actor, policy.IdeaAnswer, policy.Target{AgencyID: g.AgencyID})) {
				mine = append(mine, g.AgencyID)
			}
		}
		if len(mine) == 0 {
			return nil, errs.New(errs.Forbidden, "forbidden")
		}
	}
	stats, err := AnswerStats(ctx, s.db.R, mine, p.Start, p.End, now())
	if err != nil {
		return nil, err
	}
	// What still waits is counted over every idea, whenever it came: a
	// leader's backlog does not end with the period.
	ever, err := AnswerStats(ctx, s.db.R, mine, time.Time{}, now().Add(time.Second), now())
	if err != nil {
		return nil, err
	}
	for key, e := range ever {
		st, ok := stats[key]
		if !ok && e.Waiting == 0 {
			continue
		}
		st.AgencyID, st.Waiting, st.OldestWaitDays = key, e.Waiting, e.OldestWaitDays
		stats[key] = st
	}
	names, err := s.agencyNames(ctx)
	if err != nil {
		return nil, err
	}
	list := []AnswerStat{}
	for key, st := range stats {
		if key != 0 {
			st.AgencyName = names[key]
			list = append(list, st)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].AgencyName < list[j].AgencyName })
	if city {
		list = append(list, stats[0])
	}
	return list, nil
}

func (s *Service) agencyNames(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name FROM agencies`)
	if err != nil {
		return nil, fmt.Errorf("ideas: agencies: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("ideas: agencies: %w", err)
		}
		names[id] = name
	}
	return names, rows.Err()
}

// WaitTables lays the answer figures out as one table, in lang, for the
// page and the downloads.
func WaitTables(lang string, p period.Period, list []AnswerStat) []tabular.Table {
	f := tabular.Format{Lang: lang}
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	days := func(d *float64) tabular.Cell {
		if d == nil {
			return tabular.Cell{Text: "—", Value: ""}
		}
		return tabular.Cell{Text: t("ideas.days", f.Decimal(*d, 1)), Value: float64(int(*d*10+0.5)) / 10}
	}
	share := func(n, of int) tabular.Cell {
		if of == 0 {
			return tabular.Cell{Text: "—", Value: ""}
		}
		return f.Pct(float64(n) * 100 / float64(of))
	}
	tbl := tabular.Table{ID: "waits", Title: t("ideas.waits.caption", p.Label),
		Header: []string{t("ideas.col.agency"), t("ideas.col.received"), t("ideas.col.answered"),
			t("ideas.col.within30"), t("ideas.col.median"), t("ideas.col.waiting"), t("ideas.col.oldest")}}
	for _, st := range list {
		name := st.AgencyName
		if st.AgencyID == 0 {
			name = t("ideas.city")
		}
		oldest := tabular.Cell{Text: "—", Value: ""}
		if st.Waiting > 0 {
			oldest = tabular.Cell{Text: t("ideas.days", f.Group(st.OldestWaitDays)), Value: st.OldestWaitDays}
		}
		tbl.Rows = append(tbl.Rows, []tabular.Cell{f.Text(name), f.Int(st.Received), f.Int(st.Answered),
			share(st.AnsweredIn30, st.Received), days(st.MedianWaitDays), f.Int(st.Waiting), oldest})
	}
	return []tabular.Table{tbl}
}
