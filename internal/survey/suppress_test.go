package survey

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSuppressLeavesNoRemainderUnderFive(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      map[int64]int
		typ    map[int64]string
		agency map[int64]bool
		types  map[string]bool
		city   bool
	}{
		{"all large", map[int64]int{1: 10, 2: 7}, map[int64]string{1: "dinas", 2: "kecamatan"},
			map[int64]bool{1: true, 2: true}, map[string]bool{"dinas": true, "kecamatan": true}, true},
		{"one small agency hides its type and the smallest other agency",
			map[int64]int{1: 10, 2: 7, 3: 3}, map[int64]string{1: "dinas", 2: "dinas", 3: "kecamatan"},
			map[int64]bool{1: true, 2: false, 3: false}, map[string]bool{"dinas": false, "kecamatan": false}, true},
		{"small ones adding up to five are enough",
			map[int64]int{1: 10, 2: 3, 3: 2}, map[int64]string{1: "dinas", 2: "kecamatan", 3: "kecamatan"},
			map[int64]bool{1: true, 2: false, 3: false}, map[string]bool{"dinas": true, "kecamatan": true}, true},
		{"a type's lone small agency hides the type, and its big one beside the city total",
			map[int64]int{1: 10, 2: 2, 3: 9}, map[int64]string{1: "dinas", 2: "dinas", 3: "kecamatan"},
			map[int64]bool{1: false, 2: false, 3: true}, map[string]bool{"dinas": false, "kecamatan": true}, true},
		{"agencies without answers change nothing",
			map[int64]int{1: 6, 2: 0}, map[int64]string{1: "dinas", 2: "badan"},
			map[int64]bool{1: true, 2: false}, map[string]bool{"dinas": true, "badan": false}, true},
		{"under five in all", map[int64]int{1: 4}, map[int64]string{1: "dinas"},
			map[int64]bool{1: false}, map[string]bool{"dinas": false}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := suppress(tc.n, tc.typ)
			for a, want := range tc.agency {
				if c.Agency[a] != want {
					t.Errorf("agency %d published = %v, want %v", a, c.Agency[a], want)
				}
			}
			for k, want := range tc.types {
				if c.Type[k] != want {
					t.Errorf("type %s published = %v, want %v", k, c.Type[k], want)
				}
			}
			if c.City != tc.city {
				t.Errorf("city = %v", c.City)
			}
			checkAtoms(t, tc.n, tc.typ, c)
		})
	}
}

// checkAtoms asserts what an attacker gets by subtracting published
// groups: every remainder is empty or at least MinGroup.
func checkAtoms(t *testing.T, n map[int64]int, typ map[int64]string, c Cells) {
	t.Helper()
	typeRest, cityRest := map[string]int{}, 0
	for a, k := range n {
		if c.Agency[a] {
			continue
		}
		if c.Type[typ[a]] {
			typeRest[typ[a]] += k
		} else {
			cityRest += k
		}
	}
	for k, r := range typeRest {
		if r > 0 && r < MinGroup {
			t.Errorf("type %s minus its agencies shown leaves %d", k, r)
		}
	}
	if c.City && cityRest > 0 && cityRest < MinGroup {
		t.Errorf("the city minus the groups shown leaves %d", cityRest)
	}
}

// rowsMoments are the moments of responses given as rows of values, one
// per item of items, all of dimension "d".
func rowsMoments(items []Item, rows [][]int) moments {
	m := newMoments()
	for _, r := range rows {
		var t int64
		for i, it := range items {
			v := int64(r[i])
			m.add(moments{items: map[int64]moment{it.ID: {1, v, v * v}}})
			t += v
		}
		m.add(moments{dims: map[string]moment{"d": {1, t, t * t}}})
	}
	return m
}

func TestAlphaFollowsTheFormulaAndSaysWhyNot(t *testing.T) {
	items := []Item{{ID: 1}, {ID: 2}, {ID: 3}}
	alphaOf := func(items []Item, rows ...[]int) (*float64, string) {
		return alpha(items, len(rows), rowsMoments(items, rows), "d")
	}
	// Item variances 1, 1, 1 (sample); totals 6, 9, 12 → variance 9:
	// α = 3/2 · (1 − 3/9) = 1.
	a, note := alphaOf(items, []int{1, 2, 3}, []int{2, 3, 4}, []int{3, 4, 5})
	if a == nil || *a != 1 || note != "" {
		t.Errorf("perfectly consistent: %v %q", a, note)
	}
	// Items 1,2 agree, item 3 runs against them.
	a, _ = alphaOf(items, []int{1, 1, 6}, []int{6, 6, 1}, []int{3, 4, 4}, []int{5, 5, 2})
	if a == nil || *a > 0.2 {
		t.Errorf("inconsistent items: α = %v, want low", a)
	}
	if a, note := alphaOf(items[:1], []int{1}, []int{2}); a != nil || note != "survey.alpha.items" {
		t.Errorf("one item: %v %q", a, note)
	}
	if a, note := alphaOf(items, []int{1, 2, 3}); a != nil || note != "survey.alpha.respondents" {
		t.Errorf("one respondent: %v %q", a, note)
	}
	if a, note := alphaOf(items, []int{4, 4, 4}, []int{4, 4, 4}); a != nil || note != "survey.alpha.variance" {
		t.Errorf("no variance: %v %q", a, note)
	}
}

// Moments give Cronbach's alpha as the respondents' values themselves do,
// on random answers of many sizes: the results read only moments.
func TestAlphaFromMomentsIsAlphaFromTheValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2026))
	for range 200 {
		items := make([]Item, 2+rng.IntN(5))
		for i := range items {
			items[i].ID = int64(i + 1)
		}
		rows, values := make([][]int, 2+rng.IntN(300)), [][]float64{}
		for r := range rows {
			base := 1 + rng.IntN(6) // answers that go together, so alpha is not always near 0
			values = append(values, nil)
			for range items {
				v := min(6, max(1, base+rng.IntN(3)-1))
				rows[r] = append(rows[r], v)
				values[r] = append(values[r], float64(v))
			}
		}
		a, _ := alpha(items, len(rows), rowsMoments(items, rows), "d")
		want, ok := CronbachOfValues(values)
		if !ok {
			if a != nil {
				t.Errorf("no variance in %v: alpha %v", rows, *a)
			}
			continue
		}
		// alpha rounds to three places; a tie (…5) may round either way.
		if a == nil || math.Abs(*a-want) > 0.0005+1e-9 {
			t.Fatalf("alpha of %v from moments %v, from the values %v", rows, a, want)
		}
	}
}

// A variance's numerator is exact however large: a million respondents'
// totals of 10,000 (n times the squares is 10²⁰, beyond 64 bits) all
// alike vary by 0, not by what an overflow leaves.
func TestVarianceOfMomentsIsExact(t *testing.T) {
	if v := (moment{n: 1_000_000, total: 10_000_000_000, squares: 100_000_000_000_000}).variance(); v != 0 {
		t.Errorf("a million alike: variance %v, want 0", v)
	}
	if v := (moment{n: 2, total: 3, squares: 5}).variance(); v != 0.5 { // 1 and 2
		t.Errorf("1 and 2: variance %v, want 0.5", v)
	}
	if v := (moment{n: 1, total: 4, squares: 16}).variance(); v != 0 {
		t.Errorf("one value: variance %v, want 0", v)
	}
}
