package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service holds the rules of discussion: every public method is one
// transaction, with its audit record where it changes what others see.
type Service struct {
	db      *db.DB
	actors  ActorLoader
	sources []CoachSource
}

// NewService returns the discussion service over d; actors (auth.ActorsIn)
// loads the people it tells, to ask the rules whether they may still read
// the space.
func NewService(d *db.DB, actors ActorLoader) *Service { return &Service{db: d, actors: actors} }

// Levels lists the space levels in the order the discussion home shows them.
var Levels = []string{policy.SpaceCity, policy.SpaceAgency, policy.SpaceApp, policy.SpaceTeam}

// SpaceSummary is a space as lists show it, with its activity.
type SpaceSummary struct {
	Space
	Threads    int        `json:"threads"`
	LastPostAt *time.Time `json:"last_post_at"`
	Following  bool       `json:"following"`
}

// spaceFacts are the actor's memberships and teams, loaded once to decide
// about many spaces.
type spaceFacts struct {
	roles map[int64]string // space id → member role
	teams map[int64]bool   // team id → lead
}

func loadFacts(ctx context.Context, q db.Querier, actor *policy.Actor) (spaceFacts, error) {
	f := spaceFacts{roles: map[int64]string{}, teams: map[int64]bool{}}
	if actor == nil || actor.AccountID == 0 {
		return f, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT space_id, role FROM space_members WHERE account_id = $1`, actor.AccountID)
	if err != nil {
		return f, fmt.Errorf("discuss: memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return f, fmt.Errorf("discuss: memberships: %w", err)
		}
		f.roles[id] = role
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("discuss: memberships: %w", err)
	}
	trows, err := q.QueryContext(ctx, `SELECT team_id, lead FROM team_members WHERE account_id = $1`, actor.AccountID)
	if err != nil {
		return f, fmt.Errorf("discuss: teams: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var lead bool
		if err := trows.Scan(&id, &lead); err != nil {
			return f, fmt.Errorf("discuss: teams: %w", err)
		}
		f.teams[id] = lead
	}
	return f, trows.Err()
}

// target is Target from facts loaded beforehand.
func (f spaceFacts) target(s Space) policy.Target {
	role, member := f.roles[s.ID]
	var lead, inTeam bool
	if s.TeamID != nil {
		lead, inTeam = f.teams[*s.TeamID]
	}
	return spaceTarget(s, role, member, lead, inTeam)
}

// spaceTarget is the Target of space s for a reader whose member role in
// it is role (member tells whether they are one), and who leads or is in
// its team.
func spaceTarget(s Space, role string, member, lead, inTeam bool) policy.Target {
	return policy.Target{AgencyID: s.OwnerAgencyID, Space: policy.SpaceFacts{Level: s.Level, MembersOnly: s.MembersOnly,
		Member: member, Moderator: role == RoleModerator}, TeamLead: lead, TeamMember: inTeam}
}

// keyedSpaceIDs returns the ids of the spaces actor may read whose posts
// they find in search by the space's own key alone (see SearchKeys):
// members-only rooms and, unless they read every open space (wide), the
// agencies' open spaces. It is the rule of readableSpaces in one statement
// that reads only those rooms and spaces, for search, which asks on every
// query: of the agencies' open spaces only those of the agencies the actor
// may read without being a member (policy.AgencySpacesRead) and those they
// are a member of. Can still decides each space read.
func keyedSpaceIDs(ctx context.Context, q db.Querier, actor *policy.Actor, wide bool) ([]int64, error) {
	args := []any{actor.AccountID}
	sqlText := `SELECT s.id, s.level, s.team_id, s.members_only, COALESCE(s.agency_id, ap.owner_agency_id, 0), sm.role, tm.lead
		FROM spaces s LEFT JOIN apps ap ON ap.id = s.app_id
		LEFT JOIN space_members sm ON sm.space_id = s.id AND sm.account_id = $1
		LEFT JOIN team_members tm ON tm.team_id = s.team_id AND tm.account_id = $1
		WHERE s.members_only`
	if !wide {
		args = append(args, policy.SpaceAgency)
		reads := `sm.account_id IS NOT NULL`
		if all, agencies := policy.AgencySpacesRead(actor); all {
			reads = `TRUE`
		} else if len(agencies) > 0 {
			in, more := db.InListFrom(len(args)+1, agencies)
			reads += ` OR s.agency_id IN (` + in + `)`
			args = append(args, more...)
		}
		sqlText += ` OR s.level = $2 AND (` + reads + `)`
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("discuss: spaces: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var s Space
		var team sql.NullInt64
		var role sql.NullString
		var lead sql.NullBool
		if err := rows.Scan(&s.ID, &s.Level, &team, &s.MembersOnly, &s.OwnerAgencyID, &role, &lead); err != nil {
			return nil, fmt.Errorf("discuss: spaces: %w", err)
		}
		s.TeamID = nullID(team)
		if policy.Can(actor, policy.SpaceRead, spaceTarget(s, role.String, role.Valid, lead.Bool, lead.Valid)) {
			ids = append(ids, s.ID)
		}
	}
	return ids, rows.Err()
}

// readableSpaces returns every space actor may read, by level and name.
func readableSpaces(ctx context.Context, q db.Querier, actor *policy.Actor) ([]Space, spaceFacts, error) {
	f, err := loadFacts(ctx, q, actor)
	if err != nil {
		return nil, f, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+spaceColumns+spaceFrom+` ORDER BY s.name, s.id`)
	if err != nil {
		return nil, f, fmt.Errorf("discuss: spaces: %w", err)
	}
	defer rows.Close()
	var list []Space
	for rows.Next() {
		s, err := scanSpace(rows)
		if err != nil {
			return nil, f, fmt.Errorf("discuss: spaces: %w", err)
		}
		if policy.Can(actor, policy.SpaceRead, f.target(s)) {
			list = append(list, s)
		}
	}
	return list, f, rows.Err()
}

// Spaces lists the spaces actor may read with their activity.
func (s *Service) Spaces(ctx context.Context, actor *policy.Actor) ([]SpaceSummary, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	spaces, _, err := readableSpaces(ctx, s.db.R, actor)
	if err != nil {
		return nil, err
	}
	counts := map[int64]int{}
	lastPosts := map[int64]int64{}
	rows, err := s.db.R.QueryContext(ctx, `SELECT space_id, COUNT(*), MAX(last_post_id) FROM threads GROUP BY space_id`)
	if err != nil {
		return nil, fmt.Errorf("discuss: activity: %w", err)
	}
	for rows.Next() {
		var id, last int64
		var n int
		if err := rows.Scan(&id, &n, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("discuss: activity: %w", err)
		}
		counts[id], lastPosts[id] = n, last
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discuss: activity: %w", err)
	}
	times, err := postTimes(ctx, s.db.R, lastPosts)
	if err != nil {
		return nil, err
	}
	followed, err := idSet(ctx, s.db.R, `SELECT space_id FROM space_follows WHERE account_id = $1`, actor.AccountID)
	if err != nil {
		return nil, err
	}
	list := make([]SpaceSummary, 0, len(spaces))
	for _, sp := range spaces {
		sum := SpaceSummary{Space: sp, Threads: counts[sp.ID], Following: followed[sp.ID]}
		if at, ok := times[lastPosts[sp.ID]]; ok {
			sum.LastPostAt = &at
		}
		list = append(list, sum)
	}
	return list, nil
}

// postTimes returns when the posts named in ids (the values) were written.
func postTimes(ctx context.Context, q db.Querier, ids map[int64]int64) (map[int64]time.Time, error) {
	times := map[int64]time.Time{}
	var in []string
	var args []any
	for _, id := range ids {
		if id != 0 {
			args = append(args, id)
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
	}
	if len(args) == 0 {
		return times, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, created_at FROM posts WHERE id IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("discuss: post times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("discuss: post times: %w", err)
		}
		times[id] = at.UTC()
	}
	return times, rows.Err()
}

func idSet(ctx context.Context, q db.Querier, query string, args ...any) (map[int64]bool, error) {
	ids, err := db.IDs(ctx, q, query, args...)
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, err
}
