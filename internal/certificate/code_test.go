package certificate

import "testing"

func TestCodesAreWellFormedAndTyposAreCaught(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := newCode()
		if seen[c] {
			t.Fatalf("code %s came twice", c)
		}
		seen[c] = true
		if got, ok := Normalize(c); !ok || got != c {
			t.Fatalf("Normalize(%s) = %s, %v", c, got, ok)
		}
		// Every single-symbol mistake is caught.
		for i := range codeLen {
			for _, r := range alphabet {
				if byte(r) == c[i] {
					continue
				}
				typo := c[:i] + string(r) + c[i+1:]
				if _, ok := Normalize(typo); ok {
					t.Fatalf("typo %s of %s passes", typo, c)
				}
			}
		}
	}
}

func TestNormalizeReadsCodesAsPeopleTypeThem(t *testing.T) {
	c := newCode()
	for _, typed := range []string{Display(c), " " + c + " ", lower(Display(c))} {
		if got, ok := Normalize(typed); !ok || got != c {
			t.Errorf("Normalize(%q) = %q, %v; want %s", typed, got, ok, c)
		}
	}
	for _, bad := range []string{"", "ABC", "7K3Q-9XWD-M2H", "7K3Q-9XWD-M2HC-1", "ÄÄÄÄÄÄÄÄÄÄÄÄ", "UUUUUUUUUUUU", "../../etc/passwd"} {
		if _, ok := Normalize(bad); ok {
			t.Errorf("Normalize(%q) passes", bad)
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
