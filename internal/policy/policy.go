package policy

import (
	"github.com/lontara-id/lontara/internal/errs"
)

// Action is something an actor may be allowed to do.
type Action string

// The actions. Each names a capability and a verb; later capabilities add theirs.
const (
	AgencyWrite           Action = "agency.write"            // create or edit an agency
	EmployeeWrite         Action = "employee.write"          // create, edit, deactivate a person of Target.AgencyID
	EmployeeImport        Action = "employee.import"         // import people into (and update people of) Target.AgencyID
	EmployeeTransfer      Action = "employee.transfer"       // move a person out of Target.AgencyID
	EmployeeViewPrivate   Action = "employee.view_private"   // see NIP, phone, email of Target
	AppWrite              Action = "app.write"               // create or edit an app owned by Target.AgencyID
	AppOperatorWrite      Action = "app.operator.write"      // name an app's operators in Target.AgencyID
	RoleGrant             Action = "role.grant"              // grant or revoke Target.Role in Target.AgencyID
	AccountManage         Action = "account.manage"          // reset a password, end sessions, change roles of a person in Target.AgencyID
	AuditRead             Action = "audit.read"              // read the audit log of Target.AgencyID (0: all)
	AuditContentRead      Action = "audit.content_read"      // read, in the log, what any ticket, discussion, meeting, mentoring session, article draft or help desk problem said (superadmin only: their readers are narrower than the log's; see audit.List)
	TicketCreate          Action = "ticket.create"           // file a ticket as its reporter
	TicketView            Action = "ticket.view"             // see a ticket reported by Target.EmployeeID in Target.AgencyID (or followed: Target.Follower), and its public replies
	TicketReply           Action = "ticket.reply"            // add a public reply to such a ticket
	TicketContact         Action = "ticket.contact"          // see how to reach a ticket's outside contact (name, phone, email)
	TicketWork            Action = "ticket.work"             // work the help desk: every ticket, internal notes, status, assignment, filing for others
	TicketAgencyList      Action = "ticket.agency_list"      // list all tickets of Target.AgencyID on the reporter's pages ("Tiket instansi"): its admin or head
	TeamWrite             Action = "team.write"              // create help desk teams and name their members
	RosterWrite           Action = "roster.write"            // add or remove shifts of a team's on-call roster (Target.TeamLead)
	TokenManage           Action = "token.manage"            // create, list, revoke the API tokens of account Target.AccountID
	SLAManage             Action = "sla.manage"              // set the SLA policies and the holidays their working-hours clocks skip
	ArticleWrite          Action = "article.write"           // write knowledge articles and read their drafts (an FAQ from a ticket)
	CannedManage          Action = "canned.manage"           // add, edit, remove the canned replies of a team (Target.TeamMember: the actor is in it)
	ReportView            Action = "report.view"             // read the help desk's reports of Target.AgencyID's tickets (0: the whole city)
	ArticleEdit           Action = "article.edit"            // change an article's text and links (Target.Published: it is public; Target.Reviewer: the actor reviews its category)
	ArticlePublish        Action = "article.publish"         // publish an article, return it to draft or unpublish it (Target.Reviewer)
	ArticleDelete         Action = "article.delete"          // delete an article (Target.Author, Target.Published)
	ArticleCategoryManage Action = "article.category.manage" // create, change, order the knowledge base's categories and name their reviewers
	SpaceRead             Action = "space.read"              // read (and so post in) a discussion space described by Target.Space
	SpaceModerate         Action = "space.moderate"          // hide posts, lock, pin, move threads, work reports of a space (Target.Space)
	SpaceAdmin            Action = "space.admin"             // create a space at Target.Space's level, edit it, name its members and moderators
	MeetingManage         Action = "meeting.manage"          // change, cancel, write the notes of a meeting in Target.Space (Target.Organizer: the actor organizes it)
	SpacePromote          Action = "space.promote"           // make a draft article of what was said in Target.Space: a thread, a meeting's notes (the draft is read by every article writer)
	CompetencyManage      Action = "competency.manage"       // edit and version the competency framework
	RequirementManage     Action = "requirement.manage"      // say which level positions, roles and applications need, city-wide (Target.AgencyID 0) or in an agency
	CompetencyVerify      Action = "competency.verify"       // verify the level of person Target.EmployeeID of Target.AgencyID (Target.Supervisor: the actor is their direct supervisor)
	DevelopmentView       Action = "development.view"        // see the competency profile, gaps and JP of person Target.EmployeeID, of agency Target.AgencyID, or (both 0) of the city
	ActivityManage        Action = "activity.manage"         // add and change learning activities and events provided by Target.AgencyID (0: the city)
	EventManage           Action = "event.manage"            // run an event of Target.AgencyID: change, cancel, enrol directly, mark attendance, scores, finish, issue certificates (Target.Trainer, Target.Organizer)
	EnrolmentNominate     Action = "enrolment.nominate"      // nominate person Target.EmployeeID of Target.AgencyID for an event, or withdraw the nomination
	EnrolmentApprove      Action = "enrolment.approve"       // approve or decline the nomination of a person of Target.AgencyID
	MentoringManage       Action = "mentoring.manage"        // assign a trainer placed in Target.AgencyID their mentees
	MentoringLog          Action = "mentoring.log"           // log a mentoring session with person Target.EmployeeID (Target.Trainer: the actor mentors them)
)

