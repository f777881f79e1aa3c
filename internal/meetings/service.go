package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service schedules meetings and keeps their invitees told.
type Service struct {
	db     *db.DB
	actors discuss.ActorLoader // who invitees are, to ask whether they may read the space
	zone   *time.Location
}

// NewService returns the meetings service over d; actors loads people in
// the caller's transaction (auth.ActorsIn); times in notifications and
// forms are read in zone, the city's.
func NewService(d *db.DB, actors discuss.ActorLoader, zone *time.Location) *Service {
	return &Service{db: d, actors: actors, zone: zone}
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Link is a meeting's page.
func Link(id int64) string { return "/rapat/" + strconv.FormatInt(id, 10) }

// Schedule creates a meeting in space spaceID, invites people and tells
// them, in one transaction. Anyone who may read the space may schedule
// one there; everyone invited must be able to read it too.
func (s *Service) Schedule(ctx context.Context, actor *policy.Actor, spaceID int64, in Input) (Meeting, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		space, _, err := discuss.ReadableSpace(ctx, tx, actor, spaceID)
		if err != nil {
			return err
		}
		at := now()
		if err := in.validate(at, true); err != nil {
			return err
		}
		people, err := s.invitees(ctx, tx, actor, space, in)
		if err != nil {
			return err
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO meetings (space_id, title, starts_at, ends_at, link, agenda,
			organizer_account_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			space.ID, in.Title, in.StartsAt, in.EndsAt, in.Link, in.Agenda, actor.AccountID, at)
		if err != nil {
			return fmt.Errorf("meetings: schedule: %w", err)
		}
		if err := invite(ctx, tx, id, people, at); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, people, "meeting.invited", id, in.Title, in.StartsAt, space); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "meeting", EntityID: id,
			AgencyID: space.OwnerAgencyID, After: in})
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// Update changes a meeting and invites the people newly listed; those
// already invited hear of a new time or link. A cancelled meeting stays as
// it is (Conflict).
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, in Input) (Meeting, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, space, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if m.CancelledAt != nil {
			return errs.New(errs.Conflict, "meeting.cancelled")
		}
		moved := !in.StartsAt.Equal(m.StartsAt)
		at := now()
		if err := in.validate(at, moved); err != nil {
			return err
		}
		people, err := s.invitees(ctx, tx, actor, space, in)
		if err != nil {
			return err
		}
		old, err := invitees(ctx, tx, id)
		if err != nil {
			return err
		}
		var known []int64
		for _, i := range old {
			known = append(known, i.AccountID)
		}
		people = slices.DeleteFunc(people, func(a int64) bool { return slices.Contains(known, a) })
		// A meeting moved later is reminded again before its new start.
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET title = $1, starts_at = $2, ends_at = $3, link = $4,
			agenda = $5, sequence = sequence + 1, updated_at = $6,
			reminded_at = CASE WHEN $7 THEN NULL ELSE reminded_at END WHERE id = $8`,
			in.Title, in.StartsAt, in.EndsAt, in.Link, in.Agenda, at, moved, id); err != nil {
			return fmt.Errorf("meetings: update %d: %w", id, err)
		}
		if err := invite(ctx, tx, id, people, at); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, people, "meeting.invited", id, in.Title, in.StartsAt, space); err != nil {
			return err
		}
		if moved || in.Link != m.Link || !in.EndsAt.Equal(m.EndsAt) {
			if err := s.tell(ctx, tx, known, "meeting.changed", id, in.Title, in.StartsAt, space); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "meeting", EntityID: id,
			AgencyID: space.OwnerAgencyID, Before: inputOf(m), After: in})
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// Cancel calls a meeting off and tells its invitees.
func (s *Service) Cancel(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, space, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if m.CancelledAt != nil {
			return errs.New(errs.Conflict, "meeting.cancelled")
		}
		if !m.EndsAt.After(now()) {
			return errs.New(errs.Conflict, "meeting.over")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET cancelled_at = $1, sequence = sequence + 1,
			updated_at = $1 WHERE id = $2`, now(), id); err != nil {
			return fmt.Errorf("meetings: cancel %d: %w", id, err)
		}
		list, err := invitees(ctx, tx, id)
		if err != nil {
			return err
		}
		var ids []int64
		for _, i := range list {
			ids = append(ids, i.AccountID)
		}
		if err := s.tell(ctx, tx, ids, "meeting.cancelled", id, m.Title, m.StartsAt, space); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "cancel", Entity: "meeting", EntityID: id,
			AgencyID: space.OwnerAgencyID, Before: inputOf(m)})
	})
}

// Respond records an invitee's answer (Yes, Maybe, No).
func (s *Service) Respond(ctx context.Context, actor *policy.Actor, id int64, response string) error {
	if !slices.Contains(Responses, response) {
		return errs.FieldErr("response", "meeting.response_invalid")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, _, err := s.readable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		switch {
		case m.CancelledAt != nil:
			return errs.New(errs.Conflict, "meeting.cancelled")
		case !m.EndsAt.After(now()):
			return errs.New(errs.Conflict, "meeting.over")
		}
		res, err := tx.ExecContext(ctx, `UPDATE meeting_invitees SET response = $1 WHERE meeting_id = $2 AND account_id = $3`,
			response, id, actor.AccountID)
		if err != nil {
			return fmt.Errorf("meetings: respond to %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Forbidden, "meeting.not_invited")
		}
		return nil
	})
}

