package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// resolveCompetencies checks the competencies an activity or event builds:
// each named by id or code, known and not retired, at a level 1..4, once.
// Problems go to v under "competencies".
func resolveCompetencies(ctx context.Context, q db.Querier, v *errs.Validation, in []CompetencyLevel) ([]CompetencyLevel, error) {
	out := make([]CompetencyLevel, 0, len(in))
	seen := map[int64]bool{}
	for _, c := range in {
		c.Code = strings.TrimSpace(c.Code)
		if c.Level < 1 || c.Level > 4 {
			v.Add("competencies", "training.level_range")
			continue
		}
		var id int64
		var code, name string
		err := q.QueryRowContext(ctx, `SELECT id, code, name FROM competencies WHERE retired_at IS NULL
			AND (id = $1 OR code = $2)`, c.CompetencyID, c.Code).Scan(&id, &code, &name)
		if err != nil {
			if !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("training: competency %q: %w", c.Code, err)
			}
			label := c.Code
			if label == "" {
				label = idString(c.CompetencyID)
			}
			v.Add("competencies", "training.competency_unknown", label)
			continue
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, CompetencyLevel{CompetencyID: id, Code: code, Name: name, Level: c.Level})
	}
	return out, nil
}

// setCompetencies replaces the competencies of an activity or event
// (table activity_competencies or event_competencies, keyed by column).
func setCompetencies(ctx context.Context, q db.Querier, table, column string, id int64, list []CompetencyLevel) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+column+` = $1`, id); err != nil {
		return fmt.Errorf("training: clear %s of %d: %w", table, id, err)
	}
	for _, c := range list {
		if _, err := q.ExecContext(ctx, `INSERT INTO `+table+` (`+column+`, competency_id, level) VALUES ($1, $2, $3)`,
			id, c.CompetencyID, c.Level); err != nil {
			return fmt.Errorf("training: %s of %d: %w", table, id, err)
		}
	}
	return nil
}

// competenciesOf loads the competencies of many activities or events in
// one query, by owner id.
func competenciesOf(ctx context.Context, q db.Querier, table, column string, ids []int64) (map[int64][]CompetencyLevel, error) {
	out := map[int64][]CompetencyLevel{}
	if len(ids) == 0 {
		return out, nil
	}
	marks, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT t.`+column+`, c.id, c.code, c.name, t.level FROM `+table+` t
		JOIN competencies c ON c.id = t.competency_id WHERE t.`+column+` IN (`+marks+`) ORDER BY c.name, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var owner int64
		var c CompetencyLevel
		if err := rows.Scan(&owner, &c.CompetencyID, &c.Code, &c.Name, &c.Level); err != nil {
			return nil, fmt.Errorf("training: %s: %w", table, err)
		}
		out[owner] = append(out[owner], c)
	}
	return out, rows.Err()
}

func nonNilLevels(l []CompetencyLevel) []CompetencyLevel {
	if l == nil {
		return []CompetencyLevel{}
	}
	return l
}
