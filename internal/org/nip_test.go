package org

import (
	"testing"
	"time"
)

func TestValidateNIP(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		nip, want string
	}{
		{"198503152010011002", ""},
		{"199912312026112001", ""},               // appointed this month
		{"198503152003031002", ""},               // appointed the month they turned 18
		{"19850315201001100", "nip.length"},      // 17 digits
		{"1985031520100110021", "nip.length"},    // 19 digits
		{"19850315201001100A", "nip.digits"},     // a letter
		{"１98503152010011002", "nip.length"},     // a full-width digit is more bytes
		{"198502302010011002", "nip.birth_date"}, // 30 February
		{"198513152010011002", "nip.birth_date"}, // month 13
		{"198503152010001002", "nip.appointment"},
		{"198503152010131002", "nip.appointment"},
		{"198503152026121002", "nip.appointment_future"},
		{"198503152003021002", "nip.appointment_underage"},
		{"198503152010013002", "nip.sex"},
		{"198503152010010002", "nip.sex"},
		{"1.98503E+17", "nip.scientific"},
		{"1,98503E+17", "nip.scientific"},
		{"", "nip.length"},
	} {
		if got := ValidateNIP(tc.nip, now); got != tc.want {
			t.Errorf("ValidateNIP(%q) = %q, want %q", tc.nip, got, tc.want)
		}
	}
}

func TestNIPBirthDateAndSex(t *testing.T) {
	b, ok := BirthDate("198503152010012002")
	if !ok || !b.Equal(time.Date(1985, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("BirthDate = %v, %v", b, ok)
	}
	if got := Sex("198503152010012002"); got != "F" {
		t.Errorf("Sex = %q, want F", got)
	}
	if got := Sex("198503152010011002"); got != "M" {
		t.Errorf("Sex = %q, want M", got)
	}
	if got := Sex("123"); got != "" {
		t.Errorf("Sex of a short NIP = %q", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"081234567890", "+6281234567890", true},
		{"0812-3456-789", "+628123456789", true},
		{"+62 812 3456 7890", "+6281234567890", true},
		{"62812.3456.7890", "+6281234567890", true},
		{"(0411) 123456", "+62411123456", true},
		{"021-1234-5678", "+622112345678", true},
		{"+62 (411) 452-123", "+62411452123", true},
		{"0812345", "", false},          // too short for a mobile
		{"0812345678901234", "", false}, // too long
		{"+0812345678", "", false},      // + must be followed by 62
		{"0112345678", "", false},       // no area code starts with 1
		{"12345", "", false},
		{"0812 3456 789 ext", "", false},
		{"", "", false},
		{"+1 202 555 0100", "", false},
	} {
		got, ok := NormalizePhone(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for _, tc := range []struct {
		e    Employee
		want string
	}{
		{Employee{Name: "Andi Baso", FrontTitle: "Dr.", BackTitle: "S.Kom., M.T."}, "Dr. Andi Baso, S.Kom., M.T."},
		{Employee{Name: "Nur'aini", BackTitle: "S.E."}, "Nur'aini, S.E."},
		{Employee{Name: "Ir. Baso", FrontTitle: ""}, "Ir. Baso"},
	} {
		if got := tc.e.DisplayName(); got != tc.want {
			t.Errorf("DisplayName = %q, want %q", got, tc.want)
		}
	}
}
