package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Team is a queue of the help desk with the agents who work it. A member
// marked Lead is the one escalations go to.
type Team struct {
	ID          int64    `json:"id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Members     []Member `json:"members"`
}

// Member is an agent in a team.
type Member struct {
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Lead      bool   `json:"lead"`
}

// TeamInput creates a team.
type TeamInput struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// MemberInput names an agent as a member of a team.
type MemberInput struct {
	Lead bool `json:"lead"`
}

var teamCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// CreateTeam adds a team (the superadmin's).
func (s *Service) CreateTeam(ctx context.Context, actor *policy.Actor, in TeamInput) (Team, error) {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	var v errs.Validation
	if !teamCode.MatchString(in.Code) {
		v.Add("code", "ticket.team_code")
	}
	text(&v, "name", in.Name, maxSubject, true)
	text(&v, "description", in.Description, maxBody, false)
	if err := v.Err(); err != nil {
		return Team{}, err
	}
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return Team{}, err
	}
	t := Team{Code: in.Code, Name: in.Name, Description: in.Description, Members: []Member{}}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		at := now()
		id, err := insertTeam(ctx, tx, t, at)
		if key, ok := s.db.Dialect.UniqueViolation(err); ok && key == "teams.code" {
			return errs.FieldErr("code", "ticket.team_taken")
		}
		if err != nil {
			return fmt.Errorf("helpdesk: create team: %w", err)
		}
		t.ID = id
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "team", EntityID: id, After: t})
	})
	if err != nil {
		return Team{}, err
	}
	return t, nil
}

// SetMember makes an agent a member of a team, or changes whether they
// lead it.
func (s *Service) SetMember(ctx context.Context, actor *policy.Actor, teamID, accountID int64, in MemberInput) error {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		ok, err := exists(ctx, tx, "teams", teamID)
		if err != nil {
			return fmt.Errorf("helpdesk: team: %w", err)
		}
		if !ok {
			return errs.New(errs.NotFound, "ticket.team_not_found")
		}
		ok, err = isAgent(ctx, tx, accountID)
		if err != nil {
			return fmt.Errorf("helpdesk: member: %w", err)
		}
		if !ok {
			return errs.FieldErr("account_id", "ticket.assignee")
		}
		if err := upsertMember(ctx, tx, teamID, accountID, in.Lead); err != nil {
			return fmt.Errorf("helpdesk: member: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "member", Entity: "team", EntityID: teamID,
			After: Member{AccountID: accountID, Lead: in.Lead}})
	})
}

// RemoveMember takes an agent out of a team.
func (s *Service) RemoveMember(ctx context.Context, actor *policy.Actor, teamID, accountID int64) error {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = $1 AND account_id = $2`, teamID, accountID)
		if err != nil {
			return fmt.Errorf("helpdesk: remove member: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("helpdesk: remove member: %w", err)
		}
		if n == 0 {
			return errs.New(errs.NotFound, "ticket.member_not_found")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "remove_member", Entity: "team", EntityID: teamID,
			Before: Member{AccountID: accountID}})
	})
}

// GetTeam returns a team with its members, for those who work the help desk.
func (s *Service) GetTeam(ctx context.Context, actor *policy.Actor, id int64) (Team, error) {
	teams, err := s.ListTeams(ctx, actor)
	if err != nil {
		return Team{}, err
	}
	for _, t := range teams {
		if t.ID == id {
			return t, nil
		}
	}
	return Team{}, errs.New(errs.NotFound, "ticket.team_not_found")
}

// ListTeams returns every team by name with its members, leads first.
func (s *Service) ListTeams(ctx context.Context, actor *policy.Actor) ([]Team, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	return listTeams(ctx, s.db.R)
}
