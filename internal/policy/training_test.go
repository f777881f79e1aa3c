package policy

import (
	"slices"
	"testing"
)

func TestWhoDevelopsWhom(t *testing.T) {
	const diskes, bapenda = 4, 9
	in := func(id int64, employee int64, roles ...Role) *Actor {
		a := &Actor{AccountID: employee, EmployeeID: employee, AgencyID: id}
		for _, r := range roles {
			g := Grant{Role: r, AgencyID: id}
			if r.CityWide() {
				g.AgencyID = 0
			}
			a.Grants = append(a.Grants, g)
		}
		return a
	}
	nurse := in(diskes, 10, Employee)
	boss := in(diskes, 11, Employee)
	admin := in(diskes, 12, AgencyAdmin)
	head := in(diskes, 13, AgencyHead)
	trainer := in(diskes, 14, Trainer)
	otherTrainer := in(bapenda, 15, Trainer)
	otherAdmin := in(bapenda, 16, AgencyAdmin)
	expert := in(0, 17, Expert)
	mayor := in(0, 18, Executive)
	person := Target{AgencyID: diskes, EmployeeID: 10}
	for _, c := range []struct {
		name  string
		actor *Actor
		act   Action
		t     Target
		want  bool
	}{
		{"no one unsigned sees a record", nil, DevelopmentView, person, false},
		{"a person sees their own", nurse, DevelopmentView, person, true},
		{"their direct supervisor", boss, DevelopmentView, Target{AgencyID: diskes, EmployeeID: 10, Supervisor: true}, true},
		{"a colleague does not", boss, DevelopmentView, person, false},
		{"the agency's trainer", trainer, DevelopmentView, person, true},
		{"another agency's admin does not", otherAdmin, DevelopmentView, person, false},
		{"the mayor sees the city", mayor, DevelopmentView, Target{}, true},
		{"an agency head not the city", head, DevelopmentView, Target{}, false},
		{"no one verifies themselves", trainer, CompetencyVerify, Target{AgencyID: diskes, EmployeeID: 14}, false},
		{"the supervisor verifies", boss, CompetencyVerify, Target{AgencyID: diskes, EmployeeID: 10, Supervisor: true}, true},
		{"a trainer of the agency verifies", trainer, CompetencyVerify, person, true},
		{"a trainer of another agency does not", otherTrainer, CompetencyVerify, person, false},
		{"only experts edit the framework", admin, CompetencyManage, Target{}, false},
		{"the expert team edits it", expert, CompetencyManage, Target{}, true},
		{"an admin sets their agency's requirements", admin, RequirementManage, Target{AgencyID: diskes}, true},
		{"not the city's", admin, RequirementManage, Target{}, false},
		{"any trainer offers city training", otherTrainer, ActivityManage, Target{}, true},
		{"a trainer runs an event they train", otherTrainer, EventManage, Target{Trainer: true}, true},
		{"not another trainer's city event", otherTrainer, EventManage, Target{}, false},
		{"the organizing agency's admin runs its event", admin, EventManage, Target{AgencyID: diskes}, true},
		{"an admin nominates their people", admin, EnrolmentNominate, person, true},
		{"not another agency's", otherAdmin, EnrolmentNominate, person, false},
		{"the head approves", head, EnrolmentApprove, person, true},
		{"the admin does not", admin, EnrolmentApprove, person, false},
		{"an admin assigns mentees", admin, MentoringManage, Target{AgencyID: diskes}, true},
		{"a mentor logs sessions with a mentee", trainer, MentoringLog, Target{AgencyID: diskes, EmployeeID: 10, Trainer: true}, true},
		{"not with someone else's", trainer, MentoringLog, person, false},
		{"not once no longer a trainer there", in(diskes, 14, Employee), MentoringLog, Target{AgencyID: diskes, EmployeeID: 10, Trainer: true}, false},
		{"not after the mentee moved agency", trainer, MentoringLog, Target{AgencyID: bapenda, EmployeeID: 10, Trainer: true}, false},
		{"not with oneself", trainer, MentoringLog, Target{AgencyID: diskes, EmployeeID: 14, Trainer: true}, false},
	} {
		if got := Can(c.actor, c.act, c.t); got != c.want {
			t.Errorf("%s: Can %s = %v, want %v", c.name, c.act, got, c.want)
		}
	}
}

// DevelopmentScope names every agency in which one sees the development of
// someone who is neither oneself nor a direct report: a member list
// narrowed by it would otherwise leave out people one may see.
func TestDevelopmentScopeCoversEveryoneOneSees(t *testing.T) {
	trainerElsewhere := actor(Grant{Role: Employee, AgencyID: diskes}, Grant{Role: Trainer, AgencyID: disdik})
	for _, c := range []struct {
		name string
		a    *Actor
	}{
		{"an employee", nobody}, {"an operator", operator}, {"an agency admin", admin}, {"an agency head", head},
		{"a trainer", trainer}, {"a trainer in another agency", trainerElsewhere}, {"staff of two agencies", twoAgencies},
		{"an agent", agent}, {"an expert", expert}, {"the executive", executive}, {"the superadmin", superadmin},
		{"the command line", system},
	} {
		all, agencies := DevelopmentScope(c.a)
		for _, agency := range []int64{diskes, disdik, 99} {
			other := Target{AgencyID: agency, EmployeeID: self + 1}
			if Can(c.a, DevelopmentView, other) && !all && !slices.Contains(agencies, agency) {
				t.Errorf("%s sees a person of agency %d, left out of %v", c.name, agency, agencies)
			}
		}
	}
}
