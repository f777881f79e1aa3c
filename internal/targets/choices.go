package targets

import (
	"context"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Choices are what a new target's form offers: the agencies actor may set
// targets for (City: and the city), competencies in force, applications
// and positions.
type Choices struct {
	City         bool
	Agencies     []web.Option
	Competencies []web.Option
	Apps         []web.Option
	Positions    []web.Option
	Roles        []policy.Role
	Metrics      []string
	Defaults     map[string]float64
}

// FormChoices returns the choices of actor's new target form; empty
// Agencies and no City means actor may set none.
func (s *Service) FormChoices(ctx context.Context, actor *policy.Actor) (Choices, error) {
	c := Choices{City: policy.Can(actor, policy.TargetManage, policy.Target{}), Roles: GroupRoles,
		Metrics: Metrics, Defaults: Defaults}
	agencies, err := web.ReadOptions(ctx, s.db.R, `SELECT id, name FROM agencies ORDER BY name, id`)
	if err != nil {
		return Choices{}, err
	}
	for _, a := range agencies {
		if policy.Can(actor, policy.TargetManage, policy.Target{AgencyID: a.ID}) {
			c.Agencies = append(c.Agencies, a)
		}
	}
	for _, q := range []struct {
		dst   *[]web.Option
		query string
	}{
		{&c.Competencies, `SELECT id, code || ' — ' || name FROM competencies WHERE retired_at IS NULL ORDER BY code`},
		{&c.Apps, `SELECT id, name FROM apps ORDER BY name, id`},
		{&c.Positions, `SELECT id, name FROM positions ORDER BY name, id`},
	} {
		if *q.dst, err = web.ReadOptions(ctx, s.db.R, q.query); err != nil {
			return Choices{}, err
		}
	}
	return c, nil
}

// CanManage reports whether actor may set any target.
func (c Choices) CanManage() bool { return c.City || len(c.Agencies) > 0 }
