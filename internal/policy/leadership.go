package policy

// The actions of leadership, feedback and the learning-organization
// measure. Target.AgencyID is the agency acted on; 0 means the city (a
// city-wide statement, regulation, announcement, review or target).
const (
	VisionEdit       Action = "vision.edit"       // write the vision and mission of Target.AgencyID (0: the city)
	RegulationManage Action = "regulation.manage" // register, change, revoke regulations issued for Target.AgencyID (0: the city)
	AnnouncementPost Action = "announcement.post" // announce to people of Target.AgencyID (0: the city, several agencies or roles) and read who has read it
	ReviewManage     Action = "review.manage"     // hold a monitoring-and-evaluation review of Target.AgencyID (0: the city): findings, follow-ups assigned to people
	FollowUpReport   Action = "followup.report"   // report progress on a follow-up assigned to Target.EmployeeID (the assignee, or who may manage the review)
	RecognitionGive  Action = "recognition.give"  // recognize people or a team of Target.AgencyID (0: across the city)
	IdeaAnswer       Action = "idea.answer"       // answer an idea owned by Target.AgencyID and move its status
	LessonWrite      Action = "lesson.write"      // write and change lessons learned about the work of Target.AgencyID (0: the city's help desk or a city project)
	SurveyManage     Action = "survey.manage"     // build instruments and run survey campaigns over agencies
	SurveyResults    Action = "survey.results"    // read survey results of Target.AgencyID (0: the city); groups under the minimum stay hidden whoever reads
	TargetManage     Action = "target.manage"     // set and change learning targets of Target.AgencyID (0: city-wide)
	InsightView      Action = "insight.view"      // read the LO index, dashboards, training impact and the M&E report of Target.AgencyID (0: the city)
	EvidenceView     Action = "evidence.view"     // download the SPBE evidence pack of the city
)

// canLead decides the actions above. The executive (the mayor, the city
// secretary, Kominfo's head) leads the city; an agency's head leads their
// agency, and its admin helps with what is administration (statements,
// announcements, reading results), not with what is judgment (answering
// ideas, reviews, targets, recognition).
func canLead(a *Actor, act Action, t Target) bool {
	exec := a.Has(Executive)
	head := t.AgencyID != 0 && a.HasIn(AgencyHead, t.AgencyID)
	admin := t.AgencyID != 0 && a.HasIn(AgencyAdmin, t.AgencyID)
	switch act {
	case VisionEdit, RegulationManage, AnnouncementPost:
		return exec || head || admin
	case ReviewManage, RecognitionGive, IdeaAnswer, TargetManage:
		return exec || head
	case FollowUpReport:
		return (t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID) || exec || head
	case LessonWrite:
		// Those who handle incidents and run projects: the help desk, the
		// expert team, and an agency's admin, head, operators and trainers.
		return exec || a.Has(Agent) || a.Has(Expert) || head || admin ||
			(t.AgencyID != 0 && (a.HasIn(Operator, t.AgencyID) || a.HasIn(Trainer, t.AgencyID)))
	case SurveyManage:
		return exec
	case EvidenceView:
		return exec || a.Has(Expert)
	case SurveyResults, InsightView:
		// The expert team plans the city's learning from the same figures.
		return exec || a.Has(Expert) || head || admin
	}
	return false
}
