package helpdesk

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// assemble adds the queries' groups up into the report's tables, with
// names for the ids.
func (n reportNames) assemble(r *Report, sla []slaGroup, volume []volumeGroup, tags []Tally, backlog []BacklogRow,
	times []timeGroup, ratings []ratingGroup) {
	n.slaTables(r, sla)
	agencies, apps := tallies{}, tallies{}
	problems := map[[2]string]*Problem{}
	for _, g := range volume {
		agencies.add(g.agency, "", n.name(n.agencies, g.agency), g.count)
		apps.add(g.app, "", n.name(n.apps, g.app), g.count)
		key := [2]string{g.category, idKey(g.app)}
		if p, ok := problems[key]; ok {
			p.Count += g.count
		} else {
			problems[key] = &Problem{Category: g.category, AppID: g.app, App: n.name(n.apps, g.app), Count: g.count}
		}
	}
	r.ByAgency, r.ByApp = agencies.sorted(), apps.sorted()
	r.TopProblems = []Problem{}
	for _, p := range problems {
		r.TopProblems = append(r.TopProblems, *p)
	}
	slices.SortFunc(r.TopProblems, func(a, b Problem) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Category, b.Category), cmp.Compare(a.App, b.App))
	})
	r.TopProblems = r.TopProblems[:min(topProblems, len(r.TopProblems))]
	r.TopTags = sortTallies(tags)[:min(topProblems, len(tags))]

	r.Backlog, r.BacklogByTeam = BacklogRow{Name: ""}, []BacklogRow{}
	for _, b := range backlog {
		b.Name = n.name(n.teams, b.ID)
		r.BacklogByTeam = append(r.BacklogByTeam, b)
		r.Backlog.Under1 += b.Under1
		r.Backlog.To3 += b.To3
		r.Backlog.To7 += b.To7
		r.Backlog.To30 += b.To30
		r.Backlog.Over30 += b.Over30
		r.Backlog.Total += b.Total
	}
	slices.SortFunc(r.BacklogByTeam, func(a, b BacklogRow) int { return cmp.Or(b.Total-a.Total, cmp.Compare(a.Name, b.Name)) })

	byTeam, byApp := tallies{}, tallies{}
	for _, g := range times {
		r.TimeSpent += g.minutes
		byTeam.add(g.team, "", n.name(n.teams, g.team), g.minutes)
		byApp.add(g.app, "", n.name(n.apps, g.app), g.minutes)
	}
	r.TimeByTeam, r.TimeByApp = byTeam.sorted(), byApp.sorted()
	n.ratingTables(r, ratings)
}

// slaTables adds the SLA groups up: the totals, per priority in their
// order, per team, and the volume per category and channel.
func (n reportNames) slaTables(r *Report, groups []slaGroup) {
	priorities := map[string]*SLARow{}
	r.SLAByPriority = make([]SLARow, len(Priorities))
	for i, p := range Priorities {
		r.SLAByPriority[i] = SLARow{Code: p, Name: p}
		priorities[p] = &r.SLAByPriority[i]
	}
	teams := map[string]*SLARow{}
	var teamOrder []string
	categories, channels := tallies{}, tallies{}
	for _, g := range groups {
		r.Tickets += g.tickets
		addSLA(&r.SLA, g)
		if p, ok := priorities[g.priority]; ok {
			addSLA(p, g)
		}
		key := idKey(g.team)
		if _, ok := teams[key]; !ok {
			teams[key] = &SLARow{ID: g.team, Name: n.name(n.teams, g.team)}
			teamOrder = append(teamOrder, key)
		}
		addSLA(teams[key], g)
		categories.add(nil, g.cat, g.cat, g.tickets)
		channels.add(nil, g.chann, g.chann, g.tickets)
	}
	r.SLAByTeam = []SLARow{}
	for _, k := range teamOrder {
		r.SLAByTeam = append(r.SLAByTeam, *teams[k])
	}
	slices.SortFunc(r.SLAByTeam, func(a, b SLARow) int { return cmp.Or(b.Tickets-a.Tickets, cmp.Compare(a.Name, b.Name)) })
	for _, row := range append(append([]*SLARow{&r.SLA}, pointers(r.SLAByPriority)...), pointers(r.SLAByTeam)...) {
		finishClock(&row.FirstResponse, row.Tickets)
		finishClock(&row.Resolution, row.Tickets)
	}
	r.ByCategory, r.ByChannel = categories.sorted(), channels.sorted()
}

