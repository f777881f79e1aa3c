package policy

import "testing"

func TestWhoManagesAMeeting(t *testing.T) {
	const diskes, bapenda = 4, 9
	staff := &Actor{AccountID: 1, AgencyID: diskes, Grants: []Grant{{Role: Employee, AgencyID: diskes}}}
	outsider := &Actor{AccountID: 2, AgencyID: bapenda, Grants: []Grant{{Role: Employee, AgencyID: bapenda}}}
	admin := &Actor{AccountID: 3, AgencyID: diskes, Grants: []Grant{{Role: AgencyAdmin, AgencyID: diskes}}}
	expert := &Actor{AccountID: 4, Grants: []Grant{{Role: Expert}}}
	agencySpace := SpaceFacts{Level: SpaceAgency}
	closed := SpaceFacts{Level: SpaceCity, MembersOnly: true}
	for _, c := range []struct {
		name  string
		actor *Actor
		t     Target
		want  bool
	}{
		{"no one unsigned", nil, Target{AgencyID: diskes, Space: agencySpace, Organizer: true}, false},
		{"its organizer", staff, Target{AgencyID: diskes, Space: agencySpace, Organizer: true}, true},
		{"another reader of the space", staff, Target{AgencyID: diskes, Space: agencySpace}, false},
		{"an organizer who moved out of the agency", outsider, Target{AgencyID: diskes, Space: agencySpace, Organizer: true}, false},
		{"an organizer no longer a member of a closed room", staff, Target{Space: closed, Organizer: true}, false},
		{"an organizer still a member", staff, Target{Space: SpaceFacts{Level: SpaceCity, MembersOnly: true, Member: true}, Organizer: true}, true},
		{"the space's moderator", outsider, Target{Space: SpaceFacts{Level: SpaceCity, Member: true, Moderator: true}}, true},
		{"the agency's admin for its space", admin, Target{AgencyID: diskes, Space: agencySpace}, true},
		{"the expert team", expert, Target{AgencyID: diskes, Space: agencySpace}, true},
	} {
		if got := Can(c.actor, MeetingManage, c.t); got != c.want {
			t.Errorf("%s: Can MeetingManage = %v, want %v", c.name, got, c.want)
		}
	}
}
