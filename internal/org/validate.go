package org

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/errs"
)

// Field length limits, in characters.
const (
	maxName  = 200
	maxTitle = 100
	maxRank  = 20
	maxEmail = 254
	maxCode  = 32
)

// EmployeeInput is a new person as a form, the API or an import gives it.
// Unit and position are given by name and created when unknown.
type EmployeeInput struct {
	AgencyID       int64  `json:"agency_id"`
	UnitName       string `json:"unit_name"`
	PositionName   string `json:"position_name"`
	NIP            string `json:"nip"`
	Name           string `json:"name"`
	FrontTitle     string `json:"front_title"`
	BackTitle      string `json:"back_title"`
	Email          string `json:"email"`
	Phone          string `json:"phone"`
	Rank           string `json:"rank"`
	EmploymentType string `json:"employment_type"`
	SupervisorID   *int64 `json:"supervisor_id"`
}

// employee turns the input into a person: trimmed, email lower-cased, empty
// optional fields as nil.
func (in EmployeeInput) employee() Employee {
	return Employee{
		AgencyID:       in.AgencyID,
		UnitName:       clean(in.UnitName),
		PositionName:   clean(in.PositionName),
		NIP:            optional(strings.TrimSpace(in.NIP)),
		Name:           clean(in.Name),
		FrontTitle:     clean(in.FrontTitle),
		BackTitle:      clean(in.BackTitle),
		Email:          optional(normEmail(in.Email)),
		Phone:          optional(strings.TrimSpace(in.Phone)),
		Rank:           clean(in.Rank),
		EmploymentType: strings.ToLower(strings.TrimSpace(in.EmploymentType)),
		SupervisorID:   in.SupervisorID,
		Active:         true,
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// checkEmployee validates a person's own fields (not what needs the
// database) and normalizes the phone number in place.
func checkEmployee(v *errs.Validation, e *Employee, now time.Time) {
	checkText(v, "name", e.Name, maxName, true)
	checkText(v, "front_title", e.FrontTitle, maxTitle, false)
	checkText(v, "back_title", e.BackTitle, maxTitle, false)
	checkText(v, "rank", e.Rank, maxRank, false)
	checkText(v, "unit_name", e.UnitName, maxName, false)
	checkText(v, "position_name", e.PositionName, maxName, false)
	if e.AgencyID <= 0 {
		v.Add("agency_id", "required")
	}
	switch {
	case e.EmploymentType == "":
		v.Add("employment_type", "required")
	case !slices.Contains(EmploymentTypes, e.EmploymentType):
		v.Add("employment_type", "one_of", strings.Join(EmploymentTypes, ", "))
	case HasNIP(e.EmploymentType) && e.NIP == nil:
		v.Add("nip", "nip.required")
	case !HasNIP(e.EmploymentType) && e.NIP != nil:
		v.Add("nip", "nip.not_allowed")
	}
	if e.NIP != nil && !v.Has("nip") {
		if key := ValidateNIP(*e.NIP, now); key != "" {
			v.Add("nip", key)
		}
	}
	if e.Email != nil && !ValidEmail(*e.Email) {
		v.Add("email", "email.format")
	}
	if e.Phone != nil {
		if p, ok := NormalizePhone(*e.Phone); ok {
			e.Phone = &p
		} else {
			v.Add("phone", "phone.format")
		}
	}
	if e.SupervisorID != nil && e.ID != 0 && *e.SupervisorID == e.ID {
		v.Add("supervisor_id", "supervisor.self")
	}
}

func checkText(v *errs.Validation, field, s string, limit int, required bool) {
	switch {
	case required && s == "":
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > limit:
		v.Add(field, "too_long", limit)
	case !PlainText(s):
		v.Add(field, "text.plain")
	}
}

// PlainText reports whether s is fit for a single-line field: no C0 or C1
// control characters (a bell, an escape, a line break) and none of the
// bidirectional embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069), which make a name read differently from what it is
// ("\u202eatad" shows as "data") in lists, exports and audit logs
// (review 2, finding 9). Letters of every script, apostrophes and the
// implicit direction marks stay allowed.
func PlainText(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return false
		}
	}
	return true
}

// ValidEmail reports whether s has the shape of an email address: one @,
// a local part, a domain with a dot, no spaces and no control characters
// (a NUL from an import file passed, and PostgreSQL refused it: found by
// FuzzImportFile). Whether it is deliverable is for the mail server to say.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && len(s) <= maxEmail && local != "" && !strings.ContainsAny(s, " \t\r\n,;<>\"") && PlainText(s) &&
		!strings.Contains(domain, "@") && strings.Contains(domain, ".") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// normEmail is the form emails are stored and looked up in.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
