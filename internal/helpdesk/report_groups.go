package helpdesk

import "slices"

// slaGroup is the tickets of one team, priority, category and channel
// with their SLA outcomes.
type slaGroup struct {
	team                 *int64
	priority, cat, chann string
	p, c, ch             uint8 // indexes into Priorities, Categories, Channels
	tickets              int
	first, resolution    Clock
}

// volumeGroup is the count of one agency, application and category.
type volumeGroup struct {
	agency, app *int64
	category    string
	c           uint8
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

// Group keys: the ids as small numbers (groupIDs) and the codes, packed
// into an integer (a map finds those faster than a struct); an id of 0 is
// none.
func slaKeyOf(team uint32, priority, category, channel uint8) uint64 {
	return uint64(team)<<24 | uint64(priority)<<16 | uint64(category)<<8 | uint64(channel)
}

func volumeKeyOf(agency, app uint32, category uint8) uint64 {
	return uint64(agency)<<36 | uint64(app)<<8 | uint64(category)
}

type ratingKey struct {
	team, agent, app int64
	score            int
}

// groupIDs numbers the ids of teams, agencies and applications for the
// group keys: an id under 2^20 is its own number, a larger one (never
// seen yet) the next number from 2^20 on, fewer than 2^28 in all.
type groupIDs struct {
	large map[int64]uint32
}

const smallGroupID = 1 << 20

func (x *groupIDs) number(id int64) uint32 {
	if id >= 0 && id < smallGroupID {
		return uint32(id)
	}
	n, ok := x.large[id]
	if !ok {
		if x.large == nil {
			x.large = map[int64]uint32{}
		}
		n = smallGroupID + uint32(len(x.large))
		x.large[id] = n
	}
	return n
}

// periodGroups are the period's tickets added up by the groups the
// report's tables are made from.
type periodGroups struct {
	ids     groupIDs
	sla     map[uint64]*slaGroup
	volume  map[uint64]*volumeGroup
	tags    map[string]int
	times   map[[2]int64]int
	ratings map[ratingKey]int
	fr, res []float64 // minutes, for the medians
	med     Medians
}

func newPeriodGroups() *periodGroups {
	return &periodGroups{sla: map[uint64]*slaGroup{}, volume: map[uint64]*volumeGroup{}, tags: map[string]int{},
		times: map[[2]int64]int{}, ratings: map[ratingKey]int{}}
}

// merge adds o's groups to g's.
func (g *periodGroups) merge(o *periodGroups) {
	for _, s := range o.sla {
		k := slaKeyOf(g.ids.number(deref(s.team)), s.p, s.c, s.ch)
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
	for _, v := range o.volume {
		k := volumeKeyOf(g.ids.number(deref(v.agency)), g.ids.number(deref(v.app)), v.c)
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
	k := slaKeyOf(g.ids.number(team), priority, category, channel)
	s, ok := g.sla[k]
	if !ok {
		s = &slaGroup{team: ptr(team), priority: Priorities[priority], cat: Categories[category], chann: Channels[channel],
			p: priority, c: category, ch: channel}
		g.sla[k] = s
	}
	s.tickets++
	countClock(&s.first, first)
	countClock(&s.resolution, resolution)
	vk := volumeKeyOf(g.ids.number(agency), g.ids.number(app), category)
	v, ok := g.volume[vk]
	if !ok {
		v = &volumeGroup{agency: ptr(agency), app: ptr(app), category: Categories[category], c: category}
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
// for none. It reorders values: the middle one is selected (quickselect,
// a few times faster than sorting a year's), and the one before it is the
// largest of those left before it.
func median(values []float64) *float64 {
	n := len(values)
	if n == 0 {
		return nil
	}
	selectNth(values, n/2)
	m := values[n/2]
	if n%2 == 0 {
		m = (slices.Max(values[:n/2]) + m) / 2
	}
	return &m
}

// selectNth reorders values so that values[k] is the value it would hold
// sorted, with none larger before it and none smaller after it. Should the
// pivots go badly (many rounds), it sorts instead.
func selectNth(values []float64, k int) {
	lo, hi := 0, len(values)-1
	for rounds := 0; lo < hi; rounds++ {
		if rounds > 64 {
			slices.Sort(values[lo : hi+1])
			return
		}
		// The median of three as the pivot; Hoare's partition.
		mid := lo + (hi-lo)/2
		a, b, c := values[lo], values[mid], values[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for values[i] < pivot {
				i++
			}
			for values[j] > pivot {
				j--
			}
			if i <= j {
				values[i], values[j] = values[j], values[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
