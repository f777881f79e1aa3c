package policy

import (
	"slices"
	"testing"
)

func TestCanDiscuss(t *testing.T) {
	space := func(level string, agency int64, membersOnly bool) Target {
		return Target{AgencyID: agency, Space: SpaceFacts{Level: level, MembersOnly: membersOnly}}
	}
	member := func(tg Target) Target { tg.Space.Member = true; return tg }
	moderator := func(tg Target) Target { tg.Space.Member, tg.Space.Moderator = true, true; return tg }
	teamMember := func(tg Target) Target { tg.TeamMember = true; return tg }
	teamLead := func(tg Target) Target { tg.TeamMember, tg.TeamLead = true, true; return tg }
	elsewhere := &Actor{AccountID: 2, EmployeeID: 9, AgencyID: disdik, Grants: []Grant{{Role: Employee, AgencyID: disdik}}}
	noGrants := &Actor{AccountID: 3, EmployeeID: 10, AgencyID: diskes}
	for _, c := range []struct {
		name string
		a    *Actor
		act  Action
		t    Target
		want bool
	}{
		{"no actor reads no space", nil, SpaceRead, space(SpaceCity, 0, false), false},
		{"anyone signed in reads an open city space", elsewhere, SpaceRead, space(SpaceCity, 0, false), true},
		{"a person without roles reads an open city space", noGrants, SpaceRead, space(SpaceCity, 0, false), true},
		{"anyone reads an open application space", elsewhere, SpaceRead, space(SpaceApp, diskes, false), true},
		{"anyone reads an open team space", elsewhere, SpaceRead, space(SpaceTeam, 0, false), true},
		{"an agency's staff read its open space", nobody, SpaceRead, space(SpaceAgency, diskes, false), true},
		{"working there without a role reads its open space", noGrants, SpaceRead, space(SpaceAgency, diskes, false), true},
		{"another agency's staff do not read its open space", elsewhere, SpaceRead, space(SpaceAgency, diskes, false), false},
		{"a role in the agency reads its open space", twoAgencies, SpaceRead, space(SpaceAgency, disdik, false), true},
		{"the help desk reads every agency's open space", agent, SpaceRead, space(SpaceAgency, disdik, false), true},
		{"the executive reads every agency's open space", executive, SpaceRead, space(SpaceAgency, disdik, false), true},
		{"a non-member does not read a members-only city space", nobody, SpaceRead, space(SpaceCity, 0, true), false},
		{"an agent does not read a members-only city space", agent, SpaceRead, space(SpaceCity, 0, true), false},
		{"a member reads a members-only space", elsewhere, SpaceRead, member(space(SpaceAgency, diskes, true)), true},
		{"staff do not read their agency's members-only space", nobody, SpaceRead, space(SpaceAgency, diskes, true), false},
		{"the agency admin reads its members-only space", admin, SpaceRead, space(SpaceAgency, diskes, true), true},
		{"another agency's admin does not", admin, SpaceRead, space(SpaceAgency, disdik, true), false},
		{"a team member reads the team's members-only space", agent, SpaceRead, teamMember(space(SpaceTeam, 0, true)), true},
		{"an agent of another team does not", agent, SpaceRead, space(SpaceTeam, 0, true), false},
		{"an expert reads any members-only space", expert, SpaceRead, space(SpaceCity, 0, true), true},
		{"the superadmin reads any members-only space", superadmin, SpaceRead, space(SpaceTeam, 0, true), true},

		{"a member does not moderate", nobody, SpaceModerate, member(space(SpaceCity, 0, false)), false},
		{"a moderator moderates", nobody, SpaceModerate, moderator(space(SpaceCity, 0, false)), true},
		{"the agency admin moderates its agency's space", admin, SpaceModerate, space(SpaceAgency, diskes, false), true},
		{"the agency admin moderates the spaces of its applications", admin, SpaceModerate, space(SpaceApp, diskes, false), true},
		{"an agency admin does not moderate the city space", admin, SpaceModerate, space(SpaceCity, 0, false), false},
		{"an agent does not moderate", agent, SpaceModerate, space(SpaceCity, 0, false), false},
		{"a team lead moderates the team's space", agent, SpaceModerate, teamLead(space(SpaceTeam, 0, false)), true},
		{"a team member does not moderate", agent, SpaceModerate, teamMember(space(SpaceTeam, 0, false)), false},

		{"an expert creates a city space", expert, SpaceAdmin, space(SpaceCity, 0, false), true},
		{"the superadmin creates a city space", superadmin, SpaceAdmin, space(SpaceCity, 0, false), true},
		{"an agency admin does not create a city space", admin, SpaceAdmin, space(SpaceCity, 0, false), false},
		{"an agency admin creates its agency's space", admin, SpaceAdmin, space(SpaceAgency, diskes, false), true},
		{"an agency admin does not create another agency's", admin, SpaceAdmin, space(SpaceAgency, disdik, false), false},
		{"an agency head does not create spaces", head, SpaceAdmin, space(SpaceAgency, diskes, false), false},
		{"an agency admin creates the space of an app it owns", admin, SpaceAdmin, space(SpaceApp, diskes, false), true},
		{"a team lead creates the team's space", agent, SpaceAdmin, teamLead(space(SpaceTeam, 0, true)), true},
		{"a team member does not", agent, SpaceAdmin, teamMember(space(SpaceTeam, 0, true)), false},
		{"a moderator does not administer the space", nobody, SpaceAdmin, moderator(space(SpaceCity, 0, false)), false},
		{"an employee creates no space", nobody, SpaceAdmin, space(SpaceAgency, diskes, false), false},

		{"a writer promotes a thread of an open city space", agent, SpacePromote, space(SpaceCity, 0, false), true},
		{"a writer promotes a thread of an open application space", operator, SpacePromote, space(SpaceApp, diskes, false), true},
		{"a writer promotes a thread of an open team space", trainer, SpacePromote, space(SpaceTeam, 0, false), true},
		{"one who writes no articles promotes nothing", nobody, SpacePromote, space(SpaceCity, 0, false), false},
		{"a moderator who writes no articles promotes nothing", nobody, SpacePromote, moderator(space(SpaceCity, 0, true)), false},
		{"a writer who is a member does not promote a members-only room's thread", agent, SpacePromote, member(space(SpaceCity, 0, true)), false},
		{"a writer who moderates a members-only room promotes its thread", agent, SpacePromote, moderator(space(SpaceCity, 0, true)), true},
		{"a writer of the agency does not promote its open space's thread", operator, SpacePromote, space(SpaceAgency, diskes, false), false},
		{"a writer who moderates the agency's space promotes its thread", operator, SpacePromote, moderator(space(SpaceAgency, diskes, false)), true},
		{"a writer who leads a team promotes its members-only room's thread", agent, SpacePromote, teamLead(space(SpaceTeam, 0, true)), true},
		{"a writer in a team does not promote its members-only room's thread", agent, SpacePromote, teamMember(space(SpaceTeam, 0, true)), false},
		{"the expert team promotes any thread", expert, SpacePromote, space(SpaceAgency, diskes, true), true},
		{"the superadmin promotes any thread", superadmin, SpacePromote, space(SpaceCity, 0, true), true},
	} {
		if got := Can(c.a, c.act, c.t); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}

// Those who read every open space (search gives them one key for all of
// them) do read each open space of every level and agency; the others do
// not read some open space.
func TestReadsOpenSpacesMeansEveryOpenSpace(t *testing.T) {
	var open []Target
	for _, level := range []string{SpaceCity, SpaceAgency, SpaceApp, SpaceTeam} {
		for _, agency := range []int64{diskes, disdik, 99} {
			open = append(open, Target{AgencyID: agency, Space: SpaceFacts{Level: level}})
		}
	}
	for _, c := range []struct {
		name string
		a    *Actor
		want bool
	}{
		{"no actor", nil, false}, {"an employee", nobody, false}, {"an agency admin", admin, false},
		{"an agency head", head, false}, {"an operator", operator, false}, {"a trainer", trainer, false},
		{"staff of two agencies", twoAgencies, false}, {"an agent", agent, true}, {"an expert", expert, true},
		{"the executive", executive, true}, {"the superadmin", superadmin, true}, {"the command line", system, true},
	} {
		if got := ReadsOpenSpaces(c.a); got != c.want {
			t.Errorf("%s: ReadsOpenSpaces = %v, want %v", c.name, got, c.want)
		}
		readsAll := true
		for _, tg := range open {
			readsAll = readsAll && Can(c.a, SpaceRead, tg)
		}
		if readsAll != c.want {
			t.Errorf("%s: reads every open space: %v, want %v", c.name, readsAll, c.want)
		}
	}
}

// AgencySpacesRead names every agency whose open agency space one reads
// without being a member: a reader it left out would find none of that
// space's posts in search.
func TestAgencySpacesReadCoversEveryAgencySpaceOneReads(t *testing.T) {
	for _, c := range []struct {
		name string
		a    *Actor
	}{
		{"an employee", nobody}, {"an agency admin", admin}, {"an agency head", head}, {"an operator", operator},
		{"a trainer", trainer}, {"staff of two agencies", twoAgencies}, {"an agent", agent}, {"an expert", expert},
		{"the executive", executive}, {"the superadmin", superadmin}, {"the command line", system},
	} {
		all, agencies := AgencySpacesRead(c.a)
		for _, agency := range []int64{diskes, disdik, 99} {
			reads := Can(c.a, SpaceRead, Target{AgencyID: agency, Space: SpaceFacts{Level: SpaceAgency}})
			if reads && !all && !slices.Contains(agencies, agency) {
				t.Errorf("%s reads agency %d's space, left out of %v", c.name, agency, agencies)
			}
		}
	}
}
