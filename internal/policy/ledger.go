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
