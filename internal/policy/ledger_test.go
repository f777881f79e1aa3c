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

func TestWhoAssignsPathsAndCompletesSelfStudy(t *testing.T) {
	const diskes, bapenda = 4, 9
	admin := &Actor{AccountID: 1, EmployeeID: 1, AgencyID: diskes, Grants: []Grant{{Role: AgencyAdmin, AgencyID: diskes}}}
	head := &Actor{AccountID: 3, EmployeeID: 3, AgencyID: diskes, Grants: []Grant{{Role: AgencyHead, AgencyID: diskes}}}
	trainer := &Actor{AccountID: 5, EmployeeID: 5, AgencyID: bapenda, Grants: []Grant{{Role: Trainer, AgencyID: bapenda}}}
	expert := &Actor{AccountID: 4, EmployeeID: 4, Grants: []Grant{{Role: Expert}}}
	nurse := &Actor{AccountID: 6, EmployeeID: 10, AgencyID: diskes, Grants: []Grant{{Role: Employee, AgencyID: diskes}}}
	person := Target{AgencyID: diskes, EmployeeID: 10}
	for _, c := range []struct {
		name  string
		actor *Actor
		act   Action
		t     Target
		want  bool
	}{
		{"the agency's admin assigns", admin, PathAssign, person, true},
		{"the agency's head assigns", head, PathAssign, person, true},
		{"a trainer managing the path does not", trainer, PathAssign, person, false},
		{"the expert team assigns", expert, PathAssign, person, true},
		{"not another agency's people", admin, PathAssign, Target{AgencyID: bapenda, EmployeeID: 20}, false},
		{"a person completes open self-study", nurse, SelfStudyComplete, person, true},
		{"not when it is closed to their agency", nurse, SelfStudyComplete, Target{EmployeeID: 10}, false},
		{"not for someone else", admin, SelfStudyComplete, person, false},
		{"not without a person", &Actor{AccountID: 7, Grants: []Grant{{Role: Expert}}}, SelfStudyComplete, Target{AgencyID: diskes}, false},
	} {
		if got := Can(c.actor, c.act, c.t); got != c.want {
			t.Errorf("%s: Can %s = %v, want %v", c.name, c.act, got, c.want)
		}
	}
}
