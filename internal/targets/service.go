package targets

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// MaxNote is the longest note a target may carry, in characters.
const MaxNote = 2000

// GroupRoles are the roles a competency target's group may be: the
// agency-scoped ones, whose holders work in the agency.
var GroupRoles = []policy.Role{policy.Employee, policy.Operator, policy.AgencyAdmin, policy.AgencyHead, policy.Trainer}

// Service keeps the learning targets and computes their progress.
type Service struct {
	db    *db.DB
	zone  *time.Location
	index *loindex.Service
	now   func() time.Time
}

// NewService returns the targets over d; periods are in zone, the city's,
// and the JP, SLA and index figures come from index, so a target reads the
// same figure the LO index shows.
func NewService(d *db.DB, zone *time.Location, index *loindex.Service) *Service {
	return &Service{db: d, zone: zone, index: index, now: time.Now}
}

// canView reports whether actor may read the targets of agency (0: the
// city-wide ones): whoever reads that agency's LO index.
func canView(actor *policy.Actor, agency int64) bool {
	return policy.Can(actor, policy.InsightView, policy.Target{AgencyID: agency})
}

// List returns the targets actor may read, of f, each with its progress
// (without the drill-down).
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, p db.Page) ([]Target, string, error) {
	return s.list(ctx, actor, f, nil, p)
}

// list is List of the targets whose period is one of periods (nil: any).
// The LO index of each period listed is read once for every agency, not
// once per target.
func (s *Service) list(ctx context.Context, actor *policy.Actor, f Filter, periods []string, p db.Page) ([]Target, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	if f.Period != nil {
		q, err := period.Parse(*f.Period, s.zone)
		if err != nil {
			return nil, "", err
		}
		f.Period = &q.Label
	}
	var agencies []int64 // nil: every agency
	if !canView(actor, 0) {
		for _, g := range actor.Grants {
			if g.AgencyID != 0 && canView(actor, g.AgencyID) && !slices.Contains(agencies, g.AgencyID) {
				agencies = append(agencies, g.AgencyID)
			}
		}
		if len(agencies) == 0 {
			return nil, "", errs.New(errs.Forbidden, "forbidden")
		}
	}
	if f.AgencyID != nil && !canView(actor, *f.AgencyID) {
		return nil, "", errs.New(errs.Forbidden, "forbidden")
	}
	items, next, err := list(ctx, s.db.R, f, agencies, periods, p)
	if err != nil {
		return nil, "", err
	}
	indexes := map[string]map[int64]loindex.Index{} // by period, then agency
	index := func(agency int64, q period.Period) (loindex.Index, error) {
		if _, ok := indexes[q.Label]; !ok {
			all, err := s.index.All(ctx, actor, q)
			if err != nil {
				return loindex.Index{}, err
			}
			indexes[q.Label] = map[int64]loindex.Index{}
			for _, x := range all {
				indexes[q.Label][x.AgencyID] = x
			}
		}
		if x, ok := indexes[q.Label][agency]; ok {
			return x, nil
		}
		return s.index.Index(ctx, actor, agency, q) // an agency the kept period does not hold
	}
	for i := range items {
		pr, err := s.progress(ctx, actor, items[i], index, false)
		if err != nil {
			return nil, "", err
		}
		items[i].Progress = &pr
	}
	return items, next, nil
}

// Get returns target id with its progress and the people or items behind
// it.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Target, error) {
	t, err := find(ctx, s.db.R, id)
	if err != nil {
		return Target{}, err
	}
	if err := policy.Check(actor, policy.InsightView, policy.Target{AgencyID: t.Agency()}); err != nil {
		return Target{}, err
	}
	index := func(agency int64, q period.Period) (loindex.Index, error) {
		return s.index.Index(ctx, actor, agency, q)
	}
	pr, err := s.progress(ctx, actor, t, index, true)
	if err != nil {
		return Target{}, err
	}
	t.Progress = &pr
	return t, nil
}

// Create sets a new target (policy.TargetManage on its agency, or the city).
func (s *Service) Create(ctx context.Context, actor *policy.Actor, in Input) (Target, error) {
	goal, err := s.check(ctx, actor, &in)
	if err != nil {
		return Target{}, err
	}
	agency := derefID(in.AgencyID)
	var t Target
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := insert(ctx, tx, in, goal, actor.AccountID, s.now().UTC())
		if err != nil {
			return err
		}
		if t, err = find(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "learning_target", EntityID: id,
			AgencyID: agency, After: t})
	})
	return t, err
}

// Check answers what Create would refuse in, without setting it: a form
// that could not be read whole still shows every other mistake at once.
func (s *Service) Check(ctx context.Context, actor *policy.Actor, in Input) error {
	_, err := s.check(ctx, actor, &in)
	return err
}

