package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Shift is a team member on call from StartsAt until EndsAt. A shift may
// cross midnight; the roster's shifts together are meant to cover each
// team around the clock.
type Shift struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"team_id"`
	AccountID int64     `json:"account_id"`
	Name      string    `json:"name"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
}

// ShiftInput puts a member of the team on the roster.
type ShiftInput struct {
	AccountID int64     `json:"account_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
}

// TeamDuty is a team with the agents on duty at a time.
type TeamDuty struct {
	TeamID int64   `json:"team_id"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	OnDuty []Shift `json:"on_duty"`
}

// maxShift is the longest shift: a day. Longer watches are several shifts,
// so "who is on duty" only looks a day back, and a typo in a date is caught.
const maxShift = 24 * time.Hour

func (in *ShiftInput) validate(at time.Time) error {
	var v errs.Validation
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Second), in.EndsAt.UTC().Truncate(time.Second)
	if in.AccountID == 0 {
		v.Add("account_id", "required")
	}
	switch {
	case in.StartsAt.IsZero():
		v.Add("starts_at", "required")
	case in.EndsAt.IsZero():
		v.Add("ends_at", "required")
	case !in.EndsAt.After(in.StartsAt):
		v.Add("ends_at", "roster.ends_before")
	case in.EndsAt.Sub(in.StartsAt) > maxShift:
		v.Add("ends_at", "roster.too_long", int(maxShift/time.Hour))
	case !in.EndsAt.After(at):
		v.Add("ends_at", "roster.past")
	}
	return v.Err()
}

// leads reports whether the actor leads team, which is what lets them plan
// its roster.
func leads(ctx context.Context, tx *sql.Tx, actor *policy.Actor, team int64) (bool, error) {
	if actor == nil || actor.AccountID == 0 {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM team_members WHERE team_id = $1 AND account_id = $2
		AND lead = TRUE`, team, actor.AccountID).Scan(&n)
	return n > 0, err
}

// rosterCheck finds the team (NotFound if none) and asks the policy
// whether the actor may change its roster.
func rosterCheck(ctx context.Context, tx *sql.Tx, actor *policy.Actor, team int64) error {
	ok, err := exists(ctx, tx, "teams", team)
	if err != nil {
		return fmt.Errorf("helpdesk: team: %w", err)
	}
	if !ok {
		return errs.New(errs.NotFound, "ticket.team_not_found")
	}
	lead, err := leads(ctx, tx, actor, team)
	if err != nil {
		return fmt.Errorf("helpdesk: team lead: %w", err)
	}
	return policy.Check(actor, policy.RosterWrite, policy.Target{TeamLead: lead})
}

// AddShift puts a member of a team on its roster (the team's lead or the
// superadmin). Only members may be on a team's shifts; a member's shifts
// in one team may not overlap (a Conflict).
func (s *Service) AddShift(ctx context.Context, actor *policy.Actor, team int64, in ShiftInput) (Shift, error) {
	if actor == nil {
		return Shift{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	if err := in.validate(time.Now()); err != nil {
		return Shift{}, err
	}
	sh := Shift{TeamID: team, AccountID: in.AccountID, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := rosterCheck(ctx, tx, actor, team); err != nil {
			return err
		}
		// Touching the member's row checks they are one and, on
		// PostgreSQL, locks it: two shifts added for them at once are
		// checked for overlap one after the other.
		name, ok, err := lockMember(ctx, tx, team, in.AccountID)
		if err != nil {
			return fmt.Errorf("helpdesk: shift member: %w", err)
		}
		if !ok {
			return errs.FieldErr("account_id", "roster.not_member")
		}
		sh.Name = name
		clash, err := overlapping(ctx, tx, sh)
		if err != nil {
			return fmt.Errorf("helpdesk: shift overlap: %w", err)
		}
		if clash {
			return errs.New(errs.Conflict, "roster.overlap")
		}
		if err := insertShift(ctx, tx, &sh, now()); err != nil {
			return fmt.Errorf("helpdesk: add shift: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "shift", EntityID: sh.ID, After: sh})
	})
	return sh, err
}

// DeleteShift takes a shift off the roster (the team's lead or the
// superadmin).
func (s *Service) DeleteShift(ctx context.Context, actor *policy.Actor, id int64) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		sh, err := findShift(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := rosterCheck(ctx, tx, actor, sh.TeamID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_shifts WHERE id = $1`, id); err != nil {
			return fmt.Errorf("helpdesk: delete shift: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "shift", EntityID: id, Before: sh})
	})
}

// ListShifts returns a team's shifts that overlap [from, to), by start,
// for those who work the help desk.
func (s *Service) ListShifts(ctx context.Context, actor *policy.Actor, team int64, from, to time.Time) ([]Shift, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	ok, err := exists(ctx, s.db.R, "teams", team)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: team: %w", err)
	}
	if !ok {
		return nil, errs.New(errs.NotFound, "ticket.team_not_found")
	}
	if !to.After(from) {
		return nil, errs.FieldErr("to", "roster.ends_before")
	}
	return shifts(ctx, s.db.R, &team, from.UTC(), to.UTC())
}

// OnDuty returns every team, by name, with the agents on duty at the time
// at (an empty list when the roster leaves the team uncovered).
func (s *Service) OnDuty(ctx context.Context, actor *policy.Actor, at time.Time) ([]TeamDuty, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	teams, err := listTeams(ctx, s.db.R)
	if err != nil {
		return nil, err
	}
	at = at.UTC()
	current, err := shifts(ctx, s.db.R, nil, at, at.Add(time.Microsecond))
	if err != nil {
		return nil, err
	}
	duty := make([]TeamDuty, len(teams))
	for i, t := range teams {
		duty[i] = TeamDuty{TeamID: t.ID, Code: t.Code, Name: t.Name, OnDuty: []Shift{}}
		for _, sh := range current {
			if sh.TeamID == t.ID {
				duty[i].OnDuty = append(duty[i].OnDuty, sh)
			}
		}
	}
	return duty, nil
}
