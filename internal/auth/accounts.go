package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// CityAgencyCode is the agency a new person with only a city-wide role is
// placed in when no (existing) agency is named: Kominfo, which runs the
// platform. Every person belongs to an agency, and a fresh database has
// none, so `lontara user create --role superadmin` creates it if missing.
const CityAgencyCode = "KOMINFO"

// cityAgencyName is the name CityAgencyCode is created with.
const cityAgencyName = "Dinas Komunikasi dan Informatika"

// UserInput is a person with an account and a role, as `lontara user
// create` and the users page give it.
type UserInput struct {
	Email string
	Name  string // for a new person
	Role  policy.Role
	// AgencyCode is where an agency-scoped role holds (and a new person
	// works). For city-wide roles it only places a new person, if it names
	// an existing agency; otherwise it is ignored.
	AgencyCode string
	AppSlug    string // operators only: the application operated
	Password   string `json:"-"` // for a new account; ignored when the account exists
	// EmploymentType of a new person: pns, pppk, contract or outsourced;
	// empty means pns when NIP is given, else contract.
	EmploymentType string
	NIP            string
}

// UserResult says what CreateUser did.
type UserResult struct {
	AccountID  int64
	EmployeeID int64
	AgencyID   int64 // the person's agency
	Grant      policy.Grant
	NewPerson  bool
	NewAccount bool
	NewGrant   bool // false: the account already held the role
}

// CreateUser gives the person with in.Email an account holding in.Role,
// creating the person and the account as needed, in one transaction. An
// existing account gets the role added; its password is left alone. For an
// existing person the actor also needs the right to manage their account,
// and an agency-scoped role they are given must be of the agency they work
// in (see checkHolder).
func (s *Service) CreateUser(ctx context.Context, actor *policy.Actor, in UserInput) (UserResult, error) {
	in.Email = NormalizeEmail(in.Email)
	var v errs.Validation
	switch {
	case in.Email == "":
		v.Add("email", "required")
	case !org.ValidEmail(in.Email):
		v.Add("email", "email.format")
	}
	if !in.Role.Valid() {
		v.Add("role", "one_of", roleList())
	}
	if in.Password != "" {
		if err := ValidatePassword(in.Password, in.Email); err != nil {
			return UserResult{}, err
		}
	}
	if err := v.Err(); err != nil {
		return UserResult{}, err
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = s.hasher.Hash(ctx, in.Password); err != nil {
			return UserResult{}, err
		}
	}
	var res UserResult
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.createUserTx(ctx, tx, actor, in, hash)
		return err
	})
	return res, err
}

func (s *Service) createUserTx(ctx context.Context, tx *sql.Tx, actor *policy.Actor, in UserInput, hash string) (UserResult, error) {
	g, err := resolveGrant(ctx, tx, in.Role, in.AgencyCode, in.AppSlug)
	if err != nil {
		return UserResult{}, err
	}
	if err := checkRunsApp(ctx, tx, g, "app"); err != nil {
		return UserResult{}, err
	}
	if err := policy.Check(actor, policy.RoleGrant, policy.Target{AgencyID: g.AgencyID, Role: g.Role}); err != nil {
		return UserResult{}, err
	}
	res := UserResult{Grant: g}
	p, err := findPerson(ctx, tx, in.Email)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if p, err = s.createPerson(ctx, tx, actor, in, g); err != nil {
			return res, err
		}
		res.NewPerson = true
	case err != nil:
		return res, err
	default:
		// The person exists, perhaps in another agency and with an account
		// holding other roles: adding a login or a role to it is managing
		// their account (review finding C2).
		if err := checkManage(ctx, tx, actor, p); err != nil {
			return res, err
		}
		if !p.active {
			return res, errs.FieldErr("email", "auth.person_inactive")
		}
		if err := checkHolder(actor, p, g, "agency"); err != nil {
			return res, err
		}
	}
	res.EmployeeID, res.AgencyID, res.AccountID = p.employeeID, p.agencyID, p.accountID
	if res.AccountID == 0 {
		if hash == "" {
			return res, errs.FieldErr("password", "required")
		}
		if res.AccountID, err = s.createAccount(ctx, tx, actor, p, hash); err != nil {
			return res, err
		}
		res.NewAccount = true
	}
	res.NewGrant, err = s.grantTx(ctx, tx, actor, res.AccountID, g)
	return res, err
}

