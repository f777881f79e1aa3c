package helpdesk

import (
	"context"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Choices are the teams, agents, applications and agencies the agent
// workspace offers in its filters and forms, and the names it shows for
// the ids a ticket carries.
type Choices struct {
	Teams, Agents, Apps, Agencies []web.Option
}

// Name returns the name of id among opts, "" when id is nil or unknown.
func Name(opts []web.Option, id *int64) string {
	if id == nil {
		return ""
	}
	for _, o := range opts {
		if o.ID == *id {
			return o.Name
		}
	}
	return ""
}

// Choices reads the options of the agent workspace, for those who work the
// help desk. A city has tens of agencies and hundreds of applications, so
// they are read whole.
func (s *Service) Choices(ctx context.Context, actor *policy.Actor) (Choices, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return Choices{}, err
	}
	var c Choices
	for _, q := range []struct {
		dst  *[]web.Option
		sql  string
		args []any
	}{
		{&c.Teams, `SELECT id, name FROM teams ORDER BY name, id`, nil},
		// From the role (index role_grants_role) to the few accounts holding
		// it: probing every account costs a ministry's 300,000 per page.
		{&c.Agents, `SELECT a.id, e.name FROM accounts a JOIN employees e ON e.id = a.employee_id
			WHERE a.active = TRUE AND a.id IN (SELECT g.account_id FROM role_grants g
			WHERE g.role IN (` + deskRolesIn(1) + `)) ORDER BY e.name, a.id`, deskRoleArgs()},
		{&c.Apps, `SELECT id, name FROM apps ORDER BY name, id`, nil},
		{&c.Agencies, `SELECT id, name FROM agencies ORDER BY name, id`, nil},
	} {
		opts, err := web.ReadOptions(ctx, s.db.R, q.sql, q.args...)
		if err != nil {
			return Choices{}, err
		}
		*q.dst = opts
	}
	return c, nil
}