// SaveNotes keeps what was said and decided, once the meeting has begun.
func (s *Service) SaveNotes(ctx context.Context, actor *policy.Actor, id int64, notes string) error {
	notes = strings.TrimSpace(notes)
	if utf8.RuneCountInString(notes) > maxNotes {
		return errs.FieldErr("notes", "meeting.notes_long", maxNotes)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, space, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !m.Past(now()) {
			return errs.New(errs.Conflict, "meeting.not_started")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET notes = $1, updated_at = $2 WHERE id = $3`,
			notes, now(), id); err != nil {
			return fmt.Errorf("meetings: notes of %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "notes", Entity: "meeting", EntityID: id,
			AgencyID: space.OwnerAgencyID, Before: map[string]string{"notes": m.Notes}, After: map[string]string{"notes": notes}})
	})
}

// Get returns a meeting the actor may see, with its invitees and the
// article made from its notes.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Meeting, error) {
	m, _, err := s.readable(ctx, s.db.R, actor, id)
	if err != nil {
		return Meeting{}, err
	}
	if m.Invitees, err = invitees(ctx, s.db.R, id); err != nil {
		return Meeting{}, err
	}
	if m.ArticleID, err = articleOf(ctx, s.db.R, id); err != nil {
		return Meeting{}, err
	}
	m.AgendaHTML, m.NotesHTML = markdown.Render(m.Agenda), markdown.Render(m.Notes)
	return m, nil
}

// CanManage reports whether actor may change meeting m.
func (s *Service) CanManage(ctx context.Context, actor *policy.Actor, m Meeting) (bool, error) {
	space, err := discuss.SpaceByID(ctx, s.db.R, m.SpaceID)
	if err != nil {
		return false, err
	}
	t, err := discuss.Target(ctx, s.db.R, actor, space)
	if err != nil {
		return false, err
	}
	t.Organizer = actor != nil && actor.AccountID == m.OrganizerID
	return policy.Can(actor, policy.MeetingManage, t), nil
}

// CanPromote reports whether actor may make meeting m's notes an article
// (policy.SpacePromote in its space).
func (s *Service) CanPromote(ctx context.Context, actor *policy.Actor, m Meeting) (bool, error) {
	space, err := discuss.SpaceByID(ctx, s.db.R, m.SpaceID)
	if err != nil {
		return false, err
	}
	err = s.mayPromote(ctx, s.db.R, actor, space)
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Unauthorized) {
		return false, nil
	}
	return err == nil, err
}

// InSpace lists a space's upcoming meetings (past: the ones that ended).
func (s *Service) InSpace(ctx context.Context, actor *policy.Actor, spaceID int64, past bool, p db.Page) ([]Meeting, string, error) {
	if _, _, err := discuss.ReadableSpace(ctx, s.db.R, actor, spaceID); err != nil {
		return nil, "", err
	}
	return listMeetings(ctx, s.db.R, listFilter{SpaceID: &spaceID, Now: now(), Past: past}, p)
}

// Mine lists the meetings the actor organizes or is invited to that have
// not ended (past: that have).
func (s *Service) Mine(ctx context.Context, actor *policy.Actor, past bool, p db.Page) ([]Meeting, string, error) {
	if actor == nil || actor.AccountID == 0 {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	list, next, err := listMeetings(ctx, s.db.R, listFilter{AccountID: &actor.AccountID, Now: now(), Past: past}, p)
	if err != nil {
		return nil, "", err
	}
	// An invitation outlives a person's place in a closed room; the meeting
	// does not show to them once they may no longer read the room (a page
	// may then hold fewer rows; its cursor still follows the last one read).
	readable := map[int64]bool{}
	kept := list[:0]
	for _, m := range list {
		ok, seen := readable[m.SpaceID]
		if !seen {
			space, err := discuss.SpaceByID(ctx, s.db.R, m.SpaceID)
			if err != nil {
				return nil, "", err
			}
			if ok, err = discuss.CanRead(ctx, s.db.R, actor, space); err != nil {
				return nil, "", err
			}
			readable[m.SpaceID] = ok
		}
		if ok {
			kept = append(kept, m)
		}
	}
	return kept, next, nil
}

// readable loads meeting id if actor may read its space (NotFound if not,
// so a closed room's meetings are not told of).
func (s *Service) readable(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Meeting, discuss.Space, error) {
	m, err := findMeeting(ctx, q, id)
	if err != nil {
		return Meeting{}, discuss.Space{}, err
	}
	space, _, err := discuss.ReadableSpace(ctx, q, actor, m.SpaceID)
	if errs.Is(err, errs.NotFound) {
		return Meeting{}, discuss.Space{}, errs.New(errs.NotFound, "meeting.not_found")
	}
	return m, space, err
}

// manageable holds meeting id's row until q's transaction ends and loads it
// for a change the actor must be allowed. Changes take turns on the row,
// each reading what the one before left: a meeting cancelled twice at once
// is cancelled, its invitees told, and its calendar sequence moved once;
// asked twice at once for its article, it makes one.
func (s *Service) manageable(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Meeting, discuss.Space, error) {
	if err := db.HoldRow(ctx, q, "meetings", id); err != nil {
		return Meeting{}, discuss.Space{}, err
	}
	m, space, err := s.readable(ctx, q, actor, id)
	if err != nil {
		return Meeting{}, discuss.Space{}, err
	}
	t, err := discuss.Target(ctx, q, actor, space)
	if err != nil {
		return Meeting{}, discuss.Space{}, err
	}
	t.Organizer = actor.AccountID == m.OrganizerID
	if err := policy.Check(actor, policy.MeetingManage, t); err != nil {
		return Meeting{}, discuss.Space{}, err
	}
	return m, space, nil
}

func inputOf(m Meeting) Input {
	return Input{Title: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt, Link: m.Link, Agenda: m.Agenda}
}
