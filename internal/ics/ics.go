// Package ics writes iCalendar files (RFC 5545) so people can put a meeting
// or a training session in whatever calendar their phone or mail client
// keeps: one VEVENT per event, times in UTC, text escaped and long lines
// folded as the standard requires (calendar apps reject files that are not).
package ics

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one calendar entry.
type Event struct {
	UID         string // stable across updates, e.g. "meeting-12@lontara"
	Sequence    int    // raised on every change so calendars replace the old copy
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Cancelled   bool
	Stamp       time.Time // when this copy was made
}

// ProdID names the product that made a calendar file.
const ProdID = "-//Lontara//Lontara//ID"

// Calendar returns a VCALENDAR holding events, with CRLF line ends.
func Calendar(events ...Event) []byte {
	var b bytes.Buffer
	line(&b, "BEGIN:VCALENDAR")
	line(&b, "VERSION:2.0")
	line(&b, "PRODID:"+ProdID)
	line(&b, "CALSCALE:GREGORIAN")
	line(&b, "METHOD:PUBLISH")
	for _, e := range events {
		line(&b, "BEGIN:VEVENT")
		line(&b, "UID:"+text(e.UID))
		line(&b, "DTSTAMP:"+stamp(e.Stamp))
		line(&b, "DTSTART:"+stamp(e.Start))
		line(&b, "DTEND:"+stamp(e.End))
		line(&b, "SEQUENCE:"+strconv.Itoa(max(e.Sequence, 0)))
		line(&b, "SUMMARY:"+text(e.Summary))
		if e.Description != "" {
			line(&b, "DESCRIPTION:"+text(e.Description))
		}
		if e.Location != "" {
			line(&b, "LOCATION:"+text(e.Location))
		}
		if e.URL != "" {
			// A URI value is not TEXT: it is not escaped, only folded.
			line(&b, "URL:"+e.URL)
		}
		if e.Cancelled {
			line(&b, "STATUS:CANCELLED")
		} else {
			line(&b, "STATUS:CONFIRMED")
		}
		line(&b, "END:VEVENT")
	}
	line(&b, "END:VCALENDAR")
	return b.Bytes()
}

func stamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// text escapes a TEXT value: backslash, semicolon, comma and newlines
// (RFC 5545 §3.3.11); other control characters are dropped.
func text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\', r == ';', r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// \r of a CRLF, tabs and the rest: a calendar line holds none.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// line writes one content line folded at 75 octets (§3.1): a CRLF and a
// space before each continuation (the space counts toward its line's 75),
// never inside a UTF-8 sequence.
func line(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
