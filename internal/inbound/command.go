package inbound

import (
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
)

// What a text asks for.
const (
	verbTicket  = iota // free text: a new ticket
	verbHelp           // BANTUAN / HELP, or an empty text
	verbStatus         // STATUS T-000123
	verbRate           // NILAI / RATE T-000123 5
	verbReply          // T-000123 <text>
	verbUsage          // a command without what it needs: its usage is the answer
	verbUnknown        // one word that is no command: too little for a report
)

// command is a text read: what it asks, about which ticket, and the
// language to answer in.
type command struct {
	verb   int
	lang   string
	number string // T-000123, as written
	score  int
	text   string // a reply's text
	usage  string // the usage key of a malformed command
}

// parse reads a text. Commands are case-insensitive, in Indonesian and
// English; the keyword's language is the answer's (BANTUAN is answered in
// Indonesian, HELP in English), STATUS and replies are answered in lang,
// the sender's. BANTUAN or HELP followed by more words is a request for
// help, so a ticket ("bantuan printer rusak"); STATUS, NILAI and RATE
// without a valid ticket number and score are answered with their usage.
func parse(body, lang string) command {
	words := strings.Fields(body)
	c := command{lang: lang}
	if len(words) == 0 {
		c.verb = verbHelp
		return c
	}
	first := strings.ToUpper(strings.Trim(words[0], ".,:;!?"))
	switch first {
	case "BANTUAN", "HELP", "?":
		if len(words) == 1 {
			c.verb, c.lang = verbHelp, keywordLang(first, lang)
			return c
		}
	case "STATUS", "CEK":
		if len(words) == 2 && isNumber(words[1]) {
			c.verb, c.number = verbStatus, number(words[1])
		} else {
			c.verb, c.usage = verbUsage, "sms.usage.status"
		}
		return c
	case "NILAI", "RATE":
		c.lang = keywordLang(first, lang)
		c.verb, c.usage = verbUsage, "sms.usage.rate"
		if len(words) >= 3 && isNumber(words[1]) {
			// The score is the word after the number; what follows it is
			// a comment a text has no room for, and is left out.
			if score, err := strconv.Atoi(strings.TrimRight(words[2], ".,:;!?")); err == nil {
				c.verb, c.number, c.score = verbRate, number(words[1]), score
			}
		}
		return c
	}
	if isNumber(words[0]) {
		_, rest, _ := strings.Cut(strings.TrimSpace(body), words[0])
		c.number, c.text = number(words[0]), strings.TrimSpace(strings.TrimLeft(rest, ":.,"))
		c.verb = verbReply
		if c.text == "" {
			c.verb, c.usage = verbUsage, "sms.usage.reply"
		}
		return c
	}
	if len(words) == 1 {
		c.verb = verbUnknown
		return c
	}
	c.verb = verbTicket
	return c
}

// keywordLang is the language of a command's keyword; a keyword both
// languages share leaves the sender's.
func keywordLang(keyword, lang string) string {
	switch keyword {
	case "BANTUAN", "NILAI":
		return i18n.ID
	case "HELP", "RATE":
		return i18n.EN
	}
	return lang
}

// number is a ticket's number as written, without the punctuation
// around it, in capitals.
func number(s string) string { return strings.ToUpper(strings.TrimRight(s, ".,:;!?")) }

// isNumber reports whether s is a ticket's number (T-000123, t-123).
func isNumber(s string) bool {
	_, err := helpdesk.ParseNumber(number(s))
	return err == nil
}
