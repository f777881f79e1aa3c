package policy

// canDevelop decides the actions of competency-based training and
// development. Agency-scoped roles act within their agency (Target.AgencyID:
// the agency of the person, event or activity acted on); the expert team,
// which curates the framework, acts city-wide.
func canDevelop(a *Actor, act Action, t Target) bool {
	inAgency := func(roles ...Role) bool {
		for _, r := range roles {
			if t.AgencyID != 0 && a.HasIn(r, t.AgencyID) {
				return true
			}
		}
		return false
	}
	self := t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID
	switch act {
	case CompetencyManage:
		return a.Has(Expert)
	case RequirementManage:
		// The expert team sets the city's requirements; an agency's admin
		// adds what its own positions need.
		return a.Has(Expert) || inAgency(AgencyAdmin)
	case CompetencyVerify:
		// A level is verified by someone who has seen the work: the direct
		// supervisor or a trainer placed in the person's agency (or the
		// expert team); never by the person themselves.
		return !self && (t.Supervisor || inAgency(Trainer) || a.Has(Expert))
	case DevelopmentView:
		// One's own record; one's direct reports'; an agency's, for those
		// who lead, administer and train in it; the city's, for those who
		// lead and plan it.
		if self || t.Supervisor || a.Has(Expert) || a.Has(Executive) {
			return true
		}
		return inAgency(AgencyAdmin, AgencyHead, Trainer)
	case ActivityManage:
		// The city's training is offered by its trainers (Kominfo's, and
		// those placed in agencies, who teach city bimtek too) and the
		// expert team; an agency's admin and trainers offer their own
		// agency's. Running an event once made is narrower (EventManage).
		if t.AgencyID == 0 {
			return a.Has(Trainer) || a.Has(Expert)
		}
		return a.Has(Expert) || inAgency(AgencyAdmin, Trainer)
	case EventManage:
		// An event is run by its trainers and the trainer who made it, by
		// the organizing agency's admin, and by the expert team; not by
		// every trainer in the city.
		return ((t.Trainer || t.Organizer) && a.Has(Trainer)) || a.Has(Expert) || inAgency(AgencyAdmin)
	case EnrolmentNominate:
		// The agency admin nominates the agency's people; the agency head
		// approves, so a head nominating is approving at once.
		return inAgency(AgencyAdmin, AgencyHead)
	case EnrolmentApprove:
		return inAgency(AgencyHead)
	case MentoringManage:
		return a.Has(Expert) || inAgency(AgencyAdmin)
	case MentoringLog:
		// The mentor of the assignment (Target.Trainer), while they still
		// hold the trainer role in the mentee's current agency, or the
		// expert team; never a session with oneself.
		return !self && ((t.Trainer && inAgency(Trainer)) || a.Has(Expert))
	}
	return false
}

// DevelopmentScope returns whose development a sees beyond their own and
// their direct reports' (see DevelopmentView): everyone's (all), or the
// people of agencies. It narrows a read of many people to those worth
// asking Can about, as a learning path's member list does, where an
// employee sees themselves among thousands; Can still decides each.
func DevelopmentScope(a *Actor) (all bool, agencies []int64) {
	if a == nil {
		return false, nil
	}
	if a.IsSuper() || a.Has(Expert) || a.Has(Executive) {
		return true, nil
	}
	return false, a.AgenciesWith(AgencyAdmin, AgencyHead, Trainer)
}
