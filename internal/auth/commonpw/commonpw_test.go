package commonpw

import (
	"slices"
	"testing"
)

func TestContains(t *testing.T) {
	for _, c := range []struct {
		password string
		want     bool
	}{
		{"123456", true},
		{"password", true},
		{"PassWord", true},               // case is ignored
		{"qwertyuiop", true},             // a long one on the list
		{"1qaz2wsx3edc", true},           // 12 characters, on the list
		{"Password2024!", true},          // a listed word stretched with digits and symbols
		{"dragon12345678", true},         // the same
		{"2024password", false},          // the stretch counts only at the end
		{"kopi-pagi-di-losari", false},   // a few words
		{"Pa'ssw0rd-Ä-makassar", false},  // the tests' password
		{"hujan turun di pantai", false}, // a phrase
		{"!!!!!!!!!!!!", false},          // nothing left of a word: another rule's business
	} {
		if got := Contains(c.password); got != c.want {
			t.Errorf("Contains(%q) = %v, want %v", c.password, got, c.want)
		}
	}
}

// TestListIsSorted: the binary search needs the list sorted, lower-cased
// and without duplicates, as scripts/common-passwords.sh writes it.
func TestListIsSorted(t *testing.T) {
	l := list()
	if len(l) < 40000 {
		t.Fatalf("the list has %d passwords, want the whole list", len(l))
	}
	if !slices.IsSorted(l) {
		t.Fatal("the list is not sorted")
	}
	for i := 1; i < len(l); i++ {
		if l[i] == l[i-1] {
			t.Fatalf("%q is listed twice", l[i])
		}
	}
}
