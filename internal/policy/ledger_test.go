package policy

import "testing"

func TestWhoRecordsLearningDoneElsewhere(t *testing.T) {
	const diskes, bapenda = 4, 9
	admin := &Actor{AccountID: 1, EmployeeID: 1, AgencyID: diskes, Grants: []Grant{{Role: AgencyAdmin, AgencyID: diskes}}}
	otherAdmin := &Actor{AccountID: 2, EmployeeID: 2, AgencyID: bapenda, Grants: []Grant{{Role: AgencyAdmin, AgencyID: bapenda}}}
	head := &Actor{AccountID: 3, EmployeeID: 3, AgencyID: diskes, Grants: []Grant{{Role: AgencyHead, AgencyID: diskes}}}
	expert := &Actor{AccountID: 4, EmployeeID: 4, Grants: []Grant{{Role: Expert}}}
	person := Target{AgencyID: diskes, EmployeeID: 10}
	for _, c := range []struct {
		name  string
		actor *Actor
		t     Target
		want  bool
	}{
		{"the agency's admin", admin, person, true},
		{"not for themselves", admin, Target{AgencyID: diskes, EmployeeID: 1}, false},
		{"not another agency's admin", otherAdmin, person, false},
		{"not the head", head, person, false},
		{"the expert team", expert, person, true},
		{"no one unsigned", nil, person, false},
	} {
		if got := Can(c.actor, LearningRecord, c.t); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
