package ics

import (
	"strings"
	"testing"
	"time"
)

func TestCalendarEscapesFoldsAndEndsLinesWithCRLF(t *testing.T) {
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.FixedZone("WITA", 8*3600))
	long := "Agenda: " + strings.Repeat("pembahasan SIPD; anggaran, ", 8) + "selesai — Dottoro'ta"
	cal := string(Calendar(Event{UID: "meeting-7@lontara", Sequence: 2, Start: start, End: start.Add(time.Hour),
		Summary: "Rapat SIPD, Bapenda; tahap 2", Description: long + "\nBaris dua\\", URL: "https://meet.example/abc?x=1,2",
		Stamp: start}))

	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "DTSTART:20261203T010000Z\r\n", "DTEND:20261203T020000Z\r\n",
		"SEQUENCE:2\r\n", `SUMMARY:Rapat SIPD\, Bapenda\; tahap 2` + "\r\n", "URL:https://meet.example/abc?x=1,2\r\n",
		"STATUS:CONFIRMED\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q:\n%s", want, cal)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(cal, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("bare line break in %q", l)
		}
	}
	// Unfolding (remove CRLF + space) gives back the escaped description whole.
	unfolded := strings.ReplaceAll(cal, "\r\n ", "")
	want := "DESCRIPTION:" + strings.NewReplacer(";", `\;`, ",", `\,`).Replace(long) + `\nBaris dua\\` + "\r\n"
	if !strings.Contains(unfolded, want) {
		t.Errorf("unfolded description lost text:\n%s", unfolded)
	}
	if !strings.Contains(unfolded, "Dottoro'ta") {
		t.Error("a fold split a UTF-8 sequence or lost the name")
	}
}

func TestACancelledEventSaysSo(t *testing.T) {
	now := time.Now()
	cal := string(Calendar(Event{UID: "x", Start: now, End: now, Summary: "Batal", Cancelled: true, Stamp: now}))
	if !strings.Contains(cal, "STATUS:CANCELLED\r\n") {
		t.Errorf("no cancelled status:\n%s", cal)
	}
}
