package kannel

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxParts bounds how many SMS one message becomes; what does not fit
// ends in "..." (the page it links to has the rest; "…" is not GSM-7 and
// would turn the part into UCS-2).
const MaxParts = 6

// gsm7 are the characters of the GSM 03.38 default alphabet that take one
// septet each; a text of only these goes as GSM-7 (160 to an SMS), any
// other as UCS-2 (70). The extension table's characters ([]{}|^~\€) take
// two and are treated as outside it, which only makes parts shorter.
const gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// GSM reports whether text fits the GSM-7 alphabet.
func GSM(text string) bool {
	for _, r := range text {
		if !strings.ContainsRune(gsm7, r) {
			return false
		}
	}
	return true
}

// Split cuts text into SMS: one when it fits (160 GSM-7 characters, 70
// UCS-2), else parts of at most 153 (67) characters including a "(1/3) "
// prefix, cut at a space where one is near, at most MaxParts of them.
// Separate parts rather than one concatenated SMS: every handset and
// operator shows them, and each has its own delivery report.
func Split(text string) []string {
	single, multi := 160, 153
	if !GSM(text) {
		single, multi = 70, 67
	}
	if utf8.RuneCountInString(text) <= single {
		return []string{text}
	}
	const prefix = len("(1/6) ")
	size := multi - prefix
	runes := []rune(text)
	var parts []string
	for len(runes) > 0 && len(parts) < MaxParts {
		n := min(size, len(runes))
		if n < len(runes) {
			if cut := lastSpace(runes[:n]); cut > n/2 {
				n = cut + 1
			}
		}
		parts = append(parts, strings.TrimSpace(string(runes[:n])))
		runes = runes[n:]
	}
	if len(runes) > 0 {
		last := []rune(parts[len(parts)-1])
		parts[len(parts)-1] = string(last[:max(len(last)-3, 0)]) + "..."
	}
	for i := range parts {
		parts[i] = fmt.Sprintf("(%d/%d) %s", i+1, len(parts), parts[i])
	}
	return parts
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}
