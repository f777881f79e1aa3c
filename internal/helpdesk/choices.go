package helpdesk

import (
	"strings"

	"github.com/lontara-id/lontara/internal/i18n"
)

// choices is the argument of a "one_of" error about a ticket's coded field
// (status, priority, category, channel). The API prints it (%s) as the
// codes a client sends; a page shows the words of the page's language
// under the agent's keys "agent.<field>.<code>" (web.Worded).
type choices struct {
	field string
	codes []string
}

func (c choices) String() string { return strings.Join(c.codes, ", ") }

// Words names the codes in lang, a code without a word as itself.
func (c choices) Words(lang string) string {
	words := make([]string, len(c.codes))
	for i, code := range c.codes {
		words[i] = code
		if key := "agent." + c.field + "." + code; i18n.Has(lang, key) {
			words[i] = i18n.T(lang, key)
		}
	}
	return strings.Join(words, ", ")
}
