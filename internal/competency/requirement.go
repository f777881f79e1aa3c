package competency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Requirement says that everyone holding a position, a role, or operating
// an application needs a competency at a level: in the whole city
// (AgencyID null) or in one agency.
type Requirement struct {
	ID             int64     `json:"id"`
	CompetencyID   int64     `json:"competency_id"`
	CompetencyCode string    `json:"competency_code"`
	CompetencyName string    `json:"competency_name"`
	Level          int       `json:"level"`
	PositionID     *int64    `json:"position_id"`
	PositionName   string    `json:"position_name,omitempty"`
	Role           *string   `json:"role"`
	AppID          *int64    `json:"app_id"`
	AppName        string    `json:"app_name,omitempty"`
	AgencyID       *int64    `json:"agency_id"`
	AgencyName     string    `json:"agency_name,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// RequirementInput is a new requirement: a competency, a level, exactly
// one of a position, a role and an application, and optionally an agency.
type RequirementInput struct {
	CompetencyID int64   `json:"competency_id"`
	Level        int     `json:"level"`
	PositionID   *int64  `json:"position_id,omitempty"`
	Role         *string `json:"role,omitempty"`
	AppID        *int64  `json:"app_id,omitempty"`
	AgencyID     *int64  `json:"agency_id,omitempty"`
}

// RequirementFilter narrows the list of requirements.
type RequirementFilter struct {
	CompetencyID *int64
	AgencyID     *int64 // that agency's own and the city's
	PositionID   *int64
	AppID        *int64
	Role         *string
	CityOnly     bool // only the city-wide ones
}

const requirementColumns = `r.id, r.competency_id, c.code, c.name, r.level, r.position_id, COALESCE(p.name, ''),
	r.role, r.app_id, COALESCE(ap.name, ''), r.agency_id, COALESCE(ag.name, ''), r.created_at
	FROM competency_requirements r JOIN competencies c ON c.id = r.competency_id
	LEFT JOIN positions p ON p.id = r.position_id LEFT JOIN apps ap ON ap.id = r.app_id
	LEFT JOIN agencies ag ON ag.id = r.agency_id`

func scanRequirement(row interface{ Scan(...any) error }) (Requirement, error) {
	var r Requirement
	var pos, app, agency sql.NullInt64
	var role sql.NullString
	err := row.Scan(&r.ID, &r.CompetencyID, &r.CompetencyCode, &r.CompetencyName, &r.Level, &pos, &r.PositionName,
		&role, &app, &r.AppName, &agency, &r.AgencyName, &r.CreatedAt)
	if pos.Valid {
		r.PositionID = &pos.Int64
	}
	if role.Valid {
		r.Role = &role.String
	}
	if app.Valid {
		r.AppID = &app.Int64
	}
	if agency.Valid {
		r.AgencyID = &agency.Int64
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

// Requirements lists the requirements matching f, a page at a time, by
// competency code and then id. Anyone signed in may read them: they say
// what the organization expects.
func (s *Service) Requirements(ctx context.Context, f RequirementFilter, p db.Page) ([]Requirement, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.CompetencyID != nil {
		where = append(where, "r.competency_id = "+arg(*f.CompetencyID))
	}
	if f.AgencyID != nil {
		where = append(where, "(r.agency_id IS NULL OR r.agency_id = "+arg(*f.AgencyID)+")")
	}
	if f.CityOnly {
		where = append(where, "r.agency_id IS NULL")
	}
	if f.PositionID != nil {
		where = append(where, "r.position_id = "+arg(*f.PositionID))
	}
	if f.AppID != nil {
		where = append(where, "r.app_id = "+arg(*f.AppID))
	}
	if f.Role != nil {
		where = append(where, "r.role = "+arg(*f.Role))
	}
	if p.After != "" {
		var code string
		var id int64
		if err := db.ParseCursor(p.After, &code, &id); err != nil {
			return nil, "", err
		}
		where = append(where, "(c.code > "+arg(code)+" OR (c.code = "+arg(code)+" AND r.id > "+arg(id)+"))")
	}
	q := `SELECT ` + requirementColumns
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.code, r.id LIMIT " + arg(p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("requirements: %w", err)
	}
	defer rows.Close()
	list := []Requirement{}
	for rows.Next() {
		r, err := scanRequirement(rows)
		if err != nil {
			return nil, "", fmt.Errorf("requirements: %w", err)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("requirements: %w", err)
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.CompetencyCode, last.ID)
	}
	return list, next, nil
}

// GetRequirement returns one requirement.
func (s *Service) GetRequirement(ctx context.Context, id int64) (Requirement, error) {
	return getRequirement(ctx, s.db.R, id)
}

func getRequirement(ctx context.Context, q db.Querier, id int64) (Requirement, error) {
	r, err := scanRequirement(q.QueryRowContext(ctx, `SELECT `+requirementColumns+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.New(errs.NotFound, "competency.requirement_not_found")
	}
	if err != nil {
		return r, fmt.Errorf("requirement %d: %w", id, err)
	}
	return r, nil
}

func agencyOf(r RequirementInput) int64 {
	if r.AgencyID == nil {
		return 0
	}
	return *r.AgencyID
}

// AddRequirement adds a requirement: the expert team for the city or any
// agency, an agency's admin for their own agency.
func (s *Service) AddRequirement(ctx context.Context, actor *policy.Actor, in RequirementInput) (Requirement, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := policy.Check(actor, policy.RequirementManage, policy.Target{AgencyID: agencyOf(in)}); err != nil {
			return err
		}
		if err := checkRequirement(ctx, tx, in); err != nil {
			return err
		}
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO competency_requirements (competency_id, level, position_id, role,
			app_id, agency_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			in.CompetencyID, in.Level, in.PositionID, in.Role, in.AppID, in.AgencyID, db.NullID(actor.AccountID), clock())
		if err != nil {
			if _, ok := s.db.Dialect.UniqueViolation(err); ok {
				return errs.New(errs.Conflict, "competency.requirement_exists")
			}
			return fmt.Errorf("add requirement: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "competency_requirement",
			EntityID: id, AgencyID: agencyOf(in), After: in})
	})
	if err != nil {
		return Requirement{}, err
	}
	return s.GetRequirement(ctx, id)
}

// checkRequirement validates a new requirement against what exists.
func checkRequirement(ctx context.Context, tx db.Querier, in RequirementInput) error {
	var v errs.Validation
	if in.Level < 1 || in.Level > Levels {
		v.Add("level", "competency.level_range", Levels)
	}
	targets := 0
	for _, set := range []bool{in.PositionID != nil, in.Role != nil, in.AppID != nil} {
		if set {
			targets++
		}
	}
	if targets != 1 {
		v.Add("target", "competency.requirement_target")
	}
	if in.Role != nil && !policy.Role(*in.Role).Valid() {
		v.Add("role", "one_of", "employee, operator, agency_admin, agency_head, trainer, agent, expert, executive")
	}
	exists := func(field, table string, id *int64) error {
		if id == nil {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1`, *id).Scan(&n); err != nil {
			return fmt.Errorf("requirement %s: %w", field, err)
		}
		if n == 0 {
			v.Add(field, "competency.unknown")
		}
		return nil
	}
	for _, c := range []struct {
		field, table string
		id           *int64
	}{{"position_id", "positions", in.PositionID}, {"app_id", "apps", in.AppID}, {"agency_id", "agencies", in.AgencyID}} {
		if err := exists(c.field, c.table, c.id); err != nil {
			return err
		}
	}
	c, err := getCompetency(ctx, tx, in.CompetencyID)
	switch {
	case errs.Is(err, errs.NotFound):
		v.Add("competency_id", "competency.unknown")
	case err != nil:
		return err
	case c.Retired():
		v.Add("competency_id", "competency.retired")
	}
	return v.Err()
}

