package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// AgencyInput is a new agency.
type AgencyInput struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	ParentID *int64 `json:"parent_id"`
}

// AgencyPatch changes an agency; nil fields stay as they are. ParentID 0
// removes the parent.
type AgencyPatch struct {
	Code     *string `json:"code"`
	Name     *string `json:"name"`
	Type     *string `json:"type"`
	ParentID *int64  `json:"parent_id"`
}

// CreateAgency adds an agency (superadmin only).
func (s *Service) CreateAgency(ctx context.Context, actor *policy.Actor, in AgencyInput) (Agency, error) {
	if err := policy.Check(actor, policy.AgencyWrite, policy.Target{}); err != nil {
		return Agency{}, err
	}
	a := Agency{Code: clean(in.Code), Name: clean(in.Name), Type: strings.TrimSpace(in.Type), ParentID: in.ParentID}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkAgency(ctx, tx, &a); err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO agencies (code, name, type, parent_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, a.Code, a.Name, a.Type, a.ParentID, s.now())
		if err != nil {
			return s.writeErr(err, "create agency")
		}
		if a, err = findAgency(ctx, tx, "id", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "agency", EntityID: id, AgencyID: id, After: a})
	})
	return a, err
}

// UpdateAgency changes an agency (superadmin only).
func (s *Service) UpdateAgency(ctx context.Context, actor *policy.Actor, id int64, p AgencyPatch) (Agency, error) {
	if err := policy.Check(actor, policy.AgencyWrite, policy.Target{AgencyID: id}); err != nil {
		return Agency{}, err
	}
	var a Agency
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findAgency(ctx, tx, "id", id)
		if err != nil {
			return err
		}
		a = before
		applyAgencyPatch(&a, p)
		if err := checkAgency(ctx, tx, &a); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE agencies SET code = $2, name = $3, type = $4, parent_id = $5,
			updated_at = $6 WHERE id = $1`, id, a.Code, a.Name, a.Type, a.ParentID, s.now())
		if err != nil {
			return s.writeErr(err, "update agency")
		}
		if a, err = findAgency(ctx, tx, "id", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "agency", EntityID: id,
			AgencyID: id, Before: before, After: a})
	})
	return a, err
}

func applyAgencyPatch(a *Agency, p AgencyPatch) {
	if p.Code != nil {
		a.Code = clean(*p.Code)
	}
	if p.Name != nil {
		a.Name = clean(*p.Name)
	}
	if p.Type != nil {
		a.Type = strings.TrimSpace(*p.Type)
	}
	if p.ParentID != nil {
		a.ParentID = p.ParentID
		if *p.ParentID == 0 {
			a.ParentID = nil
		}
	}
}

// codeShape is what an agency code may hold: it appears in URLs and files.
var codeShape = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkAgency validates an agency: its own fields, then its parent (which
// must exist, fit the type, and not be the agency itself or below it), then
// that no other agency has the code in any case.
func checkAgency(ctx context.Context, q db.Querier, a *Agency) error {
	var v errs.Validation
	checkText(&v, "name", a.Name, maxName, true)
	checkText(&v, "code", a.Code, maxCode, true)
	if a.Code != "" && !codeShape.MatchString(a.Code) {
		v.Add("code", "agency.code_format")
	}
	if !validType(a.Type) {
		v.Add("type", "one_of", strings.Join(AgencyTypes, ", "))
	}
	if err := checkParent(ctx, q, &v, a); err != nil {
		return err
	}
	if !v.Has("code") {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE upper(code) = $1 AND id <> $2`, strings.ToUpper(a.Code), a.ID).Scan(&n); err != nil {
			return fmt.Errorf("org: check agency code: %w", err)
		}
		if n > 0 {
			v.Add("code", "code.taken")
		}
	}
	return verdict(&v)
}

