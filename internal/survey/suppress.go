package survey

import "sort"

// Cells are the groups of one campaign whose results may be published:
// each agency, each agency type, and the city.
type Cells struct {
	Agency map[int64]bool  // agency id → published
	Type   map[string]bool // agency type → published
	City   bool
}

// suppress decides which groups of a campaign are published, given each
// agency's respondents and type. A group under MinGroup is hidden; then,
// because an attacker can subtract published groups from a published total
// (the city minus the agencies shown is the hidden agencies' answers),
// more groups are hidden until every such remainder is empty or holds at
// least MinGroup respondents: first agency types, then (for the city's
// remainder) the smallest agencies. The remainders are the "atoms" the published
// groups split the respondents into: a published type's hidden agencies,
// and the city's agencies outside published types that are not published
// themselves. Pooled responses (stored without their agency) come in under
// keys ≤ 0, never published as agencies; those without a type under type "",
// never published as a type.
func suppress(n map[int64]int, typ map[int64]string) Cells {
	c := Cells{Agency: map[int64]bool{}, Type: map[string]bool{}}
	typeN := map[string]int{}
	total := 0
	ids := make([]int64, 0, len(n))
	for a, k := range n {
		ids = append(ids, a)
		typeN[typ[a]] += k
		total += k
		c.Agency[a] = a > 0 && k >= MinGroup // a pool (see poolID) is never shown as an agency
	}
	sort.Slice(ids, func(i, j int) bool { return n[ids[i]] < n[ids[j]] || n[ids[i]] == n[ids[j]] && ids[i] < ids[j] })
	for t, k := range typeN {
		c.Type[t] = t != "" && k >= MinGroup // pooled responses without a type count towards the city only
	}
	c.City = total >= MinGroup
	small := func(k int) bool { return k > 0 && k < MinGroup }
	for changed := true; changed; {
		changed = false
		for t, pub := range c.Type { // a published type's hidden agencies
			if !pub {
				continue
			}
			rest := 0
			for _, a := range ids {
				if typ[a] == t && !c.Agency[a] {
					rest += n[a]
				}
			}
			if small(rest) {
				// The type is hidden rather than one of its agencies: an
				// agency's own results matter more to its people, and the
				// hidden ones join the city's remainder, checked below.
				c.Type[t], changed = false, true
			}
		}
		if !c.City || changed {
			continue
		}
		rest := 0
		for _, a := range ids {
			if !c.Type[typ[a]] && !c.Agency[a] {
				rest += n[a]
			}
		}
		if !small(rest) {
			continue
		}
		changed = true
		if a, ok := smallest(ids, func(a int64) bool { return c.Agency[a] && !c.Type[typ[a]] }); ok {
			c.Agency[a] = false // a published agency of a hidden type joins the remainder
			continue
		}
		var pick string // else the smallest published type
		for t, pub := range c.Type {
			if pub && (pick == "" || typeN[t] < typeN[pick] || typeN[t] == typeN[pick] && t < pick) {
				pick = t
			}
		}
		c.Type[pick] = false
	}
	return c
}

func smallest(ids []int64, ok func(int64) bool) (int64, bool) {
	for _, a := range ids { // ids are sorted by respondents
		if ok(a) {
			return a, true
		}
	}
	return 0, false
}