// SetRequirementLevel changes the level a requirement asks for.
func (s *Service) SetRequirementLevel(ctx context.Context, actor *policy.Actor, id int64, level int) (Requirement, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := s.manageableRequirement(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if level < 1 || level > Levels {
			return errs.FieldErr("level", "competency.level_range", Levels)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE competency_requirements SET level = $1 WHERE id = $2`, level, id); err != nil {
			return fmt.Errorf("requirement %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "competency_requirement", EntityID: id,
			AgencyID: idOr0(old.AgencyID), Before: map[string]int{"level": old.Level}, After: map[string]int{"level": level}})
	})
	if err != nil {
		return Requirement{}, err
	}
	return s.GetRequirement(ctx, id)
}

// RemoveRequirement deletes a requirement.
func (s *Service) RemoveRequirement(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := s.manageableRequirement(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM competency_requirements WHERE id = $1`, id); err != nil {
			return fmt.Errorf("remove requirement %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "competency_requirement", EntityID: id,
			AgencyID: idOr0(old.AgencyID), Before: old})
	})
}

func (s *Service) manageableRequirement(ctx context.Context, tx db.Querier, actor *policy.Actor, id int64) (Requirement, error) {
	r, err := getRequirement(ctx, tx, id)
	if err != nil {
		return r, err
	}
	return r, policy.Check(actor, policy.RequirementManage, policy.Target{AgencyID: idOr0(r.AgencyID)})
}

func idOr0(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
