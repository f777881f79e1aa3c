package policy

import (
	"testing"

	"github.com/lontara-id/lontara/internal/errs"
)

// Agencies and people the table refers to.
const (
	diskes int64 = 1 // Dinas Kesehatan
	disdik int64 = 2 // Dinas Pendidikan
	self   int64 = 100
	other  int64 = 200
)

func actor(grants ...Grant) *Actor {
	return &Actor{AccountID: 1, EmployeeID: self, AgencyID: diskes, Grants: grants}
}

var (
	nobody      = actor(Grant{Role: Employee, AgencyID: diskes})
	operator    = actor(Grant{Role: Operator, AgencyID: diskes, AppID: 7})
	admin       = actor(Grant{Role: AgencyAdmin, AgencyID: diskes})
	head        = actor(Grant{Role: AgencyHead, AgencyID: diskes})
	trainer     = actor(Grant{Role: Trainer, AgencyID: diskes})
	agent       = actor(Grant{Role: Agent})
	expert      = actor(Grant{Role: Expert})
	executive   = actor(Grant{Role: Executive})
	superadmin  = actor(Grant{Role: Superadmin})
	system      = SystemActor("cli")
	twoAgencies = actor(Grant{Role: AgencyAdmin, AgencyID: diskes}, Grant{Role: Employee, AgencyID: disdik})
)

