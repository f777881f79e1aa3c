package org

import (
	"regexp"
	"strings"
	"time"
)

// An NIP (Nomor Induk Pegawai) has 18 digits:
//
//	yyyymmdd  birth date
//	yyyymm    appointment (TMT CPNS): month 01–12
//	s         sex: 1 man, 2 woman
//	nnn       sequence
//
// It thereby reveals the birth date and the sex, which makes it personal data
// under UU 27/2022.

// NIPLen is the length of an NIP.
const NIPLen = 18

// sciNumber matches what a spreadsheet shows for a long number it has turned
// into a float: 1.98503E+17, 1,98503E+17, 1.98503e17.
var sciNumber = regexp.MustCompile(`^\d[.,]\d*[eE]\+?\d+$`)

// IsScientific reports whether s looks like a number a spreadsheet wrote in
// scientific notation, which loses an NIP's last digits beyond repair.
func IsScientific(s string) bool { return sciNumber.MatchString(strings.TrimSpace(s)) }

// ValidateNIP checks an NIP and returns the i18n key (under "err.") of the
// first rule it breaks, or "" when it is valid. now bounds the appointment
// month.
func ValidateNIP(nip string, now time.Time) string {
	if IsScientific(nip) {
		return "nip.scientific"
	}
	if len(nip) != NIPLen {
		return "nip.length"
	}
	for _, c := range []byte(nip) {
		if c < '0' || c > '9' {
			return "nip.digits"
		}
	}
	birth, ok := BirthDate(nip)
	if !ok {
		return "nip.birth_date"
	}
	appt, ok := appointment(nip)
	if !ok {
		return "nip.appointment"
	}
	if appt.After(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		return "nip.appointment_future"
	}
	adult := birth.AddDate(18, 0, 0)
	if appt.Before(time.Date(adult.Year(), adult.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		return "nip.appointment_underage"
	}
	if s := nip[14]; s != '1' && s != '2' {
		return "nip.sex"
	}
	return ""
}

// BirthDate returns the birth date an NIP carries (its first 8 digits), and
// false if those do not form a real date.
func BirthDate(nip string) (time.Time, bool) {
	if len(nip) < 8 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", nip[:8])
	if err != nil || t.Year() < 1900 {
		return time.Time{}, false
	}
	return t, true
}

// Sex returns "M" or "F" as an NIP's 15th digit says, or "" when it says
// neither.
func Sex(nip string) string {
	if len(nip) != NIPLen {
		return ""
	}
	switch nip[14] {
	case '1':
		return "M"
	case '2':
		return "F"
	}
	return ""
}

// appointment returns the first day of the appointment month (digits 9–14).
func appointment(nip string) (time.Time, bool) {
	t, err := time.Parse("200601", nip[8:14])
	if err != nil || t.Year() < 1900 {
		return time.Time{}, false
	}
	return t, true
}