func pointers(rows []SLARow) []*SLARow {
	ps := make([]*SLARow, len(rows))
	for i := range rows {
		ps[i] = &rows[i]
	}
	return ps
}

func addSLA(row *SLARow, g slaGroup) {
	row.Tickets += g.tickets
	for _, c := range []struct{ dst, src *Clock }{{&row.FirstResponse, &g.first}, {&row.Resolution, &g.resolution}} {
		c.dst.Met += c.src.Met
		c.dst.Breached += c.src.Breached
		c.dst.Late += c.src.Late
	}
}

// finishClock counts the running clocks (the rest) and the share met.
func finishClock(c *Clock, tickets int) {
	c.Running = tickets - c.Met - c.Breached - c.Late
	if decided := c.Met + c.Breached + c.Late; decided > 0 {
		c.MetPct = math.Round(1000*float64(c.Met)/float64(decided)) / 10
	}
}

// ratingTables adds the ratings up: in all, per team, agent and
// application.
func (n reportNames) ratingTables(r *Report, groups []ratingGroup) {
	teams, agents, apps := scores{}, scores{}, scores{}
	for _, g := range groups {
		if g.score < 1 || g.score > 5 {
			continue
		}
		r.Satisfaction.Count += g.count
		r.Satisfaction.Scores[g.score-1] += g.count
		teams.add(g.team, n.name(n.teams, g.team), g.score, g.count)
		agents.add(g.agent, n.name(n.agents, g.agent), g.score, g.count)
		apps.add(g.app, n.name(n.apps, g.app), g.score, g.count)
	}
	average(&r.Satisfaction)
	r.RatingsByTeam, r.RatingsByAgent, r.RatingsByApp = teams.sorted(), agents.sorted(), apps.sorted()
}

func average(s *Satisfaction) {
	if s.Count == 0 {
		return
	}
	sum := 0
	for i, k := range s.Scores {
		sum += (i + 1) * k
	}
	s.Average = math.Round(100*float64(sum)/float64(s.Count)) / 100
}

// scores gathers ratings per id.
type scores map[string]*Satisfaction

func (m scores) add(id *int64, name string, score, count int) {
	key := idKey(id)
	s, ok := m[key]
	if !ok {
		s = &Satisfaction{ID: id, Name: name}
		m[key] = s
	}
	s.Count += count
	s.Scores[score-1] += count
}

func (m scores) sorted() []Satisfaction {
	list := make([]Satisfaction, 0, len(m))
	for _, s := range m {
		average(s)
		list = append(list, *s)
	}
	slices.SortFunc(list, func(a, b Satisfaction) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Name, b.Name)) })
	return list
}

// tallies gathers counts per id or code.
type tallies map[string]*Tally

func (m tallies) add(id *int64, code, name string, count int) {
	key := code
	if code == "" {
		key = idKey(id)
	}
	t, ok := m[key]
	if !ok {
		t = &Tally{ID: id, Code: code, Name: name}
		m[key] = t
	}
	t.Count += count
}

func (m tallies) sorted() []Tally {
	list := make([]Tally, 0, len(m))
	for _, t := range m {
		list = append(list, *t)
	}
	return sortTallies(list)
}

// sortTallies orders the largest count first, then by name.
func sortTallies(list []Tally) []Tally {
	slices.SortFunc(list, func(a, b Tally) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Name, b.Name)) })
	return list
}

func idKey(id *int64) string {
	if id == nil {
		return "-"
	}
	return strconv.FormatInt(*id, 10)
}

// name is the name of id in names: "" for none (the pages say "none"), the
// id itself for one deleted since.
func (n reportNames) name(names map[int64]string, id *int64) string {
	if id == nil {
		return ""
	}
	if s, ok := names[*id]; ok {
		return s
	}
	return "#" + strconv.FormatInt(*id, 10)
}
