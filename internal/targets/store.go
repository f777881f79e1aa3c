package targets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// columns are a target's columns with the names of what they point at.
const columns = `t.id, t.agency_id, t.period, t.metric, t.goal, t.competency_id, t.level, t.app_id, t.role,
	t.position_id, t.note, t.version, t.created_at, t.updated_at, COALESCE(a.name, ''), COALESCE(c.name, ''),
	COALESCE(ap.name, ''), COALESCE(p.name, '')
	FROM learning_targets t LEFT JOIN agencies a ON a.id = t.agency_id
	LEFT JOIN competencies c ON c.id = t.competency_id LEFT JOIN apps ap ON ap.id = t.app_id
	LEFT JOIN positions p ON p.id = t.position_id`

func scanTarget(row interface{ Scan(...any) error }) (Target, error) {
	var t Target
	var agency, comp, app, position sql.NullInt64
	var level sql.NullInt32
	var role sql.NullString
	err := row.Scan(&t.ID, &agency, &t.Period, &t.Metric, &t.Goal, &comp, &level, &app, &role, &position, &t.Note,
		&t.Version, &t.CreatedAt, &t.UpdatedAt, &t.AgencyName, &t.CompetencyName, &t.AppName, &t.PositionName)
	if err != nil {
		return Target{}, err
	}
	t.AgencyID, t.CompetencyID, t.AppID, t.PositionID = idPtr(agency), idPtr(comp), idPtr(app), idPtr(position)
	if level.Valid {
		l := int(level.Int32)
		t.Level = &l
	}
	if role.Valid {
		t.Role = &role.String
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return t, nil
}

func idPtr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// find reads target id; NotFound when there is none.
func find(ctx context.Context, q db.Querier, id int64) (Target, error) {
	t, err := scanTarget(q.QueryRowContext(ctx, `SELECT `+columns+` WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Target{}, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return Target{}, fmt.Errorf("targets: target %d: %w", id, err)
	}
	return t, nil
}

// list reads the targets of f within the agencies given (nil: any; the
// city-wide ones count as agency 0) whose period is one of periods (nil:
// any), newest period first, after the cursor.
func list(ctx context.Context, q db.Querier, f Filter, agencies []int64, periods []string, p db.Page) ([]Target, string, error) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.AgencyID != nil {
		if *f.AgencyID == 0 {
			conds = append(conds, "t.agency_id IS NULL")
		} else {
			conds = append(conds, "t.agency_id = "+arg(*f.AgencyID))
		}
	}
	if f.Period != nil {
		conds = append(conds, "t.period = "+arg(*f.Period))
	}
	if periods != nil {
		marks := []string{"NULL"} // none: no target
		for _, label := range periods {
			marks = append(marks, arg(label))
		}
		conds = append(conds, "t.period IN ("+strings.Join(marks, ", ")+")")
	}
	if agencies != nil {
		scope := []string{"1 = 0"}
		var ids []int64
		for _, a := range agencies {
			if a == 0 {
				scope = append(scope, "t.agency_id IS NULL")
			} else {
				ids = append(ids, a)
			}
		}
		if len(ids) > 0 {
			marks := make([]string, len(ids))
			for i, id := range ids {
				marks[i] = arg(id)
			}
			scope = append(scope, "t.agency_id IN ("+strings.Join(marks, ", ")+")")
		}
		conds = append(conds, "("+strings.Join(scope, " OR ")+")")
	}
	if p.After != "" {
		var period string
		var id int64
		if err := db.ParseCursor(p.After, &period, &id); err != nil {
			return nil, "", err
		}
		conds = append(conds, fmt.Sprintf("(t.period < %s OR (t.period = %s AND t.id > %s))", arg(period), arg(period), arg(id)))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+where+` ORDER BY t.period DESC, t.id LIMIT `+arg(p.Limit+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("targets: list: %w", err)
	}
	defer rows.Close()
	out := []Target{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, "", fmt.Errorf("targets: list: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("targets: list: %w", err)
	}
	next := ""
	if len(out) > p.Limit {
		out = out[:p.Limit]
		last := out[len(out)-1]
		next = db.Cursor(last.Period, last.ID)
	}
	return out, next, nil
}

// insert writes a new, validated target.
func insert(ctx context.Context, tx *sql.Tx, in Input, goal float64, by int64, now time.Time) (int64, error) {
	id, err := db.InsertID(ctx, tx, `INSERT INTO learning_targets (agency_id, period, metric, goal, competency_id,
		level, app_id, role, position_id, note, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		in.AgencyID, in.Period, in.Metric, goal, in.CompetencyID, in.Level, in.AppID, in.Role, in.PositionID,
		in.Note, db.NullID(by), now)
	if err != nil {
		return 0, fmt.Errorf("targets: insert: %w", err)
	}
	return id, nil
}

// exists reports whether a row of table with id exists (and, for
// competencies, is not retired).
func exists(ctx context.Context, q db.Querier, table string, id int64) (bool, error) {
	query := map[string]string{
		"agencies":     `SELECT 1 FROM agencies WHERE id = $1`,
		"competencies": `SELECT 1 FROM competencies WHERE id = $1 AND retired_at IS NULL`,
		"apps":         `SELECT 1 FROM apps WHERE id = $1`,
		"positions":    `SELECT 1 FROM positions WHERE id = $1`,
	}[table]
	var one int
	err := q.QueryRowContext(ctx, query, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("targets: %s %d: %w", table, id, err)
	}
	return true, nil
}
