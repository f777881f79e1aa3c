package discuss

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// Option is one choice of a form's select.
type Option struct {
	ID   int64
	Name string
}

// SpaceChoices is what the new-space form offers the actor: the levels and
// the agencies, applications and teams where they may create a space.
type SpaceChoices struct {
	Levels   []string
	Agencies []Option
	Apps     []Option
	Teams    []Option
}

// Any reports whether the actor may create a space anywhere.
func (c SpaceChoices) Any() bool { return len(c.Levels) > 0 }

// Choices returns where actor may create spaces.
func (s *Service) Choices(ctx context.Context, actor *policy.Actor) (SpaceChoices, error) {
	var c SpaceChoices
	if actor == nil {
		return c, nil
	}
	q := s.db.R
	f, err := loadFacts(ctx, q, actor)
	if err != nil {
		return c, err
	}
	allowed := func(level string, agency int64, team *int64) bool {
		sp := Space{Level: level, OwnerAgencyID: agency, TeamID: team}
		return policy.Can(actor, policy.SpaceAdmin, f.target(sp))
	}
	if allowed(policy.SpaceCity, 0, nil) {
		c.Levels = append(c.Levels, policy.SpaceCity)
	}
	if c.Agencies, err = options(ctx, q, `SELECT id, name, id FROM agencies ORDER BY name, id`,
		func(owner int64) bool { return allowed(policy.SpaceAgency, owner, nil) }); err != nil {
		return c, err
	}
	if c.Apps, err = options(ctx, q, `SELECT id, name, owner_agency_id FROM apps ORDER BY name, id`,
		func(owner int64) bool { return allowed(policy.SpaceApp, owner, nil) }); err != nil {
		return c, err
	}
	if c.Teams, err = options(ctx, q, `SELECT id, name, id FROM teams ORDER BY name, id`,
		func(id int64) bool { return allowed(policy.SpaceTeam, 0, &id) }); err != nil {
		return c, err
	}
	for level, opts := range map[string][]Option{policy.SpaceAgency: c.Agencies, policy.SpaceApp: c.Apps, policy.SpaceTeam: c.Teams} {
		if len(opts) > 0 {
			c.Levels = append(c.Levels, level)
		}
	}
	ordered := c.Levels[:0:0]
	for _, l := range Levels {
		for _, have := range c.Levels {
			if have == l {
				ordered = append(ordered, l)
			}
		}
	}
	c.Levels = ordered
	return c, nil
}

// options runs a query of (id, name, key) and keeps the rows keep(key) allows.
func options(ctx context.Context, q db.Querier, query string, keep func(int64) bool) ([]Option, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("discuss: choices: %w", err)
	}
	defer rows.Close()
	var list []Option
	for rows.Next() {
		var o Option
		var key int64
		if err := rows.Scan(&o.ID, &o.Name, &key); err != nil {
			return nil, fmt.Errorf("discuss: choices: %w", err)
		}
		if keep(key) {
			list = append(list, o)
		}
	}
	return list, rows.Err()
}

// Agencies lists every agency, for the coaches page's choice.
func (s *Service) Agencies(ctx context.Context) ([]Option, error) {
	return options(ctx, s.db.R, `SELECT id, name, id FROM agencies ORDER BY name, id`, func(int64) bool { return true })
}

// Spaces the actor may move a thread to: the spaces they may read.
func (s *Service) readableOptions(ctx context.Context, actor *policy.Actor) ([]Option, error) {
	spaces, _, err := readableSpaces(ctx, s.db.R, actor)
	if err != nil {
		return nil, err
	}
	list := make([]Option, len(spaces))
	for i, sp := range spaces {
		list[i] = Option{ID: sp.ID, Name: sp.Name}
	}
	return list, nil
}
