package helpdesk

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/calendar"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// Service holds the help desk's rules. Its clocks on working hours run in
// zone on week (see calendar.go).
type Service struct {
	db    *db.DB
	files FileLimits // zero: DefaultFileLimits
	zone  *time.Location
	week  calendar.Week
}

// NewService returns the help desk over d.
func NewService(d *db.DB) *Service {
	return &Service{db: d, zone: cityZone(), week: calendar.DefaultWeek}
}

// now is the time of a change, at the microsecond both engines store, so the
// ticket a method returns equals the one read back.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// CreateTicket files a ticket. A reporter files for themselves; filing for
// someone else (an account, or an outside contact by phone or email) or
// routing to a team is the help desk's work. The SLA dues come from the
// priority's policy, the agency from the reporter's person.
func (s *Service) CreateTicket(ctx context.Context, actor *policy.Actor, in TicketInput) (Ticket, error) {
	in.normalize()
	if err := policy.Check(actor, policy.TicketCreate, policy.Target{}); err != nil {
		return Ticket{}, err
	}
	v := in.validate()
	files := s.checkFiles(v, in.Attachments)
	if err := v.Err(); err != nil {
		return Ticket{}, err
	}
	// Urgency is the help desk's call: it sets the tightest SLA, so a
	// reporter who may not work tickets cannot claim it.
	if in.Priority == "urgent" && !policy.Can(actor, policy.TicketWork, policy.Target{}) {
		return Ticket{}, errs.FieldErr("priority", "one_of", choices{"priority", ReporterPriorities})
	}
	if in.onBehalf() {
		if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
			return Ticket{}, err
		}
	} else if actor.AccountID == 0 {
		return Ticket{}, errs.FieldErr("reporter_id", "ticket.reporter")
	} else {
		in.ReporterID = &actor.AccountID
	}
	if in.ReporterID == nil && in.ContactPhone == "" && in.ContactEmail == "" {
		return Ticket{}, errs.FieldErr("reporter_id", "ticket.reporter")
	}
	tags, _ := normalizeTags(in.Tags)
	at := now()
	t := Ticket{Subject: in.Subject, Body: in.Body, Status: StatusNew, Priority: in.Priority, Category: in.Category,
		Channel: in.Channel, AppID: in.AppID, TeamID: in.TeamID, ReporterID: in.ReporterID, AgencyID: in.AgencyID,
		ContactName: in.ContactName, ContactPhone: in.ContactPhone, ContactEmail: in.ContactEmail, Tags: tags,
		Version: 1, CreatedAt: at, UpdatedAt: at}
	// Filing is the help desk's hottest write: it goes through the group
	// committer, which commits a burst of tickets together.
	err := s.db.Group(ctx, func(ctx context.Context, tx db.Querier) error {
		if err := s.checkRefs(ctx, tx, &t); err != nil {
			return err
		}
		if err := s.setDues(ctx, tx, &t); err != nil {
			return err
		}
		routed, err := s.routeNew(ctx, tx, &t)
		if err != nil {
			return err
		}
		if err := insertTicket(ctx, tx, &t); err != nil {
			return fmt.Errorf("helpdesk: create ticket: %w", err)
		}
		if t.Attachments, err = storeFiles(ctx, tx, actor, t, nil, files, at); err != nil {
			return err
		}
		ev := []Event{{Actor: authorName(actor), Kind: "created", New: t.Status, At: at}}
		if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
			return fmt.Errorf("helpdesk: history: %w", err)
		}
		if err := routed.record(ctx, tx, t); err != nil {
			return err
		}
		if err := search.Put(ctx, tx, TicketDoc(t, nil, nil)); err != nil {
			return err
		}
		if err := notify.Send(ctx, tx, notices(actor, t, ev)...); err != nil {
			return err
		}
		if err := s.pageUrgent(ctx, tx, actor, t); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID), After: t}); err != nil {
			return err
		}
		if in.After != nil {
			return in.After(ctx, tx, t)
		}
		return nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return t, nil
}

// checkRefs checks that the application, team and reporter named exist,
// and fills in the reporter's person and agency.
func (s *Service) checkRefs(ctx context.Context, q db.Querier, t *Ticket) error {
	var v errs.Validation
	for _, ref := range []struct {
		field, table string
		id           *int64
	}{{"app_id", "apps", t.AppID}, {"team_id", "teams", t.TeamID}, {"agency_id", "agencies", t.AgencyID}} {
		if ref.id == nil {
			continue
		}
		ok, err := exists(ctx, q, ref.table, *ref.id)
		if err != nil {
			return fmt.Errorf("helpdesk: %s: %w", ref.field, err)
		}
		if !ok {
			v.Add(ref.field, "ticket.unknown")
		}
	}
	if t.ReporterID != nil {
		agency, employee, name, ok, err := reporter(ctx, q, *t.ReporterID)
		if err != nil {
			return fmt.Errorf("helpdesk: reporter: %w", err)
		}
		if !ok {
			v.Add("reporter_id", "ticket.unknown")
		}
		t.AgencyID, t.ReporterEmployeeID, t.ReporterName = &agency, employee, name
	}
	return v.Err()
}

func accountOf(a *policy.Actor) *int64 {
	if a == nil || a.AccountID == 0 {
		return nil
	}
	return &a.AccountID
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// target is what the policy is asked about for a ticket.
func target(t Ticket) policy.Target {
	return policy.Target{AgencyID: deref(t.AgencyID), EmployeeID: t.ReporterEmployeeID, Follower: t.follower}
}

// visible loads a ticket the actor may see. A ticket they may not see is
// NotFound, as if it did not exist, so numbers reveal nothing.
func (s *Service) visible(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Ticket, error) {
	if actor == nil {
		return Ticket{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	t, err := findTicket(ctx, q, id)
	if err != nil {
		return Ticket{}, err
	}
	if !policy.Can(actor, policy.TicketView, target(t)) {
		// Only then ask whether they follow it: most readers need not.
		if t.follower, err = follows(ctx, q, t.ID, actor.AccountID); err != nil {
			return Ticket{}, err
		}
		if !policy.Can(actor, policy.TicketView, target(t)) {
			return Ticket{}, errs.New(errs.NotFound, "ticket.not_found")
		}
	}
	return t, nil
}

// hideContact blanks how to reach a ticket's outside caller for a viewer
// who may see the ticket but not them (a follower): every read of tickets
// for someone goes through it.
func hideContact(actor *policy.Actor, t *Ticket) {
	if !policy.Can(actor, policy.TicketContact, target(*t)) {
		t.ContactName, t.ContactPhone, t.ContactEmail = "", "", ""
	}
}

// GetTicket returns a ticket by its number with its conversation and
// history. Internal notes are only for those who work the help desk.
func (s *Service) GetTicket(ctx context.Context, actor *policy.Actor, number string) (Ticket, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, err
	}
	t, err := s.visible(ctx, s.db.R, actor, id)
	if err != nil {
		return Ticket{}, err
	}
	hideContact(actor, &t)
	agent := policy.Can(actor, policy.TicketWork, target(t))
	if t.Messages, err = messages(ctx, s.db.R, t.ID, agent); err != nil {
		return Ticket{}, err
	}
	if t.History, err = history(ctx, s.db.R, t.ID, agent); err != nil {
		return Ticket{}, err
	}
	if t.Attachments, err = attachments(ctx, s.db.R, t.ID, agent); err != nil {
		return Ticket{}, err
	}
	return t, nil
}
