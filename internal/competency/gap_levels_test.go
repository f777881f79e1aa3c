package competency

import (
	"strconv"
	"testing"
	"time"
)

func TestKeptSpansDropLevelsAHigherOneOutlasts(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	year := now.AddDate(1, 0, 0)
	month := now.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name string
		in   []levelSpan
		want string
	}{
		{"one level for good", []levelSpan{{comp: 7, level: 2}}, "7:2"},
		{"the latest expiry of a level", []levelSpan{{comp: 7, level: 3, until: month}, {comp: 7, level: 3, until: year}},
			"7:3:" + itoa(year.Unix())},
		{"no expiry beats any", []levelSpan{{comp: 7, level: 3, until: year}, {comp: 7, level: 3}}, "7:3"},
		{"a lower level that lasts longer is kept", []levelSpan{{comp: 7, level: 4, until: month}, {comp: 7, level: 2}},
			"7:4:" + itoa(month.Unix()) + ",7:2"},
		{"a lower level that lapses sooner is dropped", []levelSpan{{comp: 7, level: 4}, {comp: 7, level: 2, until: year}},
			"7:4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := encodeSpans(keptSpans(tc.in)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecodeHeldTakesWhatHoldsNowAndSkipsJunk(t *testing.T) {
	now := int64(1_800_000_000)
	got := map[int64]int8{}
	decodeHeld([]byte("3:4:1799999999,3:2,5:3:1800000001,9:7,x:y,11:1,12"), now, func(c int64, l int8) {
		got[c] = max(got[c], l)
	})
	want := map[int64]int8{3: 2, 5: 3, 11: 1}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for c, l := range want {
		if got[c] != l {
			t.Errorf("competency %d: level %d, want %d", c, got[c], l)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
