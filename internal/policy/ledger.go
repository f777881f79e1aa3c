package policy

// LearningRecord is recording learning that person Target.EmployeeID of
// Target.AgencyID finished outside Lontara (a course of the provincial
// training agency, a ministry's e-learning) in their JP ledger, or taking
// such a record back.
const LearningRecord Action = "learning.record"

// canRecordLearning decides LearningRecord: the agency's admin, who keeps
// its people's records, and the expert team; never the person themselves,
// whose own word would count towards their target unchecked.
func canRecordLearning(a *Actor, t Target) bool {
	if t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID {
		return false
	}
	return a.Has(Expert) || (t.AgencyID != 0 && a.HasIn(AgencyAdmin, t.AgencyID))
}

// PathAssign is assigning person Target.EmployeeID of Target.AgencyID to a
// learning path, or ending that assignment: whoever nominates the person's
// agency's people for training (its admin or head), or the expert team.
// Managing a path gives no right over people of other agencies.
const PathAssign Action = "path.assign"

// SelfStudyComplete is person Target.EmployeeID recording that they
// finished a self-study activity open to their agency Target.AgencyID
// (Target.AgencyID 0: not open to it).
const SelfStudyComplete Action = "selfstudy.complete"

func canAssignPath(a *Actor, t Target) bool {
	return a.Has(Expert) || (t.AgencyID != 0 && (a.HasIn(AgencyAdmin, t.AgencyID) || a.HasIn(AgencyHead, t.AgencyID)))
}

// canCompleteSelfStudy: a signed-in employee, for themselves, of an agency
// the activity is open to.
func canCompleteSelfStudy(a *Actor, t Target) bool {
	return a.EmployeeID != 0 && t.EmployeeID == a.EmployeeID && t.AgencyID != 0 && t.AgencyID == a.AgencyID
}
