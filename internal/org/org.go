// Package org holds the people of the city: agencies (OPD), their units, the
// positions people hold, and the employees themselves, with their transfers
// (mutasi) and the end of their service. It also imports employees from a
// SIMPEG export. Authorization is asked of package policy; private fields of a
// person (NIP, phone, email) leave this package already masked for readers the
// policy does not allow to see them (UU 27/2022: the NIP reveals birth date and
// sex).
package org

import (
	"slices"
	"strings"
	"time"
)

// Agency types. A UPT (technical implementation unit) sits under a dinas or
// badan; a kelurahan under its kecamatan.
const (
	TypeDinas       = "dinas"
	TypeBadan       = "badan"
	TypeSekretariat = "sekretariat"
	TypeBagian      = "bagian"
	TypeKecamatan   = "kecamatan"
	TypeKelurahan   = "kelurahan"
	TypeUPT         = "upt"
	TypeOther       = "other"
)

// AgencyTypes lists the agency types in the order forms offer them.
var AgencyTypes = []string{TypeDinas, TypeBadan, TypeSekretariat, TypeBagian, TypeKecamatan, TypeKelurahan, TypeUPT, TypeOther}

// parentTypes says which types an agency of a given type must sit under;
// types not listed may stand alone or under any agency.
var parentTypes = map[string][]string{
	TypeUPT:       {TypeDinas, TypeBadan},
	TypeKelurahan: {TypeKecamatan},
}

// Agency is a government agency of the city (organisasi perangkat daerah).
type Agency struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	ParentID  *int64    `json:"parent_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Unit is a part of an agency (bidang, seksi, subbagian); names are unique
// within their agency.
type Unit struct {
	ID        int64     `json:"id"`
	AgencyID  int64     `json:"agency_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Position is a job title (jabatan), shared by the whole city.
type Position struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Employment types.
const (
	EmploymentPNS        = "pns"        // civil servant
	EmploymentPPPK       = "pppk"       // government employee on contract (with an NIP)
	EmploymentContract   = "contract"   // honorer / kontrak
	EmploymentOutsourced = "outsourced" // outsourcing
)

// EmploymentTypes lists the employment types.
var EmploymentTypes = []string{EmploymentPNS, EmploymentPPPK, EmploymentContract, EmploymentOutsourced}

// HasNIP reports whether people of employment type t carry an NIP (and must).
func HasNIP(t string) bool { return t == EmploymentPNS || t == EmploymentPPPK }

// End reasons: why a person's service ended.
const (
	EndRetired       = "retired"
	EndContractEnded = "contract_ended"
	EndDeceased      = "deceased"
	EndResigned      = "resigned"
	EndDismissed     = "dismissed"
)

// EndReasons lists the reasons a person's service ends.
var EndReasons = []string{EndRetired, EndContractEnded, EndDeceased, EndResigned, EndDismissed}

// Employee is a person working for the city. NIP, Email and Phone are
// private: nil when the reader may not see them (see Redacted) — or when the
// person has none. AgencyName, UnitName and PositionName are read from the
// joined tables for display.
type Employee struct {
	ID             int64      `json:"id"`
	NIP            *string    `json:"nip"`
	Name           string     `json:"name"`
	FrontTitle     string     `json:"front_title"`
	BackTitle      string     `json:"back_title"`
	Email          *string    `json:"email"`
	Phone          *string    `json:"phone"`
	AgencyID       int64      `json:"agency_id"`
	AgencyName     string     `json:"agency_name"`
	UnitID         *int64     `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	PositionID     *int64     `json:"position_id"`
	PositionName   string     `json:"position_name"`
	Rank           string     `json:"rank"`
	EmploymentType string     `json:"employment_type"`
	SupervisorID   *int64     `json:"supervisor_id"`
	Active         bool       `json:"active"`
	EndReason      *string    `json:"end_reason"`
	EndedOn        *time.Time `json:"ended_on"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	// Masked is true when the private fields were removed for this reader,
	// so a page can say "hidden" rather than "none".
	Masked bool `json:"-"`
}

// DisplayName is the name with academic titles as Indonesians write it:
// "Dr. Andi Baso, S.Kom., M.T.".
func (e Employee) DisplayName() string {
	name := e.Name
	if e.FrontTitle != "" {
		name = e.FrontTitle + " " + name
	}
	if e.BackTitle != "" {
		name += ", " + e.BackTitle
	}
	return name
}

// Redacted returns the employee without the private fields (NIP, phone,
// email), for readers who may see only the staff directory.
func (e Employee) Redacted() Employee {
	e.NIP, e.Email, e.Phone = nil, nil, nil
	e.Masked = true
	return e
}

// Transfer is one move (mutasi) of a person from one agency to another.
type Transfer struct {
	ID               int64     `json:"id"`
	EmployeeID       int64     `json:"employee_id"`
	FromAgencyID     int64     `json:"from_agency_id"`
	FromAgencyName   string    `json:"from_agency_name"`
	ToAgencyID       int64     `json:"to_agency_id"`
	ToAgencyName     string    `json:"to_agency_name"`
	FromUnitName     string    `json:"from_unit_name"`
	ToUnitName       string    `json:"to_unit_name"`
	FromPositionName string    `json:"from_position_name"`
	ToPositionName   string    `json:"to_position_name"`
	EffectiveOn      time.Time `json:"effective_on"`
	Decree           string    `json:"decree"`
	CreatedAt        time.Time `json:"created_at"`
}

// clean trims s and collapses runs of white space inside it, so names typed
// or pasted with stray spaces compare equal.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func validType(t string) bool { return slices.Contains(AgencyTypes, t) }
