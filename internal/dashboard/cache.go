package dashboard

import (
	"html/template"
	"sync"
	"time"
)

// ViewFor is how long the city dashboard's tables and charts are kept
// once built: leaders opening it at once build it once. The index under
// it is itself kept for loindex.LiveFor, so a figure is at most their sum
// old. Everyone who may read the city's dashboard may read every agency
// (policy.InsightView), so one view per language and period serves all.
const ViewFor = 20 * time.Second

type cityView struct {
	at   time.Time
	view cityPage
	html template.HTML // its tables
}

// views keeps built city dashboards by language and period.
type views struct {
	mu sync.Mutex
	m  map[string]cityView
	// gen counts the clears: a view built across one may show what it
	// cleared, and is not kept.
	gen uint64
}

// get returns the view kept under key, and the generation to put a new
// one with.
func (v *views) get(key string, now time.Time) (cityView, uint64, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.m[key]
	return c, v.gen, ok && now.Sub(c.at) < ViewFor
}

// clear drops every view, when the index under them changed on any node
// (loindex.Topics).
func (v *views) clear() {
	v.mu.Lock()
	defer v.mu.Unlock()
	clear(v.m)
	v.gen++
}

func (v *views) put(key string, c cityView, gen uint64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if gen != v.gen {
		return
	}
	if v.m == nil {
		v.m = map[string]cityView{}
	}
	for k, old := range v.m { // forget what has gone stale
		if c.at.Sub(old.at) >= ViewFor {
			delete(v.m, k)
		}
	}
	v.m[key] = c
}
