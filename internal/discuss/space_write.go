package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// SpaceInput is a new or edited space. For an agency, application or team
// space, the id of that agency, application or team.
type SpaceInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Level       string `json:"level"`
	AgencyID    int64  `json:"agency_id,omitempty"`
	AppID       int64  `json:"app_id,omitempty"`
	TeamID      int64  `json:"team_id,omitempty"`
	MembersOnly bool   `json:"members_only"`
	Formal      bool   `json:"formal"`
}

// Limits on what people write.
const (
	maxName        = 120
	maxDescription = 2000
	minTitle       = 3
	maxTitle       = 200
	maxBody        = 20000
	maxReason      = 500
)

func (in *SpaceInput) check() error {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	var v errs.Validation
	switch {
	case in.Name == "":
		v.Add("name", "required")
	case utf8.RuneCountInString(in.Name) > maxName:
		v.Add("name", "too_long", maxName)
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		v.Add("description", "too_long", maxDescription)
	}
	need := map[string]int64{policy.SpaceAgency: in.AgencyID, policy.SpaceApp: in.AppID, policy.SpaceTeam: in.TeamID}
	switch id, ok := need[in.Level]; {
	case in.Level == policy.SpaceCity:
		in.AgencyID, in.AppID, in.TeamID = 0, 0, 0
	case !ok:
		v.Add("level", "discuss.level")
	case id <= 0:
		v.Add(map[string]string{policy.SpaceAgency: "agency_id", policy.SpaceApp: "app_id", policy.SpaceTeam: "team_id"}[in.Level], "required")
	}
	return v.Err()
}

// CreateSpace makes a space; the actor must administer spaces at its level
// (policy.SpaceAdmin). The creator becomes its first moderator.
func (s *Service) CreateSpace(ctx context.Context, actor *policy.Actor, in SpaceInput) (Space, error) {
	if err := in.check(); err != nil {
		return Space{}, err
	}
	var sp Space
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		probe, err := s.probe(ctx, tx, in)
		if err != nil {
			return err
		}
		t, err := Target(ctx, tx, actor, probe)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceAdmin, t); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		id, err := db.InsertID(ctx, tx, `INSERT INTO spaces (name, description, level, agency_id, app_id, team_id,
			members_only, formal, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			in.Name, in.Description, in.Level, db.NullID(in.AgencyID), db.NullID(in.AppID), db.NullID(in.TeamID),
			in.MembersOnly, in.Formal, db.NullID(actor.AccountID), at)
		if err != nil {
			return fmt.Errorf("discuss: create space: %w", err)
		}
		if actor.AccountID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO space_members (space_id, account_id, role, created_at)
				VALUES ($1, $2, $3, $4)`, id, actor.AccountID, RoleModerator, at); err != nil {
				return fmt.Errorf("discuss: create space: %w", err)
			}
		}
		if sp, err = SpaceByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "space", EntityID: id,
			AgencyID: sp.OwnerAgencyID, After: sp})
	})
	return sp, err
}

// probe is the space in would make, with its owner agency, for the rules;
// an agency, application or team that does not exist is a field error.
func (s *Service) probe(ctx context.Context, q db.Querier, in SpaceInput) (Space, error) {
	p := Space{Level: in.Level, MembersOnly: in.MembersOnly}
	var err error
	switch in.Level {
	case policy.SpaceAgency:
		p.AgencyID, p.OwnerAgencyID = &in.AgencyID, in.AgencyID
		err = q.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, in.AgencyID).Scan(&p.Where)
		err = fieldIfMissing(err, "agency_id")
	case policy.SpaceApp:
		p.AppID = &in.AppID
		err = q.QueryRowContext(ctx, `SELECT name, owner_agency_id FROM apps WHERE id = $1`, in.AppID).Scan(&p.Where, &p.OwnerAgencyID)
		err = fieldIfMissing(err, "app_id")
	case policy.SpaceTeam:
		p.TeamID = &in.TeamID
		err = q.QueryRowContext(ctx, `SELECT name FROM teams WHERE id = $1`, in.TeamID).Scan(&p.Where)
		err = fieldIfMissing(err, "team_id")
	}
	return p, err
}

func fieldIfMissing(err error, field string) error {
	if err == sql.ErrNoRows {
		return errs.FieldErr(field, "discuss.unknown")
	}
	if err != nil {
		return fmt.Errorf("discuss: %s: %w", field, err)
	}
	return nil
}

// UpdateSpace changes a space's name, description, openness and formality
// (its level and place stay); those who administer it do it.
func (s *Service) UpdateSpace(ctx context.Context, actor *policy.Actor, id int64, in SpaceInput) (Space, error) {
	var sp Space
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, tg, err := ReadableSpace(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceAdmin, tg); err != nil {
			return err
		}
		in.Level, in.AgencyID, in.AppID, in.TeamID = policy.SpaceCity, 0, 0, 0 // the place is not edited
		if err := in.check(); err != nil {
			return err
		}
		opennessChanges := in.MembersOnly != before.MembersOnly
		if opennessChanges {
			if err := s.holdThreads(ctx, tx, id); err != nil {
				return err
			}
		}
		// Only if its openness is still the one read: another
		// administrator's change meanwhile would otherwise be undone
		// without its posts' audience following.
		res, err := tx.ExecContext(ctx, `UPDATE spaces SET name = $1, description = $2, members_only = $3, formal = $4,
			updated_at = $5 WHERE id = $6 AND members_only = $7`,
			in.Name, in.Description, in.MembersOnly, in.Formal, time.Now().UTC(), id, before.MembersOnly)
		if err != nil {
			return fmt.Errorf("discuss: update space: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("discuss: update space: %w", err)
		} else if n == 0 {
			return errs.New(errs.Conflict, "discuss.space_changed")
		}
		if sp, err = SpaceByID(ctx, tx, id); err != nil {
			return err
		}
		if opennessChanges {
			// Who finds its posts follows its openness (PostAudience).
			if err := reindexSpace(ctx, tx, sp); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "space", EntityID: id,
			AgencyID: sp.OwnerAgencyID, Before: before, After: sp})
	})
	return sp, err
}
