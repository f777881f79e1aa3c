// Package policy decides who may do what. Services ask Check(actor, action,
// target) before they act; the answer is computed here, from the actor's
// roles and the agency the target belongs to, and nowhere else. The rules
// are tested as a table in policy_test.go.
package policy

import "slices"

// Role is a role an account holds.
type Role string

// Agency-scoped roles hold within one agency (an operator may also be tied
// to one application there); city-wide roles hold everywhere.
const (
	Employee    Role = "employee"
	Operator    Role = "operator"
	AgencyAdmin Role = "agency_admin"
	AgencyHead  Role = "agency_head"
	Trainer     Role = "trainer"
	Agent       Role = "agent"
	Expert      Role = "expert"
	Executive   Role = "executive"
	Superadmin  Role = "superadmin"
)

// Roles lists every role, agency-scoped first.
var Roles = []Role{Employee, Operator, AgencyAdmin, AgencyHead, Trainer, Agent, Expert, Executive, Superadmin}

// CityWide reports whether r holds city-wide rather than in one agency.
func (r Role) CityWide() bool {
	return r == Agent || r == Expert || r == Executive || r == Superadmin
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Grant is one role held by an account: in an agency (AgencyID), for an
// application there (AppID, operators only), or city-wide (both zero).
type Grant struct {
	Role     Role  `json:"role"`
	AgencyID int64 `json:"agency_id,omitempty"`
	AppID    int64 `json:"app_id,omitempty"`
}

// Actor is whoever is acting: a signed-in person, a script with a token, or
// the command line run by the system administrator (System).
type Actor struct {
	AccountID  int64
	EmployeeID int64
	AgencyID   int64 // the agency the person works in
	Name       string
	Email      string
	Locale     string
	Grants     []Grant
	System     bool   // the CLI, run by whoever holds the server and its database
	Label      string // how the audit log names a system actor
}

// SystemActor is the actor for command-line administration: whoever can run
// the binary against the database can already do anything to it.
func SystemActor(label string) *Actor { return &Actor{System: true, Label: label} }

// Has reports whether the actor holds role anywhere.
func (a *Actor) Has(role Role) bool {
	for _, g := range a.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// HasIn reports whether the actor holds role in agency (an agency-scoped
// role granted there, or the city-wide role itself).
func (a *Actor) HasIn(role Role, agencyID int64) bool {
	for _, g := range a.Grants {
		if g.Role == role && (role.CityWide() || g.AgencyID == agencyID) {
			return true
		}
	}
	return false
}

// CityWide reports whether the actor holds any city-wide role.
func (a *Actor) CityWide() bool {
	for _, g := range a.Grants {
		if g.Role.CityWide() {
			return true
		}
	}
	return false
}

// IsSuper reports whether the actor may do anything: the superadmin or the CLI.
func (a *Actor) IsSuper() bool { return a.System || a.Has(Superadmin) }

// AgenciesWith returns the agencies where the actor holds one of roles,
// each once.
func (a *Actor) AgenciesWith(roles ...Role) []int64 {
	var ids []int64
	for _, g := range a.Grants {
		if slices.Contains(roles, g.Role) && g.AgencyID != 0 && !slices.Contains(ids, g.AgencyID) {
			ids = append(ids, g.AgencyID)
		}
	}
	return ids
}

// Who names the actor for the audit log.
func (a *Actor) Who() string {
	switch {
	case a.System:
		return "system:" + a.Label
	case a.Email != "":
		return a.Email
	default:
		return a.Name
	}
}
