package certificate

import (
	"crypto/rand"
	"strings"
)

// A certificate's code is 12 symbols of Crockford's base32 (digits and
// capital letters without I, L, O and U, so nothing reads as another):
// 11 random ones, 55 bits, too many to guess, and a check symbol (Luhn mod
// 32) that catches any one mistyped symbol and most swapped neighbours, so
// a typo is told apart from a forgery. It is shown in groups of four
// (7K3Q-9XWD-M2HC); dashes, spaces and case do not matter when it is typed,
// and I, L and O are read as 1, 1 and 0.
const (
	alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen  = 12
)

// newCode returns a fresh random code.
func newCode() string {
	var b [codeLen - 1]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	out := make([]byte, codeLen)
	for i, c := range b {
		out[i] = alphabet[c&31]
	}
	out[codeLen-1] = alphabet[checkSymbol(string(out[:codeLen-1]))]
	return string(out)
}

// checkSymbol returns the Luhn mod 32 check of a code's symbols.
func checkSymbol(s string) int {
	factor, sum := 2, 0
	for i := len(s) - 1; i >= 0; i-- {
		v := strings.IndexByte(alphabet, s[i]) * factor
		sum += v/32 + v%32
		factor = 3 - factor
	}
	return (32 - sum%32) % 32
}

// Normalize turns a code as typed into its stored form, and reports
// whether it is well formed: the right length, the right symbols and a
// check that matches. A code that is not cannot belong to any certificate.
func Normalize(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch r {
		case '-', ' ':
			continue
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if r > 127 || strings.IndexByte(alphabet, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
	}
	s := b.String()
	if len(s) != codeLen || alphabet[checkSymbol(s[:codeLen-1])] != s[codeLen-1] {
		return "", false
	}
	return s, true
}

// Display shows a stored code in groups of four.
func Display(code string) string {
	if len(code) != codeLen {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}