func TestCan(t *testing.T) {
	at := func(agency int64) Target { return Target{AgencyID: agency} }
	person := func(agency, emp int64) Target { return Target{AgencyID: agency, EmployeeID: emp} }
	role := func(agency int64, r Role) Target { return Target{AgencyID: agency, Role: r} }
	for _, c := range []struct {
		name string
		a    *Actor
		act  Action
		t    Target
		want bool
	}{
		{"no actor", nil, EmployeeWrite, at(diskes), false},
		{"system does anything", system, AgencyWrite, at(0), true},
		{"superadmin does anything", superadmin, AgencyWrite, at(diskes), true},
		{"superadmin grants city-wide roles", superadmin, RoleGrant, role(0, Executive), true},

		{"admin writes own agency's people", admin, EmployeeWrite, at(diskes), true},
		{"admin cannot write another agency's people", admin, EmployeeWrite, at(disdik), false},
		{"employee cannot write people", nobody, EmployeeWrite, at(diskes), false},
		{"head cannot write people", head, EmployeeWrite, at(diskes), false},
		{"expert cannot write people", expert, EmployeeWrite, at(diskes), false},
		{"admin imports into own agency", admin, EmployeeImport, at(diskes), true},
		{"admin cannot import elsewhere", admin, EmployeeImport, at(disdik), false},
		{"admin transfers out of own agency", admin, EmployeeTransfer, at(diskes), true},
		{"admin cannot transfer out of another", admin, EmployeeTransfer, at(disdik), false},
		{"no agency is no one's", admin, EmployeeWrite, at(0), false},
		{"admin role elsewhere does not count", twoAgencies, EmployeeWrite, at(disdik), false},
		{"admin role where held counts", twoAgencies, EmployeeWrite, at(diskes), true},

		{"anyone sees their own private data", nobody, EmployeeViewPrivate, person(diskes, self), true},
		{"employee cannot see a colleague's", nobody, EmployeeViewPrivate, person(diskes, other), false},
		{"operator cannot see a colleague's", operator, EmployeeViewPrivate, person(diskes, other), false},
		{"trainer cannot see a colleague's", trainer, EmployeeViewPrivate, person(diskes, other), false},
		{"admin sees own agency's", admin, EmployeeViewPrivate, person(diskes, other), true},
		{"admin cannot see another agency's", admin, EmployeeViewPrivate, person(disdik, other), false},
		{"head sees own agency's", head, EmployeeViewPrivate, person(diskes, other), true},
		{"head cannot see another agency's", head, EmployeeViewPrivate, person(disdik, other), false},
		{"agent sees anyone's", agent, EmployeeViewPrivate, person(disdik, other), true},
		{"expert sees anyone's", expert, EmployeeViewPrivate, person(disdik, other), true},
		{"executive sees anyone's", executive, EmployeeViewPrivate, person(disdik, other), true},
		{"no employee id is not oneself", nobody, EmployeeViewPrivate, Target{AgencyID: diskes}, false},

		{"admin writes own agency's app", admin, AppWrite, at(diskes), true},
		{"admin cannot write another's app", admin, AppWrite, at(disdik), false},
		{"expert writes any app", expert, AppWrite, at(disdik), true},
		{"operator cannot write the app", operator, AppWrite, at(diskes), false},
		{"admin names own agency's operators", admin, AppOperatorWrite, at(diskes), true},
		{"admin cannot name another's operators", admin, AppOperatorWrite, at(disdik), false},
		{"expert cannot name operators", expert, AppOperatorWrite, at(diskes), false},

		{"admin grants employee", admin, RoleGrant, role(diskes, Employee), true},
		{"admin grants operator", admin, RoleGrant, role(diskes, Operator), true},
		{"admin grants trainer", admin, RoleGrant, role(diskes, Trainer), true},
		{"admin cannot grant admin", admin, RoleGrant, role(diskes, AgencyAdmin), false},
		{"admin cannot grant head", admin, RoleGrant, role(diskes, AgencyHead), false},
		{"admin cannot grant city-wide", admin, RoleGrant, role(0, Expert), false},
		{"admin cannot grant elsewhere", admin, RoleGrant, role(disdik, Employee), false},
		{"head cannot grant", head, RoleGrant, role(diskes, Employee), false},

		{"admin manages own agency's accounts", admin, AccountManage, at(diskes), true},
		{"admin cannot manage another's", admin, AccountManage, at(disdik), false},
		{"head cannot manage accounts", head, AccountManage, at(diskes), false},
		{"agent cannot manage accounts", agent, AccountManage, at(diskes), false},

		{"executive reads the whole audit log", executive, AuditRead, at(0), true},
		{"admin cannot read the whole log", admin, AuditRead, at(0), false},
		{"admin reads own agency's log", admin, AuditRead, at(diskes), true},
		{"admin cannot read another's log", admin, AuditRead, at(disdik), false},
		{"head reads own agency's log", head, AuditRead, at(diskes), true},
		{"employee cannot read the log", nobody, AuditRead, at(diskes), false},
		{"superadmin reads what private things said in the log", superadmin, AuditContentRead, at(0), true},
		{"executive does not", executive, AuditContentRead, at(0), false},
		{"nor does an admin in their agency's log", admin, AuditContentRead, at(diskes), false},

		{"a person manages their own tokens", admin, TokenManage, Target{AccountID: admin.AccountID}, true},
		{"admin cannot manage another's tokens", admin, TokenManage, Target{AgencyID: diskes, AccountID: admin.AccountID + 100}, false},
		{"no one manages the tokens of account 0", &Actor{}, TokenManage, Target{}, false},

		{"a follower sees the ticket", nobody, TicketView, Target{AgencyID: disdik, EmployeeID: other, Follower: true}, true},
		{"a follower replies to the ticket", nobody, TicketReply, Target{AgencyID: disdik, EmployeeID: other, Follower: true}, true},
		{"a follower does not work it", nobody, TicketWork, Target{Follower: true}, false},
		{"a team's agent manages its canned replies", agent, CannedManage, Target{TeamMember: true}, true},
		{"another team's agent does not", agent, CannedManage, Target{}, false},
		{"a member without the agent role does not", nobody, CannedManage, Target{TeamMember: true}, false},
		{"superadmin manages any team's", superadmin, CannedManage, Target{}, true},

		{"only the superadmin writes agencies", admin, AgencyWrite, at(diskes), false},
		{"expert cannot write agencies", expert, AgencyWrite, at(0), false},
		{"unknown actions are refused", admin, Action("nuke"), at(diskes), false},
	} {
		if got := Can(c.a, c.act, c.t); got != c.want {
			t.Errorf("%s: Can(%s, %+v) = %v, want %v", c.name, c.act, c.t, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := Check(nil, EmployeeWrite, Target{AgencyID: diskes}); errs.CodeOf(err) != errs.Unauthorized {
		t.Errorf("no actor: %v, want unauthorized", err)
	}
	if err := Check(nobody, EmployeeWrite, Target{AgencyID: diskes}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("not allowed: %v, want forbidden", err)
	}
	if err := Check(admin, EmployeeWrite, Target{AgencyID: diskes}); err != nil {
		t.Errorf("allowed: %v", err)
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles {
		want := r == Agent || r == Expert || r == Executive || r == Superadmin
		if r.CityWide() != want || !r.Valid() {
			t.Errorf("%s: CityWide %v, Valid %v", r, r.CityWide(), r.Valid())
		}
	}
	if Role("king").Valid() {
		t.Error("an unknown role is valid")
	}
	a := actor(Grant{Role: Operator, AgencyID: diskes}, Grant{Role: Operator, AgencyID: diskes, AppID: 3},
		Grant{Role: Operator, AgencyID: disdik})
	if got := a.AgenciesWith(Operator); len(got) != 2 {
		t.Errorf("AgenciesWith lists %v, want each agency once", got)
	}
	if system.Who() != "system:cli" || (&Actor{Email: "a@x.id"}).Who() != "a@x.id" {
		t.Error("Who names actors wrongly")
	}
}