func (s *Service) check(ctx context.Context, actor *policy.Actor, in *Input) (float64, error) {
	if err := policy.Check(actor, policy.TargetManage, policy.Target{AgencyID: derefID(in.AgencyID)}); err != nil {
		return 0, err
	}
	return s.validate(ctx, in)
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// Update changes a target's goal or note. A Version that is not the
// target's is a Conflict: someone changed it first.
func (s *Service) Update(ctx context.Context, actor *policy.Actor, id int64, ch Change) (Target, error) {
	var t Target
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := find(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TargetManage, policy.Target{AgencyID: before.Agency()}); err != nil {
			return err
		}
		if ch.Version != nil && *ch.Version != before.Version {
			return errs.New(errs.Conflict, "targets.changed")
		}
		goal, note := before.Goal, before.Note
		var v errs.Validation
		if ch.Goal != nil {
			goal = *ch.Goal
			checkGoal(&v, before.Metric, goal)
		}
		if ch.Note != nil {
			note = strings.TrimSpace(*ch.Note)
			checkNote(&v, note)
		}
		if err := v.Err(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE learning_targets SET goal = $1, note = $2, version = version + 1,
			updated_at = $3 WHERE id = $4 AND version = $5`, goal, note, s.now().UTC(), id, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "targets.changed")
		}
		if t, err = find(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "learning_target", EntityID: id,
			AgencyID: t.Agency(), Before: before, After: t})
	})
	return t, err
}

// Delete removes a target.
func (s *Service) Delete(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := find(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.TargetManage, policy.Target{AgencyID: before.Agency()}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM learning_targets WHERE id = $1`, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "learning_target", EntityID: id,
			AgencyID: before.Agency(), Before: before})
	})
}

// validate checks a new target, normalizes its period and answers its goal.
func (s *Service) validate(ctx context.Context, in *Input) (float64, error) {
	var v errs.Validation
	if p, err := period.Parse(in.Period, s.zone); err != nil {
		v.Add("period", "period.invalid")
	} else {
		in.Period = p.Label
	}
	if !slices.Contains(Metrics, in.Metric) {
		v.Add("metric", "targets.metric")
	}
	goal, ok := Defaults[in.Metric]
	if in.Goal != nil {
		goal = *in.Goal
	}
	if ok {
		checkGoal(&v, in.Metric, goal)
	}
	in.Note = strings.TrimSpace(in.Note)
	checkNote(&v, in.Note)
	if in.Role != nil && *in.Role == "" {
		in.Role = nil
	}
	if in.Metric == MetricCompetency {
		if in.CompetencyID == nil {
			v.Add("competency_id", "required")
		}
		if in.Level == nil || *in.Level < 1 || *in.Level > 4 {
			v.Add("level", "targets.level")
		}
		groups := 0
		for _, set := range []bool{in.AppID != nil, in.Role != nil, in.PositionID != nil} {
			if set {
				groups++
			}
		}
		if groups > 1 {
			v.Add("group", "targets.one_group")
		}
		if in.Role != nil && !slices.Contains(GroupRoles, policy.Role(*in.Role)) {
			v.Add("role", "targets.role")
		}
	} else {
		for field, set := range map[string]bool{"competency_id": in.CompetencyID != nil, "level": in.Level != nil,
			"app_id": in.AppID != nil, "role": in.Role != nil, "position_id": in.PositionID != nil} {
			if set {
				v.Add(field, "targets.only_competency")
			}
		}
	}
	for _, ref := range []struct {
		field, table string
		id           *int64
	}{{"agency_id", "agencies", in.AgencyID}, {"competency_id", "competencies", in.CompetencyID},
		{"app_id", "apps", in.AppID}, {"position_id", "positions", in.PositionID}} {
		if ref.id == nil {
			continue
		}
		ok, err := exists(ctx, s.db.R, ref.table, *ref.id)
		if err != nil {
			return 0, err
		}
		if !ok {
			v.Add(ref.field, "targets.unknown")
		}
	}
	return goal, v.Err()
}

// checkGoal bounds a goal by its metric: JP per employee up to 500, the
// rest percentages or an index from 0 to 100.
func checkGoal(v *errs.Validation, metric string, goal float64) {
	limit := 100.0
	if metric == MetricJP {
		limit = 500
	}
	if !(goal > 0 && goal <= limit) { // also refuses NaN
		v.Add("goal", "targets.goal", limit)
	}
}

func checkNote(v *errs.Validation, note string) {
	if utf8.RuneCountInString(note) > MaxNote {
		v.Add("note", "targets.note", MaxNote)
	}
}

// CanManage reports whether actor may change or remove t.
func (s *Service) CanManage(actor *policy.Actor, t Target) bool {
	return policy.Can(actor, policy.TargetManage, policy.Target{AgencyID: t.Agency()})
}
