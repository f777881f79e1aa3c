// Package discuss is the city's discussion rooms: spaces at every level
// (the city, an agency, an application, a help desk team), their threads
// and posts in Markdown, mentions, follows, reactions, moderation, question
// threads with an accepted answer, and the informal coaches those answers
// reveal. Who may read, post and moderate is decided in internal/policy
// (SpaceRead, SpaceModerate, SpaceAdmin) from the facts this package loads.
package discuss

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Space is a discussion room. Level is policy.SpaceCity, SpaceAgency,
// SpaceApp or SpaceTeam; AgencyID, AppID or TeamID names the agency,
// application or team of the last three. OwnerAgencyID is the agency the
// rules check an admin against: the space's agency, or the owner of its
// application.
type Space struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	Level         string    `json:"level"`
	AgencyID      *int64    `json:"agency_id"`
	AppID         *int64    `json:"app_id"`
	TeamID        *int64    `json:"team_id"`
	MembersOnly   bool      `json:"members_only"`
	Formal        bool      `json:"formal"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	OwnerAgencyID int64     `json:"-"`
	// Where names the agency, application or team ("" for the city).
	Where string `json:"where"`
}

const spaceColumns = `s.id, s.name, s.description, s.level, s.agency_id, s.app_id, s.team_id, s.members_only,
	s.formal, s.created_at, s.updated_at, COALESCE(s.agency_id, ap.owner_agency_id, 0),
	COALESCE(ag.name, ap.name, tm.name, '')`

const spaceFrom = ` FROM spaces s LEFT JOIN apps ap ON ap.id = s.app_id
	LEFT JOIN agencies ag ON ag.id = s.agency_id LEFT JOIN teams tm ON tm.id = s.team_id`

func scanSpace(row interface{ Scan(...any) error }) (Space, error) {
	var s Space
	var agency, app, team sql.NullInt64
	err := row.Scan(&s.ID, &s.Name, &s.Description, &s.Level, &agency, &app, &team, &s.MembersOnly,
		&s.Formal, &s.CreatedAt, &s.UpdatedAt, &s.OwnerAgencyID, &s.Where)
	s.AgencyID, s.AppID, s.TeamID = nullID(agency), nullID(app), nullID(team)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

func nullID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// SpaceByID loads a space in q (a transaction or a reader); a missing space
// is NotFound.
func SpaceByID(ctx context.Context, q db.Querier, id int64) (Space, error) {
	s, err := scanSpace(q.QueryRowContext(ctx, `SELECT `+spaceColumns+spaceFrom+` WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Space{}, errs.New(errs.NotFound, "discuss.space_not_found")
	}
	if err != nil {
		return Space{}, fmt.Errorf("discuss: space %d: %w", id, err)
	}
	return s, nil
}

// Target loads what the rules need to decide about actor and s: the
// actor's membership and moderator role in s and, for a team space, in the
// team. Load it in the transaction that acts.
func Target(ctx context.Context, q db.Querier, actor *policy.Actor, s Space) (policy.Target, error) {
	var p place
	if actor == nil || actor.AccountID == 0 {
		return targetOf(s, p), nil
	}
	err := q.QueryRowContext(ctx, `SELECT role FROM space_members WHERE space_id = $1 AND account_id = $2`,
		s.ID, actor.AccountID).Scan(&p.role)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return policy.Target{}, fmt.Errorf("discuss: membership in space %d: %w", s.ID, err)
	}
	if s.TeamID != nil {
		err := q.QueryRowContext(ctx, `SELECT lead FROM team_members WHERE team_id = $1 AND account_id = $2`,
			*s.TeamID, actor.AccountID).Scan(&p.teamLead)
		switch {
		case err == nil:
			p.teamMember = true
		case !errors.Is(err, sql.ErrNoRows):
			return policy.Target{}, fmt.Errorf("discuss: team of space %d: %w", s.ID, err)
		}
	}
	return targetOf(s, p), nil
}

// place is a person's place in a space: their role among its members
// ("" when they are none) and, for a team space, in its team.
type place struct {
	role                 string
	teamMember, teamLead bool
}

// targetOf is the rules' view of a space for one in place p.
func targetOf(s Space, p place) policy.Target {
	t := policy.Target{AgencyID: s.OwnerAgencyID, Space: policy.SpaceFacts{Level: s.Level, MembersOnly: s.MembersOnly}}
	t.Space.Member, t.Space.Moderator = p.role != "", p.role == RoleModerator
	t.TeamMember, t.TeamLead = p.teamMember, p.teamLead
	return t
}

// placesIn returns the places of everyone who has one in s (its members
// and its team's), by account, in two queries.
func placesIn(ctx context.Context, q db.Querier, s Space) (map[int64]place, error) {
	places := map[int64]place{}
	rows, err := q.QueryContext(ctx, `SELECT account_id, role FROM space_members WHERE space_id = $1`, s.ID)
	if err != nil {
		return nil, fmt.Errorf("discuss: members of space %d: %w", s.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p place
		if err := rows.Scan(&id, &p.role); err != nil {
			return nil, fmt.Errorf("discuss: members of space %d: %w", s.ID, err)
		}
		places[id] = p
	}
	if err := rows.Err(); err != nil || s.TeamID == nil {
		return places, err
	}
	team, err := q.QueryContext(ctx, `SELECT account_id, lead FROM team_members WHERE team_id = $1`, *s.TeamID)
	if err != nil {
		return nil, fmt.Errorf("discuss: team of space %d: %w", s.ID, err)
	}
	defer team.Close()
	for team.Next() {
		var id int64
		var lead bool
		if err := team.Scan(&id, &lead); err != nil {
			return nil, fmt.Errorf("discuss: team of space %d: %w", s.ID, err)
		}
		p := places[id]
		p.teamMember, p.teamLead = true, lead
		places[id] = p
	}
	return places, team.Err()
}

// The roles of a space's members.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
)

// CanRead reports whether actor may read s (and so post in it).
func CanRead(ctx context.Context, q db.Querier, actor *policy.Actor, s Space) (bool, error) {
	return can(ctx, q, actor, s, policy.SpaceRead)
}

// CanModerate reports whether actor may moderate s.
func CanModerate(ctx context.Context, q db.Querier, actor *policy.Actor, s Space) (bool, error) {
	return can(ctx, q, actor, s, policy.SpaceModerate)
}

func can(ctx context.Context, q db.Querier, actor *policy.Actor, s Space, act policy.Action) (bool, error) {
	if actor == nil {
		return false, nil
	}
	t, err := Target(ctx, q, actor, s)
	if err != nil {
		return false, err
	}
	return policy.Can(actor, act, t), nil
}

// ReadableSpace loads space id for actor in q: NotFound when it does not
// exist or the actor may not read it (a members-only room's existence is
// not told to outsiders).
func ReadableSpace(ctx context.Context, q db.Querier, actor *policy.Actor, id int64) (Space, policy.Target, error) {
	if actor == nil {
		return Space{}, policy.Target{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	s, err := SpaceByID(ctx, q, id)
	if err != nil {
		return Space{}, policy.Target{}, err
	}
	t, err := Target(ctx, q, actor, s)
	if err != nil {
		return Space{}, policy.Target{}, err
	}
	if !policy.Can(actor, policy.SpaceRead, t) {
		return Space{}, policy.Target{}, errs.New(errs.NotFound, "discuss.space_not_found")
	}
	return s, t, nil
}