// Target is what an action is done to: the agency it belongs to and, where
// it matters, the person or the role.
//
// Grants are the roles held by the account of the person acted on (nil when
// they have none, or when the action is not done to an existing person).
// A service acting on an existing person through EmployeeWrite,
// EmployeeImport, EmployeeTransfer, AccountManage or AppOperatorWrite must
// load them in the transaction that acts: the answer depends on them.
type Target struct {
	AgencyID   int64
	EmployeeID int64
	AccountID  int64 // the account acted on, where the action is about an account
	Role       Role
	Grants     []Grant
	// TeamMember says the actor is a member (or the lead) of the help desk
	// team acted on; the service loads it in the transaction that acts.
	TeamMember bool
	// Follower says the actor follows the ticket acted on without having
	// reported it: their duplicate was merged into it.
	Follower bool
	// TeamLead says the actor leads the help desk team acted on (RosterWrite).
	TeamLead bool
	// Reviewer says the actor is one of the reviewers the category of the
	// article acted on names; Author that they wrote it; Published that it
	// is public now. The knowledge service loads them in the transaction.
	Reviewer, Author, Published bool
	// Space describes the discussion space acted on (SpaceRead,
	// SpaceModerate, SpaceAdmin); with it, AgencyID is the agency of an
	// agency space or the owner agency of an application's space, and
	// TeamMember and TeamLead are about a team space's team.
	Space SpaceFacts
	// Organizer says the actor organizes the meeting (or created the
	// training event) acted on.
	Organizer bool
	// Supervisor says the actor is the direct supervisor of the person
	// acted on (employees.supervisor_id).
	Supervisor bool
	// Trainer says the actor is one of the trainers of the event acted on,
	// or the mentor of the person acted on.
	Trainer bool
}

