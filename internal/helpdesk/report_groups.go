package helpdesk

import "slices"

// slaGroup is the tickets of one team, priority, category and channel
// with their SLA outcomes.
type slaGroup struct {
	team                 *int64
	priority, cat, chann string
	tickets              int
	first, resolution    Clock
}

// volumeGroup is the count of one agency, application and category.
type volumeGroup struct {
	agency, app *int64
	category    string
	count       int
}

// timeGroup is the minutes logged on one team's tickets about one
// application.
type timeGroup struct {
	team, app *int64
	minutes   int
}

// ratingGroup is how many of one team's, agent's and application's
// tickets were rated score.
type ratingGroup struct {
	team, agent, app *int64
	score, count     int
}

// Group keys; an id of 0 is none.
type (
	slaKey struct {
		team                 int64
		priority, cat, chann uint8 // indexes into Priorities, Categories, Channels
	}
	volumeKey struct {
		agency, app int64
		category    uint8
	}
	ratingKey struct {
		team, agent, app int64
		score            int
	}
)

// periodGroups are the period's tickets added up by the groups the
// report's tables are made from.
type periodGroups struct {
	sla     map[slaKey]*slaGroup
	volume  map[volumeKey]*volumeGroup
	tags    map[string]int
	times   map[[2]int64]int
	ratings map[ratingKey]int
	fr, res []float64 // minutes, for the medians
}

// merge adds o's groups to g's.
func (g *periodGroups) merge(o *periodGroups) {
	for k, s := range o.sla {
		if t, ok := g.sla[k]; ok {
			t.tickets += s.tickets
			for _, c := range []struct{ dst, src *Clock }{{&t.first, &s.first}, {&t.resolution, &s.resolution}} {
				c.dst.Met += c.src.Met
				c.dst.Breached += c.src.Breached
				c.dst.Late += c.src.Late
			}
		} else {
			g.sla[k] = s
		}
	}
	for k, v := range o.volume {
		if t, ok := g.volume[k]; ok {
			t.count += v.count
		} else {
			g.volume[k] = v
		}
	}
	for k, n := range o.tags {
		g.tags[k] += n
	}
	g.fr, g.res = append(g.fr, o.fr...), append(g.res, o.res...)
}

func (g *periodGroups) add(team, agency, app int64, priority, category, channel uint8, first, resolution int64) {
	k := slaKey{team, priority, category, channel}
	s, ok := g.sla[k]
	if !ok {
		s = &slaGroup{team: ptr(team), priority: Priorities[priority], cat: Categories[category], chann: Channels[channel]}
		g.sla[k] = s
	}
	s.tickets++
	countClock(&s.first, first)
	countClock(&s.resolution, resolution)
	vk := volumeKey{agency, app, category}
	v, ok := g.volume[vk]
	if !ok {
		v = &volumeGroup{agency: ptr(agency), app: ptr(app), category: Categories[category]}
		g.volume[vk] = v
	}
	v.count++
}

func countClock(c *Clock, outcome int64) {
	switch outcome {
	case clockMet:
		c.Met++
	case clockBreached:
		c.Breached++
	case clockLate:
		c.Late++
	}
}

// ptr is an id as the report holds it: nil for 0, none.
func ptr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (g *periodGroups) slaList() []slaGroup {
	list := make([]slaGroup, 0, len(g.sla))
	for _, s := range g.sla {
		list = append(list, *s)
	}
	return list
}

func (g *periodGroups) volumeList() []volumeGroup {
	list := make([]volumeGroup, 0, len(g.volume))
	for _, v := range g.volume {
		list = append(list, *v)
	}
	return list
}

// tagList counts each tag: tickets were counted by their whole tag list,
// which repeats far more often than tickets do.
func (g *periodGroups) tagList() []Tally {
	counts := map[string]int{}
	for tags, n := range g.tags {
		for _, tag := range splitTags(tags) {
			counts[tag] += n
		}
	}
	list := make([]Tally, 0, len(counts))
	for tag, n := range counts {
		list = append(list, Tally{Code: tag, Name: tag, Count: n})
	}
	return list
}

func (g *periodGroups) timeList() []timeGroup {
	list := make([]timeGroup, 0, len(g.times))
	for k, minutes := range g.times {
		list = append(list, timeGroup{team: ptr(k[0]), app: ptr(k[1]), minutes: minutes})
	}
	return list
}

func (g *periodGroups) ratingList() []ratingGroup {
	list := make([]ratingGroup, 0, len(g.ratings))
	for k, n := range g.ratings {
		list = append(list, ratingGroup{team: ptr(k.team), agent: ptr(k.agent), app: ptr(k.app), score: k.score, count: n})
	}
	return list
}

func (g *periodGroups) medians() Medians {
	return Medians{FirstResponseMinutes: median(g.fr), FirstResponses: len(g.fr),
		ResolutionMinutes: median(g.res), Resolutions: len(g.res)}
}

// median is the middle value, or the mean of the two middle values; nil
// for none. It sorts values.
func median(values []float64) *float64 {
	n := len(values)
	if n == 0 {
		return nil
	}
	slices.Sort(values)
	m := values[n/2]
	if n%2 == 0 {
		m = (values[n/2-1] + values[n/2]) / 2
	}
	return &m
}
