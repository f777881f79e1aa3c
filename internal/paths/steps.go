package paths

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// setSteps replaces the steps of path id with activities, in order.
func setSteps(ctx context.Context, q db.Querier, id int64, activities []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM learning_path_steps WHERE path_id = $1`, id); err != nil {
		return fmt.Errorf("paths: steps of %d: %w", id, err)
	}
	for i, a := range activities {
		if _, err := q.ExecContext(ctx, `INSERT INTO learning_path_steps (path_id, activity_id, position)
			VALUES ($1, $2, $3)`, id, a, i+1); err != nil {
			return fmt.Errorf("paths: steps of %d: %w", id, err)
		}
	}
	return nil
}

// MoveStep moves activity one place earlier (by -1) or later (by 1) in
// path id.
func (s *Service) MoveStep(ctx context.Context, actor *policy.Actor, id, activity int64, by int) error {
	return s.editSteps(ctx, actor, id, func(ids []int64) ([]int64, error) {
		i := slices.Index(ids, activity)
		j := i + by
		if i < 0 {
			return nil, errs.New(errs.NotFound, "paths.step_not_found")
		}
		if j >= 0 && j < len(ids) {
			ids[i], ids[j] = ids[j], ids[i]
		}
		return ids, nil
	})
}

// AddStep puts activity at the end of path id; RemoveStep takes it out.
func (s *Service) AddStep(ctx context.Context, actor *policy.Actor, id, activity int64) error {
	return s.editSteps(ctx, actor, id, func(ids []int64) ([]int64, error) { return append(ids, activity), nil })
}

// RemoveStep takes activity out of path id.
func (s *Service) RemoveStep(ctx context.Context, actor *policy.Actor, id, activity int64) error {
	return s.editSteps(ctx, actor, id, func(ids []int64) ([]int64, error) {
		if !slices.Contains(ids, activity) {
			return nil, errs.New(errs.NotFound, "paths.step_not_found")
		}
		return slices.DeleteFunc(ids, func(a int64) bool { return a == activity }), nil
	})
}

// editSteps changes the steps of path id. The path's row is locked first,
// so that two edits at once follow one another rather than lose one or
// collide; a collision all the same is a conflict, not a failure.
func (s *Service) editSteps(ctx context.Context, actor *policy.Actor, id int64, edit func([]int64) ([]int64, error)) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE learning_paths SET updated_at = $1 WHERE id = $2`, now(), id); err != nil {
			return fmt.Errorf("paths: lock %d: %w", id, err)
		}
		p, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		steps, err := loadSteps(ctx, tx, id)
		if err != nil {
			return err
		}
		ids := stepActivities(steps)
		before := slices.Clone(ids)
		if ids, err = edit(ids); err != nil {
			return err
		}
		in := Input{Title: p.Title, Description: p.Description, AgencyID: p.AgencyID, Open: p.Open, ActivityIDs: ids}
		if err := in.validate(ctx, tx, before); err != nil {
			return err
		}
		if err := setSteps(ctx, tx, id, ids); err != nil {
			return err
		}
		type stepList struct {
			ActivityIDs []int64 `json:"activity_ids"`
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "learning_path", EntityID: id,
			AgencyID: agencyOf(p.AgencyID), Before: stepList{before}, After: stepList{ids}})
	})
	if _, dup := s.db.Dialect.UniqueViolation(err); dup {
		return errs.New(errs.Conflict, "paths.steps_changed")
	}
	return err
}
