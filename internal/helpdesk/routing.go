package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// RoutingRule sends a ticket filed without a team to TeamID when it matches
// every criterion the rule sets; a criterion left empty (null) matches
// anything. Rules are tried by Position, then by id: the first that
// matches wins.
type RoutingRule struct {
	ID       int64   `json:"id"`
	Position int     `json:"position"`
	Category *string `json:"category"`
	AppID    *int64  `json:"app_id"`
	AgencyID *int64  `json:"agency_id"`
	TeamID   int64   `json:"team_id"`
}

// RuleInput creates or replaces a routing rule. Without a position a new
// rule goes last and a replaced one keeps its place.
type RuleInput struct {
	Position *int    `json:"position,omitempty"`
	Category *string `json:"category,omitempty"`
	AppID    *int64  `json:"app_id,omitempty"`
	AgencyID *int64  `json:"agency_id,omitempty"`
	TeamID   int64   `json:"team_id"`
}

// DefaultTeam is where a ticket no rule matches goes; TeamID nil: nowhere
// (it waits in the unrouted queue).
type DefaultTeam struct {
	TeamID *int64 `json:"team_id"`
}

// maxPosition bounds a rule's position.
const maxPosition = 1_000_000

// systemDesk is who acts when Lontara routes, assigns and escalates by
// itself: the history names it "Lontara", the audit log "system:helpdesk".
var systemDesk = &policy.Actor{System: true, Label: "helpdesk", Name: "Lontara"}

func (in *RuleInput) validate() error {
	var v errs.Validation
	if in.Category != nil && *in.Category == "" {
		in.Category = nil
	}
	if in.Category != nil && !slices.Contains(Categories, *in.Category) {
		v.Add("category", "one_of", choices{"category", Categories})
	}
	if in.TeamID == 0 {
		v.Add("team_id", "required")
	}
	if in.Position != nil && (*in.Position < 1 || *in.Position > maxPosition) {
		v.Add("position", "routing.position", maxPosition)
	}
	return v.Err()
}

// checkRuleRefs checks that the team, application and agency a rule names
// exist.
func checkRuleRefs(ctx context.Context, tx *sql.Tx, in RuleInput) error {
	var v errs.Validation
	team := in.TeamID
	for _, ref := range []struct {
		field, table string
		id           *int64
	}{{"team_id", "teams", &team}, {"app_id", "apps", in.AppID}, {"agency_id", "agencies", in.AgencyID}} {
		if ref.id == nil {
			continue
		}
		ok, err := exists(ctx, tx, ref.table, *ref.id)
		if err != nil {
			return fmt.Errorf("helpdesk: rule %s: %w", ref.field, err)
		}
		if !ok {
			v.Add(ref.field, "ticket.unknown")
		}
	}
	return v.Err()
}

// ListRules returns the routing rules in the order they are tried, for
// those who work the help desk.
func (s *Service) ListRules(ctx context.Context, actor *policy.Actor) ([]RoutingRule, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	return listRules(ctx, s.db.R)
}

// CreateRule adds a routing rule (the superadmin's, as teams are).
func (s *Service) CreateRule(ctx context.Context, actor *policy.Actor, in RuleInput) (RoutingRule, error) {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return RoutingRule{}, err
	}
	if err := in.validate(); err != nil {
		return RoutingRule{}, err
	}
	var r RoutingRule
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkRuleRefs(ctx, tx, in); err != nil {
			return err
		}
		r = RoutingRule{Category: in.Category, AppID: in.AppID, AgencyID: in.AgencyID, TeamID: in.TeamID}
		if in.Position != nil {
			r.Position = *in.Position
		} else {
			last, err := lastPosition(ctx, tx)
			if err != nil {
				return err
			}
			r.Position = min(last+1, maxPosition)
		}
		if err := insertRule(ctx, tx, &r, now()); err != nil {
			return fmt.Errorf("helpdesk: create rule: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "routing_rule", EntityID: r.ID, After: r})
	})
	return r, err
}

// UpdateRule replaces a routing rule.
func (s *Service) UpdateRule(ctx context.Context, actor *policy.Actor, id int64, in RuleInput) (RoutingRule, error) {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return RoutingRule{}, err
	}
	if err := in.validate(); err != nil {
		return RoutingRule{}, err
	}
	var r RoutingRule
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findRule(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkRuleRefs(ctx, tx, in); err != nil {
			return err
		}
		r = RoutingRule{ID: id, Position: before.Position, Category: in.Category, AppID: in.AppID,
			AgencyID: in.AgencyID, TeamID: in.TeamID}
		if in.Position != nil {
			r.Position = *in.Position
		}
		if err := updateRule(ctx, tx, r, now()); err != nil {
			return fmt.Errorf("helpdesk: update rule: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "routing_rule", EntityID: id,
			Before: before, After: r})
	})
	return r, err
}

// DeleteRule removes a routing rule.
func (s *Service) DeleteRule(ctx context.Context, actor *policy.Actor, id int64) error {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findRule(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM routing_rules WHERE id = $1`, id); err != nil {
			return fmt.Errorf("helpdesk: delete rule: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "routing_rule", EntityID: id, Before: before})
	})
}

// MoveRule moves a rule one place earlier (by < 0) or later (by > 0) in
// the order the rules are tried: the rules are numbered 1, 2, 3… in their
// present order and the rule swaps places with its neighbour. Moving the
// first rule up or the last down changes nothing.
func (s *Service) MoveRule(ctx context.Context, actor *policy.Actor, id int64, by int) error {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		rules, err := listRules(ctx, tx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rules, func(r RoutingRule) bool { return r.ID == id })
		if i < 0 {
			return errs.New(errs.NotFound, "routing.not_found")
		}
		j := i + max(-1, min(1, by))
		if j < 0 || j >= len(rules) || j == i {
			return nil
		}
		before := rules[i].Position
		rules[i], rules[j] = rules[j], rules[i]
		at := now()
		for k := range rules {
			if rules[k].Position == k+1 {
				continue
			}
			rules[k].Position = k + 1
			if err := updateRule(ctx, tx, rules[k], at); err != nil {
				return fmt.Errorf("helpdesk: move rule: %w", err)
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "move", Entity: "routing_rule", EntityID: id,
			Before: map[string]int{"position": before}, After: map[string]int{"position": j + 1}})
	})
}

// GetDefaultTeam returns where tickets no rule matches go.
func (s *Service) GetDefaultTeam(ctx context.Context, actor *policy.Actor) (DefaultTeam, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return DefaultTeam{}, err
	}
	return defaultTeam(ctx, s.db.R)
}

// SetDefaultTeam marks the team tickets no rule matches go to, or with a
// nil team, none.
func (s *Service) SetDefaultTeam(ctx context.Context, actor *policy.Actor, in DefaultTeam) error {
	if err := policy.Check(actor, policy.TeamWrite, policy.Target{}); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := defaultTeam(ctx, tx)
		if err != nil {
			return err
		}
		if in.TeamID != nil {
			ok, err := exists(ctx, tx, "teams", *in.TeamID)
			if err != nil {
				return fmt.Errorf("helpdesk: default team: %w", err)
			}
			if !ok {
				return errs.FieldErr("team_id", "ticket.unknown")
			}
		}
		if err := setDefaultTeam(ctx, tx, in.TeamID); err != nil {
			return fmt.Errorf("helpdesk: default team: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "default", Entity: "routing_rule", Before: before, After: in})
	})
}
