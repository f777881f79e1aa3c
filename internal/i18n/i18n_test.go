package i18n

import (
	"strings"
	"testing"
)

// TestCatalogsMatch keeps the languages in step: every key in one catalog is
// in the other, with the same number of fmt verbs.
func TestCatalogsMatch(t *testing.T) {
	for _, a := range Langs {
		for _, b := range Langs {
			for _, k := range Keys(a) {
				if !Has(b, k) {
					t.Errorf("%q is in %s but not in %s", k, a, b)
					continue
				}
				if va, vb := strings.Count(T(a, k), "%"), strings.Count(T(b, k), "%"); va != vb {
					t.Errorf("%q: %s has %d verbs, %s has %d", k, a, va, b, vb)
				}
			}
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"en-US,en;q=0.9": EN, "id-ID": ID, "fr, en;q=0.5": EN, "fr": "", "": "",
	} {
		if got := FromAcceptLanguage(in); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTFallsBack(t *testing.T) {
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gave %q", got)
	}
	if got := T(EN, "err.too_long", 5); got != "at most 5 characters" {
		t.Errorf("T with args gave %q", got)
	}
}