// createPerson creates the person through the org service. A person with
// an agency-scoped role works in that agency; one with a city-wide role in
// the agency named, if it exists, else in CityAgencyCode.
func (s *Service) createPerson(ctx context.Context, tx *sql.Tx, actor *policy.Actor, in UserInput, g policy.Grant) (person, error) {
	agencyID := g.AgencyID
	if agencyID == 0 {
		var err error
		if agencyID, err = s.cityWideHome(ctx, tx, actor, in.AgencyCode); err != nil {
			return person{}, err
		}
	}
	typ := strings.TrimSpace(in.EmploymentType)
	if typ == "" {
		typ = org.EmploymentContract
		if strings.TrimSpace(in.NIP) != "" {
			typ = org.EmploymentPNS
		}
	}
	e, err := s.org.CreateEmployeeTx(ctx, tx, actor, org.EmployeeInput{
		AgencyID: agencyID, Name: in.Name, Email: in.Email, NIP: in.NIP, EmploymentType: typ})
	if err != nil {
		return person{}, err
	}
	return person{employeeID: e.ID, agencyID: e.AgencyID, active: true}, nil
}

func (s *Service) cityWideHome(ctx context.Context, tx *sql.Tx, actor *policy.Actor, code string) (int64, error) {
	if code = strings.TrimSpace(code); code != "" {
		if id, err := agencyIDByCode(ctx, tx, code); err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	id, err := agencyIDByCode(ctx, tx, CityAgencyCode)
	if errors.Is(err, sql.ErrNoRows) {
		return createCityAgency(ctx, tx, actor, s.now())
	}
	return id, err
}

func (s *Service) createAccount(ctx context.Context, tx *sql.Tx, actor *policy.Actor, p person, hash string) (int64, error) {
	id, err := insertAccount(ctx, tx, p.employeeID, hash, s.now())
	if err != nil {
		return 0, err
	}
	return id, audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "account", EntityID: id,
		AgencyID: p.agencyID, After: accountAudit{ID: id, EmployeeID: p.employeeID, Active: true}})
}

// accountAudit is what the audit log keeps of an account: never the hash.
type accountAudit struct {
	ID         int64 `json:"id"`
	EmployeeID int64 `json:"employee_id"`
	Active     bool  `json:"active"`
}

// resolveGrant turns a role with an agency code and an application slug
// into a grant: agency-scoped roles need the agency, city-wide roles
// ignore it, and only operators name an application.
func resolveGrant(ctx context.Context, q *sql.Tx, role policy.Role, agencyCode, appSlug string) (policy.Grant, error) {
	g := policy.Grant{Role: role}
	var v errs.Validation
	agencyCode, appSlug = strings.TrimSpace(agencyCode), strings.TrimSpace(appSlug)
	if !role.CityWide() {
		id, err := agencyIDByCode(ctx, q, agencyCode)
		switch {
		case agencyCode == "":
			v.Add("agency", "required")
		case errors.Is(err, sql.ErrNoRows):
			v.Add("agency", "auth.agency_unknown", agencyCode)
		case err != nil:
			return g, err
		}
		g.AgencyID = id
	}
	if appSlug != "" {
		id, err := appIDBySlug(ctx, q, appSlug)
		switch {
		case role != policy.Operator:
			v.Add("app", "auth.app_operator_only")
		case errors.Is(err, sql.ErrNoRows):
			v.Add("app", "auth.app_unknown", appSlug)
		case err != nil:
			return g, err
		}
		g.AppID = id
	}
	return g, v.Err()
}

func roleList() string {
	names := make([]string, len(policy.Roles))
	for i, r := range policy.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
