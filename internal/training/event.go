package training

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Event is a training event as its page and the API show it.
type Event struct {
	ID            int64             `json:"id"`
	ActivityID    *int64            `json:"activity_id"`
	Kind          string            `json:"kind"`
	Title         string            `json:"title"`
	Description   string            `json:"description"` // Markdown
	StartsAt      time.Time         `json:"starts_at"`
	EndsAt        time.Time         `json:"ends_at"`
	Place         string            `json:"place"`
	Link          string            `json:"link"`
	Capacity      int               `json:"capacity"`
	JP            int               `json:"jp"`
	AgencyID      *int64            `json:"agency_id"` // the organizer; null: the city, open to every agency
	AgencyName    string            `json:"agency_name"`
	SelfEnrol     bool              `json:"self_enrol"`
	NeedsApproval bool              `json:"needs_approval"`
	CancelledAt   *time.Time        `json:"cancelled_at"`
	FinishedAt    *time.Time        `json:"finished_at"`
	Sequence      int               `json:"-"`
	CreatedBy     int64             `json:"created_by"`
	Enrolled      int               `json:"enrolled"`   // seats taken (enrolled or completed)
	Waitlisted    int               `json:"waitlisted"` // people in line
	Sessions      []Session         `json:"sessions"`
	Competencies  []CompetencyLevel `json:"competencies"`
	Trainers      []Trainer         `json:"trainers"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`

	DescriptionHTML template.HTML `json:"-"`
}

// Free is the number of seats left.
func (e Event) Free() int { return max(e.Capacity-e.Enrolled, 0) }

// Open reports whether the event still takes changes: not cancelled, not
// finished.
func (e Event) Open() bool { return e.CancelledAt == nil && e.FinishedAt == nil }

// Session is one sitting of an event.
type Session struct {
	ID       int64     `json:"id"`
	EventID  int64     `json:"event_id"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Place    string    `json:"place"`
	Link     string    `json:"link"`
}

// Trainer is a trainer of an event.
type Trainer struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
}

// CreateEvent schedules an event with its sessions, competencies and
// trainers (the creator, when they are a trainer and none are named).
func (s *Service) CreateEvent(ctx context.Context, actor *policy.Actor, in EventInput) (Event, error) {
	if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: deref(in.AgencyID)}); err != nil {
		return Event{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := in.fromActivity(ctx, tx); err != nil {
			return err
		}
		var v errs.Validation
		in.validate(&v, true)
		comps, err := resolveCompetencies(ctx, tx, &v, in.Competencies)
		if err != nil {
			return err
		}
		if len(in.Trainers) == 0 && actor.Has(policy.Trainer) && actor.AccountID != 0 {
			in.Trainers = []int64{actor.AccountID}
		}
		if err := checkTrainers(ctx, tx, &v, in.Trainers); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		needs := in.NeedsApproval == nil || *in.NeedsApproval
		sessions := in.sessions()
		at := now()
		id, err = db.InsertID(ctx, tx, `INSERT INTO events (activity_id, kind, title, description, starts_at, ends_at,
			place, link, capacity, jp, agency_id, self_enrol, needs_approval, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			in.ActivityID, in.Kind, in.Title, in.Description, sessions[0].StartsAt, sessions[len(sessions)-1].EndsAt,
			in.Place, in.Link, in.Capacity, in.JP, in.AgencyID, in.SelfEnrol, needs, db.NullID(actor.AccountID), at)
		if err != nil {
			if s.db.Dialect.ForeignKeyViolation(err) {
				return errs.FieldErr("agency_id", "training.agency_unknown")
			}
			return fmt.Errorf("training: create event: %w", err)
		}
		for _, ss := range sessions {
			if _, err := insertSession(ctx, tx, id, ss, at); err != nil {
				return err
			}
		}
		if err := setCompetencies(ctx, tx, "event_competencies", "event_id", id, comps); err != nil {
			return err
		}
		if err := setTrainers(ctx, tx, id, in.Trainers); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "event", EntityID: id,
			AgencyID: deref(in.AgencyID), After: in})
	})
	if err != nil {
		return Event{}, err
	}
	return s.Event(ctx, actor, id)
}

// UpdateEvent changes an event's description, seats, JP, rules,
// competencies and trainers; its times are its sessions'. Seats may not
// drop below the places taken; more seats serve the waitlist at once.
func (s *Service) UpdateEvent(ctx context.Context, actor *policy.Actor, id int64, in EventInput) (Event, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.managed(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		var v errs.Validation
		in.validate(&v, false)
		if in.Capacity < e.Enrolled && !v.Has("capacity") {
			v.Add("capacity", "training.capacity_below_taken", e.Enrolled)
		}
		comps, err := resolveCompetencies(ctx, tx, &v, in.Competencies)
		if err != nil {
			return err
		}
		if err := checkTrainers(ctx, tx, &v, in.Trainers); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		needs := in.NeedsApproval == nil || *in.NeedsApproval
		if _, err := tx.ExecContext(ctx, `UPDATE events SET kind = $1, title = $2, description = $3, place = $4,
			link = $5, capacity = $6, jp = $7, self_enrol = $8, needs_approval = $9, sequence = sequence + 1,
			updated_at = $10 WHERE id = $11`, in.Kind, in.Title, in.Description, in.Place, in.Link, in.Capacity, in.JP,
			in.SelfEnrol, needs, now(), id); err != nil {
			return fmt.Errorf("training: update event %d: %w", id, err)
		}
		if err := setCompetencies(ctx, tx, "event_competencies", "event_id", id, comps); err != nil {
			return err
		}
		if err := setTrainers(ctx, tx, id, in.Trainers); err != nil {
			return err
		}
		if err := s.promote(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "event", EntityID: id,
			AgencyID: deref(e.AgencyID), Before: inputOf(e), After: in})
	})
	if err != nil {
		return Event{}, err
	}
	return s.Event(ctx, actor, id)
}

