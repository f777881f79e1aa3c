package policy

import "testing"

// TestAdminActsOnlyOnOrdinaryPeople is review finding C1: an agency admin
// changes the record, the agency or the account of a person of their agency
// only when every role that person holds is an everyday role of an agency
// the admin administers. Kominfo's admin and the city-wide staff who work
// in Kominfo are the case that made it matter.
func TestAdminActsOnlyOnOrdinaryPeople(t *testing.T) {
	const kominfo int64 = 3
	kominfoAdmin := &Actor{AccountID: 1, EmployeeID: self, AgencyID: kominfo,
		Grants: []Grant{{Role: AgencyAdmin, AgencyID: kominfo}, {Role: Employee, AgencyID: kominfo}}}
	bothAdmin := actor(Grant{Role: AgencyAdmin, AgencyID: diskes}, Grant{Role: AgencyAdmin, AgencyID: disdik})
	grants := func(gs ...Grant) []Grant { return gs }
	people := []struct {
		name   string
		agency int64
		grants []Grant
		admin  *Actor
		want   bool
	}{
		{"superadmin working in Kominfo", kominfo, grants(Grant{Role: Superadmin}, Grant{Role: Employee, AgencyID: kominfo}), kominfoAdmin, false},
		{"executive working in Kominfo", kominfo, grants(Grant{Role: Executive}), kominfoAdmin, false},
		{"expert working in Kominfo", kominfo, grants(Grant{Role: Expert}), kominfoAdmin, false},
		{"agent working in Kominfo", kominfo, grants(Grant{Role: Agent}), kominfoAdmin, false},
		{"own agency head", diskes, grants(Grant{Role: AgencyHead, AgencyID: diskes}), admin, false},
		{"fellow agency admin", diskes, grants(Grant{Role: AgencyAdmin, AgencyID: diskes}), admin, false},
		{"the admin themselves", diskes, admin.Grants, admin, false},
		{"employee of the agency", diskes, grants(Grant{Role: Employee, AgencyID: diskes}), admin, true},
		{"operator of the agency's app", diskes, grants(Grant{Role: Employee, AgencyID: diskes},
			Grant{Role: Operator, AgencyID: diskes, AppID: 7}), admin, true},
		{"trainer of the agency", diskes, grants(Grant{Role: Trainer, AgencyID: diskes}), admin, true},
		{"person without an account", diskes, nil, admin, true},
		{"account without roles", diskes, grants(), admin, true},
		{"trainer placed here from another agency", diskes, grants(Grant{Role: Employee, AgencyID: diskes},
			Grant{Role: Trainer, AgencyID: disdik}), admin, false},
		{"employee also operating elsewhere", diskes, grants(Grant{Role: Operator, AgencyID: disdik, AppID: 7}), admin, false},
		{"head elsewhere working here", diskes, grants(Grant{Role: AgencyHead, AgencyID: disdik}), admin, false},
		{"roles in two agencies both administered", diskes, grants(Grant{Role: Employee, AgencyID: diskes},
			Grant{Role: Trainer, AgencyID: disdik}), bothAdmin, true},
		{"ordinary roles but another agency's person", disdik, grants(Grant{Role: Employee, AgencyID: diskes}), admin, false},
		{"an unknown role is not everyday", diskes, grants(Grant{Role: "king", AgencyID: diskes}), admin, false},
		{"an everyday role without an agency is not", diskes, grants(Grant{Role: Employee}), admin, false},
	}
	acts := []Action{EmployeeWrite, EmployeeTransfer, EmployeeImport, AccountManage, AppOperatorWrite}
	for _, p := range people {
		target := Target{AgencyID: p.agency, EmployeeID: other, Grants: p.grants}
		for _, act := range acts {
			if got := Can(p.admin, act, target); got != p.want {
				t.Errorf("%s: admin %s = %v, want %v", p.name, act, got, p.want)
			}
			if !Can(superadmin, act, target) || !Can(system, act, target) {
				t.Errorf("%s: the superadmin or the CLI may not %s", p.name, act)
			}
			for _, a := range []*Actor{nobody, operator, head, trainer, agent, expert, executive} {
				if Can(a, act, target) {
					t.Errorf("%s: %+v may %s", p.name, a.Grants, act)
				}
			}
		}
	}
}

// TestAgencyQuestionsIgnoreGrants: asked about an agency rather than a
// person (may I add people here, whose accounts may I list), the answer is
// the agency admin's as before.
func TestAgencyQuestionsIgnoreGrants(t *testing.T) {
	for _, act := range []Action{EmployeeWrite, EmployeeImport, AccountManage} {
		if !Can(admin, act, Target{AgencyID: diskes}) {
			t.Errorf("admin may not %s in their agency", act)
		}
	}
	if !Can(admin, EmployeeViewPrivate, Target{AgencyID: diskes, EmployeeID: other,
		Grants: []Grant{{Role: Superadmin}}}) {
		t.Error("the grants of a person hide their private fields from their agency admin")
	}
}
