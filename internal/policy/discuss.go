package policy

// The levels of a discussion space.
const (
	SpaceCity   = "city"
	SpaceAgency = "agency"
	SpaceApp    = "app"
	SpaceTeam   = "team"
)

// SpaceFacts is what the rules need to know about a discussion space and
// the actor's place in it; the discuss service loads it in the transaction
// that acts.
type SpaceFacts struct {
	Level       string // SpaceCity, SpaceAgency, SpaceApp or SpaceTeam
	MembersOnly bool   // read by its members only, not by everyone its level reaches
	Member      bool   // the actor is a member (or a moderator) of the space
	Moderator   bool   // the actor is one of its moderators
}

// OpenToCity reports whether every signed-in person of the city reads the
// space: an open city, application or team space (not a members-only
// room, not an agency's).
func (f SpaceFacts) OpenToCity() bool {
	return !f.MembersOnly && f.Level != SpaceAgency
}

// ReadsOpenSpaces reports whether a reads every space that is not
// members-only, whatever its level and agency (see canReadSpace): the
// superadmin and the city-wide roles. Search gives them one key for the
// posts of all those spaces rather than one key a space: at ministry scale
// a key a space is hundreds of keys, each a posting list to merge.
func ReadsOpenSpaces(a *Actor) bool {
	return a != nil && (a.IsSuper() || a.AccountID != 0 && a.CityWide())
}

// AgencySpacesRead returns the agencies whose open agency spaces a reads
// without being a member (see canReadSpace), or all when a reads every
// one. It narrows a read of the city's spaces to those worth asking Can
// about, as search does on every query: at ministry scale every agency
// has a space, and a reader reads one or two of them. Can still decides
// each space read.
func AgencySpacesRead(a *Actor) (all bool, agencies []int64) {
	if a == nil {
		return false, nil
	}
	if a.IsSuper() || a.CityWide() { // the expert team is city-wide too
		return true, nil
	}
	if a.AgencyID != 0 {
		agencies = append(agencies, a.AgencyID)
	}
	for _, g := range a.Grants {
		if g.AgencyID != 0 {
			agencies = append(agencies, g.AgencyID)
		}
	}
	return false, agencies
}

// canPromoteSpace is who makes a draft article of what was said in a
// space (a thread, a meeting's notes). A draft is read by every article
// writer of the city, so a writer promotes from a space open to the whole
// city; from a members-only room or an agency's space it also needs one
// who moderates that space, who decides its talk may go before the city's
// writers.
func canPromoteSpace(a *Actor, t Target) bool {
	if !Can(a, ArticleWrite, t) {
		return false
	}
	return t.Space.OpenToCity() || Can(a, SpaceModerate, t)
}

// canReadSpace is the read rule of discussion spaces. A members-only space
// is read by its members and by those who administer it. An open space is
// read by everyone its level reaches:
//   - city, application and team spaces: every signed-in person of the
//     city (an application is used across agencies, and a team's open room
//     is where anyone asks it);
//   - an agency space: the staff of that agency (the people working there
//     or holding a role there) and the city-wide roles (the help desk, the
//     expert team, the executive), not the staff of other agencies: an
//     agency's room is where its own people talk.
func canReadSpace(a *Actor, t Target) bool {
	if t.Space.Member || canAdminSpace(a, t) {
		return true
	}
	if t.Space.MembersOnly {
		// A team's members-only room is its members'.
		return t.Space.Level == SpaceTeam && t.TeamMember
	}
	if t.Space.Level == SpaceAgency {
		return t.AgencyID != 0 && (a.AgencyID == t.AgencyID || a.CityWide() || inAgency(a, t.AgencyID))
	}
	return a.AccountID != 0
}

// canAdminSpace says who creates and administers a space: the superadmin
// (checked by Can) and the expert team everywhere; an agency's admin its
// agency's spaces and the spaces of the applications it owns; a team's lead
// its team's spaces.
func canAdminSpace(a *Actor, t Target) bool {
	if a.Has(Expert) {
		return true
	}
	switch t.Space.Level {
	case SpaceAgency, SpaceApp:
		return t.AgencyID != 0 && a.HasIn(AgencyAdmin, t.AgencyID)
	case SpaceTeam:
		return t.TeamLead
	}
	return false
}

// inAgency reports whether a holds any agency-scoped role in agency.
func inAgency(a *Actor, agency int64) bool {
	for _, g := range a.Grants {
		if g.AgencyID == agency {
			return true
		}
	}
	return false
}