func checkParent(ctx context.Context, q db.Querier, v *errs.Validation, a *Agency) error {
	want := parentTypes[a.Type]
	if a.ParentID == nil {
		if want != nil {
			v.Add("parent_id", "agency.parent_required", strings.Join(want, ", "))
		}
		return nil
	}
	parent, err := findAgency(ctx, q, "id", *a.ParentID)
	if errs.Is(err, errs.NotFound) {
		v.Add("parent_id", "agency.unknown")
		return nil
	}
	if err != nil {
		return err
	}
	if want != nil && !slices.Contains(want, parent.Type) {
		v.Add("parent_id", "agency.parent_type", strings.Join(want, ", "))
	}
	// Walk up from the parent: meeting the agency itself would make a loop.
	for p, hops := &parent, 0; a.ID != 0 && hops < 64; hops++ {
		if p.ID == a.ID {
			v.Add("parent_id", "agency.parent_loop")
			return nil
		}
		if p.ParentID == nil {
			return nil
		}
		next, err := findAgency(ctx, q, "id", *p.ParentID)
		if err != nil {
			return err
		}
		p = &next
	}
	return nil
}

// GetAgency returns the agency with id.
func (s *Service) GetAgency(ctx context.Context, id int64) (Agency, error) {
	return findAgency(ctx, s.db.R, "id", id)
}

// GetAgencyByCode returns the agency with code, ignoring case: people type
// "dinkes" for DINKES.
func (s *Service) GetAgencyByCode(ctx context.Context, code string) (Agency, error) {
	return findAgency(ctx, s.db.R, "upper(code)", strings.ToUpper(strings.TrimSpace(code)))
}

const agencySelect = `SELECT id, code, name, type, parent_id, created_at, updated_at FROM agencies`

func scanAgency(row interface{ Scan(...any) error }) (Agency, error) {
	var a Agency
	err := row.Scan(&a.ID, &a.Code, &a.Name, &a.Type, &a.ParentID, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// findAgency reads one agency by a unique column ("id", "upper(code)").
func findAgency(ctx context.Context, q db.Querier, col string, val any) (Agency, error) {
	a, err := scanAgency(q.QueryRowContext(ctx, agencySelect+" WHERE "+col+" = $1", val))
	if errors.Is(err, sql.ErrNoRows) {
		return Agency{}, errs.New(errs.NotFound, "agency.not_found")
	}
	if err != nil {
		return Agency{}, fmt.Errorf("org: read agency: %w", err)
	}
	return a, nil
}

// AgencyFilter selects agencies; nil fields do not filter.
type AgencyFilter struct {
	Type     *string
	ParentID *int64
	Query    *string // contained in the code or the name, ignoring case
}

// ListAgencies returns one page of agencies ordered by code, and the cursor
// of the next page ("" on the last). Every signed-in person may list them.
func (s *Service) ListAgencies(ctx context.Context, f AgencyFilter, p db.Page) ([]Agency, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Type != nil {
		where = append(where, "type = "+arg(*f.Type))
	}
	if f.ParentID != nil {
		where = append(where, "parent_id = "+arg(*f.ParentID))
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := arg(db.EscapeLike(strings.TrimSpace(*f.Query)))
		where = append(where, "("+s.db.Dialect.ContainsFold("code", q)+" OR "+s.db.Dialect.ContainsFold("name", q)+")")
	}
	if p.After != "" {
		var code string
		var id int64
		if err := db.ParseCursor(p.After, &code, &id); err != nil {
			return nil, "", err
		}
		where = append(where, "(code, id) > ("+arg(code)+", "+arg(id)+")")
	}
	query := agencySelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.R.QueryContext(ctx, query+" ORDER BY code, id LIMIT "+arg(p.Size()+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("org: list agencies: %w", err)
	}
	defer rows.Close()
	list := []Agency{}
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, "", fmt.Errorf("org: list agencies: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("org: list agencies: %w", err)
	}
	if len(list) <= p.Size() {
		return list, "", nil
	}
	list = list[:p.Size()]
	return list, db.Cursor(list[len(list)-1].Code, list[len(list)-1].ID), nil
}
