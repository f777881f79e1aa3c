package auth

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// Me is the signed-in account as GET /api/v1/me answers it: the account,
// its person, the person's agency and the roles held.
type Me struct {
	ID     int64        `json:"id"`
	Email  string       `json:"email"`
	Name   string       `json:"name"`
	Locale string       `json:"locale"`
	Person org.Employee `json:"person"`
	Agency org.Agency   `json:"agency"`
	Roles  []RoleHeld   `json:"roles"`
}

// RoleHeld is a role as the API shows it: agency_id is null for city-wide
// roles, app_id null unless the role is operator of one application.
type RoleHeld struct {
	Role     policy.Role `json:"role"`
	AgencyID *int64      `json:"agency_id"`
	AppID    *int64      `json:"app_id"`
}

// TokenInput is the body of POST /api/v1/tokens; expires_at null or absent
// means the token does not expire.
type TokenInput struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// NewToken is a token just created: its secret, returned this once, and its
// listing.
type NewToken struct {
	Plain string `json:"token"`
	Token
}

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/me", ID: "getMe", Tag: "accounts",
		Summary: "The signed-in account with its person, agency and roles", Response: Me{}}, h.apiMe)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/accounts", ID: "listAccounts", Tag: "accounts",
		Summary: "Accounts by name: all for the superadmin, an agency admin's agencies for them",
		Query: append([]web.Param{
			{Name: "agency_id", Type: "integer", Description: "only accounts of people in this agency"},
			{Name: "role", Type: "string", Description: "only accounts holding this role"},
			{Name: "q", Type: "string", Description: "part of the name or email"},
		}, web.PageParams...),
		Response: Account{}, List: true}, h.apiAccounts)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/tokens", ID: "listTokens", Tag: "accounts",
		Summary: "My API tokens, newest first, revoked ones included", Response: Token{}, List: true}, h.apiTokens)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tokens", ID: "createToken", Tag: "accounts",
		Summary: "Create an API token for myself; the secret is in this answer only",
		Body:    TokenInput{}, Response: NewToken{}, Status: http.StatusCreated}, h.apiCreateToken)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/tokens/{id}", ID: "revokeToken", Tag: "accounts",
		Summary: "Revoke an API token: one of mine (the superadmin: anyone's)", Status: http.StatusNoContent}, h.apiRevokeToken)
}

func (h *Handler) apiMe(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	if actor.AccountID == 0 {
		web.WriteProblem(w, r, errs.New(errs.Unauthorized, "unauthorized"))
		return
	}
	me := Me{ID: actor.AccountID, Email: actor.Email, Name: actor.Name, Locale: actor.Locale, Roles: []RoleHeld{}}
	var err error
	if me.Person, err = h.org.GetEmployee(ctx, actor, actor.EmployeeID); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if me.Agency, err = h.org.GetAgency(ctx, me.Person.AgencyID); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	for _, g := range actor.Grants {
		me.Roles = append(me.Roles, RoleHeld{Role: g.Role, AgencyID: idOrNil(g.AgencyID), AppID: idOrNil(g.AppID)})
	}
	web.WriteJSON(w, http.StatusOK, me)
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (h *Handler) apiAccounts(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, accountFilter, func(ctx context.Context, f AccountFilter, p db.Page) ([]Account, string, error) {
		return h.auth.ListAccounts(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiTokens(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	items, err := h.auth.ListTokens(r.Context(), actor, actor.AccountID)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, items, "")
}

func (h *Handler) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in TokenInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	plain, t, err := h.auth.CreateToken(r.Context(), actor, actor.AccountID, in.Name, in.ExpiresAt)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10), NewToken{Plain: plain, Token: t})
}

func (h *Handler) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.auth.RevokeToken(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
