package org

import "strings"

// NormalizePhone returns an Indonesian phone number in the form +62…, from
// the ways people write it: 0812-3456-789, +62 812 3456 789, 62812.3456.789,
// (0411) 123456. Mobile numbers (+62 8…) have 9 to 12 digits after the 62;
// landlines (an area code 2–7 or 9, then the number) have 8 to 11. It
// reports false for anything else.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	digits := b.String()
	switch {
	case strings.HasPrefix(digits, "62"):
		digits = digits[2:]
	case strings.HasPrefix(digits, "0") && !strings.HasPrefix(strings.TrimSpace(s), "+"):
		digits = digits[1:]
	default:
		return "", false
	}
	n := len(digits)
	switch {
	case n == 0:
		return "", false
	case digits[0] == '8':
		if n < 9 || n > 12 {
			return "", false
		}
	case digits[0] >= '2' && digits[0] <= '7' || digits[0] == '9':
		if n < 8 || n > 11 {
			return "", false
		}
	default:
		return "", false
	}
	return "+62" + digits, true
}