// Can reports whether a may do act to t.
func Can(a *Actor, act Action, t Target) bool {
	if a == nil {
		return false
	}
	if a.IsSuper() {
		return true
	}
	admin := t.AgencyID != 0 && a.HasIn(AgencyAdmin, t.AgencyID)
	switch act {
	case EmployeeWrite, EmployeeImport, EmployeeTransfer, AppOperatorWrite, AccountManage:
		return admin && ordinaryFor(a, t.Grants)
	case AppWrite:
		return admin || a.Has(Expert)
	case EmployeeViewPrivate:
		return (t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID) || a.CityWide() ||
			admin || (t.AgencyID != 0 && a.HasIn(AgencyHead, t.AgencyID))
	case RoleGrant:
		// An agency admin hands out the everyday roles of their own agency;
		// admins, heads and city-wide roles are granted by the superadmin.
		return admin && (t.Role == Employee || t.Role == Operator || t.Role == Trainer)
	case TokenManage:
		// Tokens act with all of their owner's rights: only the owner (and
		// the superadmin) makes, sees or revokes them, never an agency admin.
		return a.AccountID != 0 && a.AccountID == t.AccountID
	case TicketCreate:
		return true // anyone signed in may ask for help
	case TicketView, TicketReply:
		// A follower sees and answers the public side, as its reporter does.
		return (t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID) || a.Has(Agent) || a.Has(Expert) ||
			(t.AgencyID != 0 && (admin || a.HasIn(AgencyHead, t.AgencyID))) || t.Follower
	case TicketContact:
		// An outside caller's phone and email are for those who answer them
		// and their agency's leaders, not for a follower of the ticket.
		return (t.EmployeeID != 0 && t.EmployeeID == a.EmployeeID) || a.Has(Agent) || a.Has(Expert) ||
			(t.AgencyID != 0 && (admin || a.HasIn(AgencyHead, t.AgencyID)))
	case TicketAgencyList:
		return t.AgencyID != 0 && (admin || a.HasIn(AgencyHead, t.AgencyID))
	case CannedManage:
		// A team keeps its own answers: its members who work the help desk
		// (a lead too), not the agents of other teams.
		return t.TeamMember && (a.Has(Agent) || a.Has(Expert))
	case TicketWork:
		return a.Has(Agent) || a.Has(Expert)
	case ArticleWrite:
		// Authors: those who run the applications (operators), teach them
		// (trainers), support them (agents) and the expert team.
		return a.Has(Operator) || a.Has(Trainer) || a.Has(Agent) || a.Has(Expert)
	case ArticleEdit:
		// A draft or an article in review is the writers' common work; a
		// published one changes only through those who may publish it, so
		// nothing goes public unreviewed.
		if t.Published {
			return Can(a, ArticlePublish, t)
		}
		return Can(a, ArticleWrite, t)
	case ArticlePublish:
		// A category's reviewers publish its articles; the expert team
		// answers for the whole knowledge base (and covers a category
		// whose reviewers are away). Reviewers are named among writers.
		return (t.Reviewer && Can(a, ArticleWrite, t)) || a.Has(Expert)
	case ArticleDelete:
		// An author takes back their own unpublished draft; anything else
		// (a published article has readers, votes, views) is the experts'.
		return a.Has(Expert) || (t.Author && !t.Published && Can(a, ArticleWrite, t))
	case ArticleCategoryManage:
		return a.Has(Expert)
	case RosterWrite:
		// A team's lead plans its roster; other teams' rosters, and the
		// routing of tickets between teams, are the superadmin's.
		return t.TeamLead && (a.Has(Agent) || a.Has(Expert))
	case ReportView:
		// Reports count tickets and show none of them: the help desk and
		// the executives read the whole city's; an agency's admin or head
		// reads the figures of their own agency's tickets only.
		if a.Has(Agent) || a.Has(Expert) || a.Has(Executive) {
			return true
		}
		return t.AgencyID != 0 && (admin || a.HasIn(AgencyHead, t.AgencyID))
	case SpaceRead:
		return canReadSpace(a, t)
	case SpaceModerate:
		return t.Space.Moderator || canAdminSpace(a, t)
	case SpaceAdmin:
		return canAdminSpace(a, t)
	case MeetingManage:
		return canManageMeeting(a, t)
	case SpacePromote:
		return canPromoteSpace(a, t)
	case CompetencyManage, RequirementManage, CompetencyVerify, DevelopmentView, ActivityManage, EventManage,
		EnrolmentNominate, EnrolmentApprove, MentoringManage, MentoringLog:
		return canDevelop(a, act, t)
	case VisionEdit, RegulationManage, AnnouncementPost, ReviewManage, FollowUpReport, RecognitionGive, IdeaAnswer,
		LessonWrite, SurveyManage, SurveyResults, TargetManage, InsightView, EvidenceView:
		return canLead(a, act, t)
	case LearningRecord:
		return canRecordLearning(a, t)
	case PathAssign:
		return canAssignPath(a, t)
	case SelfStudyComplete:
		return canCompleteSelfStudy(a, t)
	case AuditRead:
		if t.AgencyID == 0 {
			return a.Has(Executive)
		}
		return a.Has(Executive) || admin || a.HasIn(AgencyHead, t.AgencyID)
	}
	return false // AgencyWrite, TeamWrite, SLAManage, AuditContentRead and anything unknown: superadmin only
}

// TicketScope says which tickets a may list, the same rule as TicketView:
// all of them (agents, experts, the superadmin), else those a reported and
// those of the agencies a administers or heads.
func TicketScope(a *Actor) (all bool, agencies []int64) {
	if a == nil {
		return false, nil
	}
	if a.IsSuper() || a.Has(Agent) || a.Has(Expert) {
		return true, nil
	}
	return false, a.AgenciesWith(AgencyAdmin, AgencyHead)
}

// ordinaryFor reports whether a person holding grants is someone an agency
// admin a may manage: every role they hold is an everyday one (employee,
// operator, trainer) of an agency a administers. Without this rule the
// agency where a person works would be the only thing an admin is checked
// against, and the superadmin, the executive and the city-wide staff all
// work in Kominfo; its admin could reset their passwords or change the
// email they sign in with, and any admin could do so to their own agency
// head or a fellow admin (review finding C1). Changing such a person, or
// anyone who also holds a role in another agency, is the superadmin's.
// A person without an account (no grants) is ordinary.
func ordinaryFor(a *Actor, grants []Grant) bool {
	for _, g := range grants {
		everyday := g.Role == Employee || g.Role == Operator || g.Role == Trainer
		if !everyday || g.AgencyID == 0 || !a.HasIn(AgencyAdmin, g.AgencyID) {
			return false
		}
	}
	return true
}

// Check returns a Forbidden error unless a may do act to t.
func Check(a *Actor, act Action, t Target) error {
	if a == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	if !Can(a, act, t) {
		return errs.New(errs.Forbidden, "forbidden")
	}
	return nil
}
