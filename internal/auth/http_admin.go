package auth

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// usersPage lists accounts with the filter's choices.
type usersPage struct {
	Items    []Account
	Next     string
	Agencies []org.Agency // those whose accounts the viewer manages
	Roles    []policy.Role
}

// accountFilter reads the list filters shared by the page and the API.
func accountFilter(r *http.Request) (AccountFilter, error) {
	agency, err := web.QueryID(r, "agency_id")
	if err != nil {
		return AccountFilter{}, err
	}
	f := AccountFilter{AgencyID: agency, Query: web.QueryString(r, "q")}
	if s := web.QueryString(r, "role"); s != nil {
		role := policy.Role(*s)
		if !role.Valid() {
			return f, errs.FieldErr("role", "one_of", roleList())
		}
		f.Role = &role
	}
	return f, nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	f, err := accountFilter(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	pg, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	items, next, err := h.auth.ListAccounts(r.Context(), actor, f, pg)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	agencies, err := h.agencies(r.Context(), func(a org.Agency) bool {
		return policy.Can(actor, policy.AccountManage, policy.Target{AgencyID: a.ID})
	})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/users", "auth.users.title",
		usersPage{Items: items, Next: next, Agencies: agencies, Roles: policy.Roles})
}

// userPage is one account with its roles and the forms to change them.
// MayManage is false for an account the viewer may see but not change (an
// agency admin looking at their agency head's): the forms are left out.
type userPage struct {
	Account   Account
	Grants    []grantRow
	Choices   grantChoices
	MayManage bool
	LockAfter int // wrong passwords in a row that lock an account
}

func (h *Handler) userData(r *http.Request) (userPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return userPage{}, err
	}
	ctx, actor := r.Context(), web.Actor(r)
	p := userPage{LockAfter: LockAfter}
	if p.Account, err = h.auth.GetAccount(ctx, actor, id); err != nil {
		return p, err
	}
	if p.Grants, err = h.grantRows(ctx, p.Account.Grants); err != nil {
		return p, err
	}
	p.MayManage = policy.Can(actor, policy.AccountManage, policy.Target{AgencyID: p.Account.AgencyID,
		EmployeeID: p.Account.EmployeeID, Grants: p.Account.Grants})
	p.Choices, err = h.grantChoices(ctx, actor)
	return p, err
}

func (h *Handler) user(w http.ResponseWriter, r *http.Request) {
	p, err := h.userData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/user", "auth.user.title", p)
}

// formGrant reads a grant from a form. A city-wide role ignores the agency
// chosen, as `lontara user create` does.
func formGrant(r *http.Request) (policy.Grant, error) {
	g := policy.Grant{Role: policy.Role(strings.TrimSpace(r.PostFormValue("role")))}
	var v errs.Validation
	var ok bool
	if !g.Role.Valid() {
		v.Add("role", "one_of", roleList())
	}
	if !g.Role.CityWide() {
		if g.AgencyID, ok = formID(r, "agency_id"); !ok {
			v.Add("agency_id", "number")
		}
	}
	if g.AppID, ok = formID(r, "app_id"); !ok {
		v.Add("app_id", "number")
	}
	return g, v.Err()
}

func userURL(id int64) string { return "/admin/pengguna/" + strconv.FormatInt(id, 10) }

func (h *Handler) grant(w http.ResponseWriter, r *http.Request) {
	p, err := h.userData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	g, err := formGrant(r)
	if err == nil {
		err = h.auth.GrantRole(r.Context(), web.Actor(r), p.Account.ID, g)
	}
	if err != nil {
		web.RenderForm(w, r, "auth/user", "auth.user.title", p, err)
		return
	}
	web.Redirect(w, r, userURL(p.Account.ID), "auth.role_granted")
}

func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	g, err := formGrant(r)
	if err == nil {
		err = h.auth.RevokeRole(r.Context(), web.Actor(r), id, g)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, userURL(id), "auth.role_revoked")
}

// unlock unlocks an account that too many wrong passwords locked.
func (h *Handler) unlock(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.auth.UnlockAccount(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, userURL(id), "auth.unlocked")
}

// passwordShown is the page that shows a generated password, once.
type passwordShown struct {
	Account  Account
	Password string
	Reset    ResetResult
}

// resetPassword gives the account a generated password, shown once; the
// reset ends its sessions and revokes its tokens.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), web.Actor(r)
	acc, err := h.auth.GetAccount(ctx, actor, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	password := GeneratePassword()
	res, err := h.auth.ResetPassword(ctx, actor, acc.Email, password)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/password_reset", "auth.reset.title",
		passwordShown{Account: acc, Password: password, Reset: res})
}

// newUserPage is the form that creates a person with an account.
type newUserPage struct {
	Choices         grantChoices
	EmploymentTypes []string
}

func (h *Handler) newUserData(r *http.Request) (newUserPage, error) {
	c, err := h.grantChoices(r.Context(), web.Actor(r))
	if err == nil && len(c.Roles) == 0 {
		err = errs.New(errs.Forbidden, "forbidden")
	}
	return newUserPage{Choices: c, EmploymentTypes: org.EmploymentTypes}, err
}

func (h *Handler) newUserForm(w http.ResponseWriter, r *http.Request) {
	p, err := h.newUserData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/user_new", "auth.new.title", p)
}

// userCreated is the page after a user was created: the generated password,
// shown once, when a new account was made.
type userCreated struct {
	Email    string
	Result   UserResult
	Password string
}

// createUser creates the person (if new) and the account with a generated
// password, or adds the role to an existing account.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	p, err := h.newUserData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := UserInput{
		Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: policy.Role(strings.TrimSpace(r.PostFormValue("role"))), AgencyCode: r.PostFormValue("agency"),
		AppSlug: r.PostFormValue("app"), EmploymentType: r.PostFormValue("employment_type"),
		NIP: r.PostFormValue("nip"), Password: GeneratePassword(),
	}
	res, err := h.auth.CreateUser(r.Context(), web.Actor(r), in)
	if err != nil {
		web.RenderForm(w, r, "auth/user_new", "auth.new.title", p, err)
		return
	}
	out := userCreated{Email: NormalizeEmail(in.Email), Result: res}
	if res.NewAccount {
		out.Password = in.Password
	}
	web.Render(w, r, http.StatusCreated, "auth/user_created", "auth.created.title", out)
}
