package policy

import (
	"slices"
	"testing"
)

// TestHelpdeskRolesAreTicketWork holds HelpdeskRoles to the rule of
// TicketWork: every role in the list may work tickets, no other role may.
func TestHelpdeskRolesAreTicketWork(t *testing.T) {
	for _, r := range Roles {
		g := Grant{Role: r}
		if !r.CityWide() {
			g.AgencyID = diskes
		}
		a := actor(g)
		if got, want := Can(a, TicketWork, Target{AgencyID: diskes}), slices.Contains(HelpdeskRoles, r); got != want {
			t.Errorf("role %s: Can TicketWork = %v, in HelpdeskRoles = %v", r, got, want)
		}
	}
	for _, r := range HelpdeskRoles {
		if !r.Valid() {
			t.Errorf("HelpdeskRoles holds unknown role %q", r)
		}
	}
}

func TestCanTicketAgencyList(t *testing.T) {
	at := func(agency int64) Target { return Target{AgencyID: agency} }
	for _, c := range []struct {
		name string
		a    *Actor
		t    Target
		want bool
	}{
		{"no actor", nil, at(diskes), false},
		{"the admin lists the own agency's tickets", admin, at(diskes), true},
		{"the head lists the own agency's tickets", head, at(diskes), true},
		{"the admin does not list another agency's", admin, at(disdik), false},
		{"the head does not list another agency's", head, at(disdik), false},
		{"no agency is no one's", admin, at(0), false},
		{"an employee lists only their own", nobody, at(diskes), false},
		{"an operator lists only their own", operator, at(diskes), false},
		{"an agent works the queue, not this view", agent, at(diskes), false},
		{"the executive reads reports, not tickets", executive, at(diskes), false},
		{"the superadmin may", superadmin, at(diskes), true},
	} {
		if got := Can(c.a, TicketAgencyList, c.t); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}
