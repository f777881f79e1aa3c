package policy

import "github.com/lontara-id/lontara/internal/errs"

// Action is something an actor may be allowed to do.
type Action string

// The actions. Each names a capability and a verb; later capabilities add theirs.
const (
	AgencyWrite         Action = "agency.write"          // create or edit an agency
	EmployeeWrite       Action = "employee.write"        // create, edit, deactivate a person of Target.AgencyID
	EmployeeImport      Action = "employee.import"       // import people into Target.AgencyID
	EmployeeTransfer    Action = "employee.transfer"     // move a person out of Target.AgencyID
	EmployeeViewPrivate Action = "employee.view_private" // see NIP, phone, email of Target
	AppWrite            Action = "app.write"             // create or edit an app owned by Target.AgencyID
	AppOperatorWrite    Action = "app.operator.write"    // name an app's operators in Target.AgencyID
	RoleGrant           Action = "role.grant"            // grant or revoke Target.Role in Target.AgencyID
	AccountManage       Action = "account.manage"        // reset a password, end sessions of a person in Target.AgencyID
	AuditRead           Action = "audit.read"            // read the audit log of Target.AgencyID (0: all)
)

// Target is what an action is done to: the agency it belongs to and, where
// it matters, the person or the role.
type Target struct {
	AgencyID   int64
	EmployeeID int64
	Role       Role
}

// Can reports whether a may do act to t.
func Can(a *Actor, act Action, t Target) bool {
	if a == nil {
		return false
	}
	if a.IsSuper() {
		return true
	}
	admin := t.AgencyID != 0 && a.HasIn(AgencyAdmin, t.AgencyID)
	switch act {
	case EmployeeWrite, EmployeeImport, EmployeeTransfer, AppOperatorWrite, AccountManage:
		return admin
	case AppWrite:
		return admin || a.Has(Expert)
	case EmployeeViewPrivate:
		return (t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID) || a.CityWide() ||
			admin || (t.AgencyID != 0 && a.HasIn(AgencyHead, t.AgencyID))
	case RoleGrant:
		// An agency admin hands out the everyday roles of their own agency;
		// admins, heads and city-wide roles are granted by the superadmin.
		return admin && (t.Role == Employee || t.Role == Operator || t.Role == Trainer)
	case AuditRead:
		if t.AgencyID == 0 {
			return a.Has(Executive)
		}
		return a.Has(Executive) || admin || a.HasIn(AgencyHead, t.AgencyID)
	}
	return false // AgencyWrite and anything unknown: superadmin only
}

// Check returns a Forbidden error unless a may do act to t.
func Check(a *Actor, act Action, t Target) error {
	if a == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	if !Can(a, act, t) {
		return errs.New(errs.Forbidden, "forbidden")
	}
	return nil
}
