package certificate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"unicode"
)

func hashOf(identity, salt string) string {
	sum := sha256.Sum256([]byte(identity + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// badgeSVG draws a badge: a teal medallion with a gold ring, the initials
// of the event's first words and its JP.
func badgeSVG(title string, jp int) []byte {
	var initials []rune
	for _, w := range strings.Fields(title) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			initials = append(initials, unicode.ToUpper(r))
		}
		if len(initials) == 3 {
			break
		}
	}
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" aria-label="%s">
<circle cx="128" cy="128" r="124" fill="#b08d3e"/><circle cx="128" cy="128" r="110" fill="#143c46"/>
<text x="128" y="140" font-family="Helvetica, Arial, sans-serif" font-size="64" font-weight="bold" fill="#ffffff" text-anchor="middle">%s</text>
<text x="128" y="190" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#e8d9b0" text-anchor="middle">%d JP</text>
</svg>
`, html.EscapeString(title), html.EscapeString(string(initials)), jp)
}
