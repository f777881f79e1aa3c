package auth

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Account is an account as the users and roles page lists it.
type Account struct {
	ID           int64          `json:"id"`
	EmployeeID   int64          `json:"employee_id"`
	Name         string         `json:"name"`
	Email        string         `json:"email"`
	AgencyID     int64          `json:"agency_id"`
	AgencyCode   string         `json:"agency_code"`
	AgencyName   string         `json:"agency_name"`
	Grants       []policy.Grant `json:"grants"`
	Active       bool           `json:"active"` // the account and its person are both active
	LastSignInAt *time.Time     `json:"last_sign_in_at"`
	// LockedAt is when too many wrong passwords locked the account (see
	// LockAfter); null when it is not locked.
	LockedAt  *time.Time `json:"locked_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// AccountFilter narrows ListAccounts; nil fields do not filter.
type AccountFilter struct {
	AgencyID *int64
	Role     *policy.Role
	Query    *string // part of the name or email
	Active   *bool
}

// ListAccounts lists accounts by name. The superadmin sees every account;
// an agency admin sees the accounts of people in the agencies they manage.
func (s *Service) ListAccounts(ctx context.Context, actor *policy.Actor, f AccountFilter, p db.Page) ([]Account, string, error) {
	scope, err := accountScope(actor)
	if err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if scope != nil {
		if f.AgencyID != nil && !slices.Contains(scope, *f.AgencyID) {
			return nil, "", errs.New(errs.Forbidden, "forbidden")
		}
		marks := make([]string, len(scope))
		for i, id := range scope {
			marks[i] = arg(id)
		}
		where = append(where, "e.agency_id IN ("+strings.Join(marks, ", ")+")")
	}
	if f.AgencyID != nil {
		where = append(where, "e.agency_id = "+arg(*f.AgencyID))
	}
	if f.Role != nil {
		where = append(where, "EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role = "+arg(string(*f.Role))+")")
	}
	if f.Query != nil && *f.Query != "" {
		q := arg(db.EscapeLike(*f.Query))
		where = append(where, "("+s.db.Dialect.ContainsFold("e.name", q)+" OR "+s.db.Dialect.ContainsFold("e.email", q)+")")
	}
	if f.Active != nil {
		where = append(where, "(a.active = TRUE AND e.active = TRUE) = "+arg(*f.Active))
	}
	if p.After != "" {
		var name string
		var id int64
		if err := db.ParseCursor(p.After, &name, &id); err != nil {
			return nil, "", err
		}
		n := arg(name)
		where = append(where, "(e.name > "+n+" OR (e.name = "+n+" AND a.id > "+arg(id)+"))")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	list, err := queryAccounts(ctx, s.db.R, cond+" ORDER BY e.name, a.id LIMIT "+arg(p.Size()+1), args)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.Name, last.ID)
	}
	return list, next, addGrants(ctx, s.db.R, list)
}

// GetAccount returns one account with its grants, scoped as ListAccounts
// is: the superadmin reads any account, an agency admin those of people in
// the agencies they manage (Forbidden for others).
func (s *Service) GetAccount(ctx context.Context, actor *policy.Actor, id int64) (Account, error) {
	scope, err := accountScope(actor)
	if err != nil {
		return Account{}, err
	}
	list, err := queryAccounts(ctx, s.db.R, " WHERE a.id = $1", []any{id})
	if err != nil {
		return Account{}, err
	}
	if len(list) == 0 {
		return Account{}, errs.New(errs.NotFound, "auth.account_not_found")
	}
	if scope != nil && !slices.Contains(scope, list[0].AgencyID) {
		return Account{}, errs.New(errs.Forbidden, "forbidden")
	}
	return list[0], addGrants(ctx, s.db.R, list)
}

// accountScope returns the agencies whose accounts actor may list, nil
// for all of them.
func accountScope(actor *policy.Actor) ([]int64, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	if policy.Can(actor, policy.AccountManage, policy.Target{}) {
		return nil, nil
	}
	var scope []int64
	for _, id := range actor.AgenciesWith(policy.AgencyAdmin) {
		if policy.Can(actor, policy.AccountManage, policy.Target{AgencyID: id}) {
			scope = append(scope, id)
		}
	}
	if len(scope) == 0 {
		return nil, errs.New(errs.Forbidden, "forbidden")
	}
	return scope, nil
}

func queryAccounts(ctx context.Context, q db.Querier, tail string, args []any) ([]Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.employee_id, e.name, COALESCE(e.email, ''), e.agency_id,
		ag.code, ag.name, a.active AND e.active, a.last_sign_in_at, a.locked_at, a.created_at
		FROM accounts a JOIN employees e ON e.id = a.employee_id JOIN agencies ag ON ag.id = e.agency_id`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("auth: list accounts: %w", err)
	}
	defer rows.Close()
	var list []Account
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.EmployeeID, &a.Name, &a.Email, &a.AgencyID, &a.AgencyCode, &a.AgencyName,
			&a.Active, &a.LastSignInAt, &a.LockedAt, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("auth: list accounts: %w", err)
		}
		for _, t := range []**time.Time{&a.LastSignInAt, &a.LockedAt} {
			if *t != nil {
				u := (*t).UTC()
				*t = &u
			}
		}
		a.CreatedAt = a.CreatedAt.UTC()
		list = append(list, a)
	}
	return list, rows.Err()
}

// addGrants fills in the grants of the listed accounts with one query.
func addGrants(ctx context.Context, q db.Querier, list []Account) error {
	if len(list) == 0 {
		return nil
	}
	marks := make([]string, len(list))
	args := make([]any, len(list))
	at := map[int64]int{}
	for i, a := range list {
		marks[i], args[i], at[a.ID] = "$"+strconv.Itoa(i+1), a.ID, i
	}
	rows, err := q.QueryContext(ctx, `SELECT account_id, role, COALESCE(agency_id, 0), COALESCE(app_id, 0)
		FROM role_grants WHERE account_id IN (`+strings.Join(marks, ", ")+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("auth: list grants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var g policy.Grant
		if err := rows.Scan(&id, &g.Role, &g.AgencyID, &g.AppID); err != nil {
			return fmt.Errorf("auth: list grants: %w", err)
		}
		list[at[id]].Grants = append(list[at[id]].Grants, g)
	}
	return rows.Err()
}
