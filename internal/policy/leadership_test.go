package policy

import "testing"

func TestWhoLeadsTheCityAndItsAgencies(t *testing.T) {
	const diskes, bapenda = 4, 9
	exec := &Actor{AccountID: 1, EmployeeID: 1, Grants: []Grant{{Role: Executive}}}
	head := &Actor{AccountID: 2, EmployeeID: 2, AgencyID: diskes, Grants: []Grant{{Role: AgencyHead, AgencyID: diskes}}}
	admin := &Actor{AccountID: 3, EmployeeID: 3, AgencyID: diskes, Grants: []Grant{{Role: AgencyAdmin, AgencyID: diskes}}}
	expert := &Actor{AccountID: 4, EmployeeID: 4, Grants: []Grant{{Role: Expert}}}
	agent := &Actor{AccountID: 5, EmployeeID: 5, Grants: []Grant{{Role: Agent}}}
	operator := &Actor{AccountID: 6, EmployeeID: 6, AgencyID: diskes, Grants: []Grant{{Role: Operator, AgencyID: diskes}}}
	nurse := &Actor{AccountID: 7, EmployeeID: 7, AgencyID: diskes, Grants: []Grant{{Role: Employee, AgencyID: diskes}}}
	city, own, other := Target{}, Target{AgencyID: diskes}, Target{AgencyID: bapenda}
	for _, c := range []struct {
		name  string
		actor *Actor
		act   Action
		t     Target
		want  bool
	}{
		{"the executive writes the city's vision", exec, VisionEdit, city, true},
		{"a head writes their agency's", head, VisionEdit, own, true},
		{"an admin helps with it", admin, VisionEdit, own, true},
		{"not the city's", head, VisionEdit, city, false},
		{"not another agency's", admin, VisionEdit, other, false},
		{"an employee does not", nurse, AnnouncementPost, own, false},
		{"a head answers their agency's ideas", head, IdeaAnswer, own, true},
		{"an admin does not answer ideas", admin, IdeaAnswer, own, false},
		{"the executive answers any idea", exec, IdeaAnswer, other, true},
		{"a head sets targets", head, TargetManage, own, true},
		{"an admin does not", admin, TargetManage, own, false},
		{"a head holds reviews", head, ReviewManage, own, true},
		{"the assignee reports on a follow-up", nurse, FollowUpReport, Target{AgencyID: diskes, EmployeeID: 7}, true},
		{"not someone else's follow-up", nurse, FollowUpReport, Target{AgencyID: diskes, EmployeeID: 8}, false},
		{"the help desk writes lessons", agent, LessonWrite, city, true},
		{"an operator writes their agency's", operator, LessonWrite, own, true},
		{"not another agency's", operator, LessonWrite, other, false},
		{"an employee does not", nurse, LessonWrite, own, false},
		{"the executive runs surveys", exec, SurveyManage, city, true},
		{"a head does not", head, SurveyManage, own, false},
		{"a head reads their agency's results", head, SurveyResults, own, true},
		{"not another agency's", head, SurveyResults, other, false},
		{"not the city's", admin, InsightView, city, false},
		{"the expert team reads the city's", expert, InsightView, city, true},
		{"an employee reads no dashboard", nurse, InsightView, own, false},
		{"the expert team takes the SPBE evidence", expert, EvidenceView, city, true},
		{"a head does not", head, EvidenceView, own, false},
		{"no one unsigned", nil, InsightView, city, false},
	} {
		if got := Can(c.actor, c.act, c.t); got != c.want {
			t.Errorf("%s: Can %s = %v, want %v", c.name, c.act, got, c.want)
		}
	}
}
