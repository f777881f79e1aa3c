package policy

import (
	"slices"
	"testing"
)

func TestCanHelpdesk(t *testing.T) {
	ticket := func(agency, reporter int64) Target { return Target{AgencyID: agency, EmployeeID: reporter} }
	for _, c := range []struct {
		name string
		a    *Actor
		act  Action
		t    Target
		want bool
	}{
		{"no actor files no ticket", nil, TicketCreate, Target{}, false},
		{"an employee files a ticket", nobody, TicketCreate, Target{}, true},
		{"the agency admin sees a caller's contact", admin, TicketContact, ticket(diskes, other), true},
		{"the help desk sees a caller's contact", agent, TicketContact, ticket(diskes, other), true},
		{"a follower does not see the caller's contact", nobody, TicketContact, Target{AgencyID: diskes, EmployeeID: other, Follower: true}, false},
		{"the reporter sees their ticket", nobody, TicketView, ticket(diskes, self), true},
		{"an employee cannot see a colleague's ticket", nobody, TicketView, ticket(diskes, other), false},
		{"the admin sees the agency's tickets", admin, TicketView, ticket(diskes, other), true},
		{"the admin cannot see another agency's", admin, TicketView, ticket(disdik, other), false},
		{"the head sees the agency's tickets", head, TicketView, ticket(diskes, other), true},
		{"the head cannot see another agency's", head, TicketView, ticket(disdik, other), false},
		{"an operator sees only their own", operator, TicketView, ticket(diskes, other), false},
		{"an outside contact's ticket is no employee's", nobody, TicketView, ticket(0, 0), false},
		{"an agent sees every ticket", agent, TicketView, ticket(disdik, other), true},
		{"an expert sees every ticket", expert, TicketView, ticket(0, 0), true},
		{"the executive reads reports, not tickets", executive, TicketView, ticket(diskes, other), false},
		{"the superadmin sees every ticket", superadmin, TicketView, ticket(disdik, other), true},
		{"the reporter replies", nobody, TicketReply, ticket(diskes, self), true},
		{"a colleague cannot reply", nobody, TicketReply, ticket(diskes, other), false},
		{"the admin replies for the agency", admin, TicketReply, ticket(diskes, other), true},
		{"an agent replies", agent, TicketReply, ticket(disdik, other), true},
		{"an agent works tickets", agent, TicketWork, Target{}, true},
		{"an expert works tickets", expert, TicketWork, Target{}, true},
		{"the superadmin works tickets", superadmin, TicketWork, Target{}, true},
		{"the system works tickets", system, TicketWork, Target{}, true},
		{"the reporter does not work tickets", nobody, TicketWork, ticket(diskes, self), false},
		{"the admin does not work tickets", admin, TicketWork, ticket(diskes, other), false},
		{"the head does not work tickets", head, TicketWork, ticket(diskes, other), false},
		{"the superadmin sets up teams", superadmin, TeamWrite, Target{}, true},
		{"an agent does not set up teams", agent, TeamWrite, Target{}, false},
		{"an expert does not set up teams", expert, TeamWrite, Target{}, false},
		{"an admin does not set up teams", admin, TeamWrite, ticket(diskes, 0), false},
		{"the superadmin sets the SLA policies and holidays", superadmin, SLAManage, Target{}, true},
		{"an agent does not set the SLA policies", agent, SLAManage, Target{}, false},
		{"an expert does not set the SLA policies", expert, SLAManage, Target{}, false},
		{"the superadmin plans any roster", superadmin, RosterWrite, Target{}, true},
		{"a team's lead plans its roster", agent, RosterWrite, Target{TeamLead: true}, true},
		{"an agent who does not lead the team does not", agent, RosterWrite, Target{}, false},
		{"a lead who is no longer an agent does not", nobody, RosterWrite, Target{TeamLead: true}, false},
		{"no actor reads no report", nil, ReportView, Target{}, false},
		{"an agent reads the city's reports", agent, ReportView, Target{}, true},
		{"an expert reads the city's reports", expert, ReportView, Target{}, true},
		{"the executive reads the city's reports", executive, ReportView, Target{}, true},
		{"the superadmin reads the city's reports", superadmin, ReportView, Target{}, true},
		{"an agent reads an agency's report", agent, ReportView, ticket(disdik, 0), true},
		{"the admin reads the agency's report", admin, ReportView, ticket(diskes, 0), true},
		{"the admin cannot read another agency's report", admin, ReportView, ticket(disdik, 0), false},
		{"the admin cannot read the city's report", admin, ReportView, Target{}, false},
		{"the head reads the agency's report", head, ReportView, ticket(diskes, 0), true},
		{"the head cannot read another agency's report", head, ReportView, ticket(disdik, 0), false},
		{"an employee reads no report", nobody, ReportView, ticket(diskes, 0), false},
		{"an operator reads no report", operator, ReportView, ticket(diskes, 0), false},
	} {
		if got := Can(c.a, c.act, c.t); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestTicketScope(t *testing.T) {
	for _, c := range []struct {
		name     string
		a        *Actor
		all      bool
		agencies []int64
	}{
		{"no actor", nil, false, nil},
		{"employee: own only", nobody, false, nil},
		{"admin: own agency", admin, false, []int64{diskes}},
		{"head: own agency", head, false, []int64{diskes}},
		{"admin and head of one agency: listed once",
			actor(Grant{Role: AgencyAdmin, AgencyID: diskes}, Grant{Role: AgencyHead, AgencyID: diskes}), false, []int64{diskes}},
		{"admin of one, head of another",
			actor(Grant{Role: AgencyAdmin, AgencyID: diskes}, Grant{Role: AgencyHead, AgencyID: disdik}), false, []int64{diskes, disdik}},
		{"agent: all", agent, true, nil},
		{"expert: all", expert, true, nil},
		{"executive: own only", executive, false, nil},
		{"superadmin: all", superadmin, true, nil},
		{"system: all", system, true, nil},
	} {
		all, agencies := TicketScope(c.a)
		if all != c.all || !slices.Equal(agencies, c.agencies) {
			t.Errorf("%s: TicketScope = %v %v, want %v %v", c.name, all, agencies, c.all, c.agencies)
		}
	}
}