// CancelEvent calls an event off and tells everyone holding or awaiting a
// place, and its trainers.
func (s *Service) CancelEvent(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.managed(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET cancelled_at = $1, sequence = sequence + 1, updated_at = $1
			WHERE id = $2`, now(), id); err != nil {
			return fmt.Errorf("training: cancel event %d: %w", id, err)
		}
		people, err := participantAccounts(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := s.tell(ctx, tx, people, "training.event_cancelled", e); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "cancel", Entity: "event", EntityID: id,
			AgencyID: deref(e.AgencyID), Before: inputOf(e)})
	})
}

// Event returns an event with its sessions, competencies and trainers.
func (s *Service) Event(ctx context.Context, actor *policy.Actor, id int64) (Event, error) {
	if actor == nil {
		return Event{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	e, err := findEvent(ctx, s.db.R, id)
	if err != nil {
		return Event{}, err
	}
	if err := fillEvents(ctx, s.db.R, []*Event{&e}); err != nil {
		return Event{}, err
	}
	if e.Sessions, err = sessionsOf(ctx, s.db.R, id); err != nil {
		return Event{}, err
	}
	return e, nil
}

// CanManage reports whether actor runs event e (policy.EventManage).
func (s *Service) CanManage(ctx context.Context, actor *policy.Actor, e Event) (bool, error) {
	t, err := eventTarget(ctx, s.db.R, actor, e)
	if err != nil {
		return false, err
	}
	return policy.Can(actor, policy.EventManage, t), nil
}

// managed loads event id for a change actor must be allowed to make;
// with open, a cancelled or finished event refuses (Conflict). The event
// row is locked first, so changes to one event's seats never interleave.
func (s *Service) managed(ctx context.Context, q db.Querier, actor *policy.Actor, id int64, open bool) (Event, error) {
	e, err := lockEvent(ctx, q, id)
	if err != nil {
		return Event{}, err
	}
	t, err := eventTarget(ctx, q, actor, e)
	if err != nil {
		return Event{}, err
	}
	if err := policy.Check(actor, policy.EventManage, t); err != nil {
		return Event{}, err
	}
	if open {
		if err := openCheck(e); err != nil {
			return Event{}, err
		}
	}
	return e, nil
}

func openCheck(e Event) error {
	switch {
	case e.CancelledAt != nil:
		return errs.New(errs.Conflict, "training.event_cancelled")
	case e.FinishedAt != nil:
		return errs.New(errs.Conflict, "training.event_finished")
	}
	return nil
}

// eventTarget describes event e for policy: its agency, and whether actor
// trains it or made it.
func eventTarget(ctx context.Context, q db.Querier, actor *policy.Actor, e Event) (policy.Target, error) {
	t := policy.Target{AgencyID: deref(e.AgencyID)}
	if actor == nil || actor.AccountID == 0 {
		return t, nil
	}
	t.Organizer = e.CreatedBy == actor.AccountID
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_trainers WHERE event_id = $1 AND account_id = $2`,
		e.ID, actor.AccountID).Scan(&n); err != nil {
		return t, fmt.Errorf("training: trainers of %d: %w", e.ID, err)
	}
	t.Trainer = n > 0
	return t, nil
}

func inputOf(e Event) EventInput {
	needs := e.NeedsApproval
	return EventInput{Title: e.Title, Kind: e.Kind, StartsAt: e.StartsAt, EndsAt: e.EndsAt, Capacity: e.Capacity,
		JP: e.JP, ActivityID: e.ActivityID, AgencyID: e.AgencyID, Description: e.Description, Place: e.Place,
		Link: e.Link, SelfEnrol: e.SelfEnrol, NeedsApproval: &needs}
}

// checkTrainers checks that every account named holds the trainer role.
func checkTrainers(ctx context.Context, q db.Querier, v *errs.Validation, accounts []int64) error {
	for _, a := range accounts {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id
			WHERE g.account_id = $1 AND g.role = 'trainer' AND a.active = TRUE`, a).Scan(&n); err != nil {
			return fmt.Errorf("training: trainer %d: %w", a, err)
		}
		if n == 0 {
			v.Add("trainer_account_ids", "training.not_a_trainer", a)
		}
	}
	return nil
}

func setTrainers(ctx context.Context, q db.Querier, eventID int64, accounts []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM event_trainers WHERE event_id = $1`, eventID); err != nil {
		return fmt.Errorf("training: trainers of %d: %w", eventID, err)
	}
	for _, a := range accounts {
		if _, err := q.ExecContext(ctx, `INSERT INTO event_trainers (event_id, account_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, eventID, a); err != nil {
			return fmt.Errorf("training: trainer of %d: %w", eventID, err)
		}
	}
	return nil
}
