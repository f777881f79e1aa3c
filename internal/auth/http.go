package auth

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves sign-in and sign-out, the signed-in person's own account
// (password, API tokens), the users and roles admin, and their API.
type Handler struct {
	auth *Service
	org  *org.Service
}

// NewHandler returns the handler; people supplies persons and agencies.
func NewHandler(s *Service, people *org.Service) *Handler {
	return &Handler{auth: s, org: people}
}

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Public("GET /masuk", h.signInForm)
	rt.Public("POST /masuk", h.signIn)
	rt.Page("POST /keluar", h.signOut)

	rt.Page("GET /akun", h.account)
	rt.Page("POST /akun/sandi", h.changePassword)
	rt.Page("POST /akun/token", h.createToken)
	rt.Page("POST /akun/token/{id}/cabut", h.revokeToken)

	rt.Page("GET /admin/pengguna", h.users)
	rt.Page("GET /admin/pengguna/baru", h.newUserForm)
	rt.Page("POST /admin/pengguna/baru", h.createUser)
	rt.Page("GET /admin/pengguna/{id}", h.user)
	rt.Page("POST /admin/pengguna/{id}/peran", h.grant)
	rt.Page("POST /admin/pengguna/{id}/peran/cabut", h.revoke)
	rt.Page("POST /admin/pengguna/{id}/sandi", h.resetPassword)
	rt.Page("POST /admin/pengguna/{id}/buka-kunci", h.unlock)

	h.apiRoutes(rt)
}

// grantRow is a role held, as pages show it: with its agency's code and name.
type grantRow struct {
	policy.Grant
	AgencyCode string
	AgencyName string
}

// grantRows names the agencies of grants, reading each agency once.
func (h *Handler) grantRows(ctx context.Context, grants []policy.Grant) ([]grantRow, error) {
	seen := map[int64]org.Agency{}
	rows := make([]grantRow, len(grants))
	for i, g := range grants {
		rows[i].Grant = g
		if g.AgencyID == 0 {
			continue
		}
		a, ok := seen[g.AgencyID]
		if !ok {
			var err error
			if a, err = h.org.GetAgency(ctx, g.AgencyID); err != nil {
				return nil, err
			}
			seen[g.AgencyID] = a
		}
		rows[i].AgencyCode, rows[i].AgencyName = a.Code, a.Name
	}
	return rows, nil
}

// maxAgencyPages bounds how many pages of agencies a form reads: a city
// has about sixty agencies, a ministry's data set a few thousand.
const maxAgencyPages = 20

// agencies returns the agencies, ordered by code, that pass keep.
func (h *Handler) agencies(ctx context.Context, keep func(org.Agency) bool) ([]org.Agency, error) {
	var out []org.Agency
	p := db.Page{Limit: db.MaxLimit}
	for range maxAgencyPages {
		list, next, err := h.org.ListAgencies(ctx, org.AgencyFilter{}, p)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if keep(a) {
				out = append(out, a)
			}
		}
		if next == "" {
			break
		}
		p.After = next
	}
	return out, nil
}

// grantChoices are the roles and agencies a form offers actor: only what the
// policy would allow, so nobody is offered a choice that can only fail.
type grantChoices struct {
	Roles    []policy.Role
	Agencies []org.Agency
}

func (h *Handler) grantChoices(ctx context.Context, actor *policy.Actor) (grantChoices, error) {
	var c grantChoices
	scoped := map[policy.Role]bool{}
	var err error
	c.Agencies, err = h.agencies(ctx, func(a org.Agency) bool {
		ok := false
		for _, r := range policy.Roles {
			if !r.CityWide() && policy.Can(actor, policy.RoleGrant, policy.Target{AgencyID: a.ID, Role: r}) {
				scoped[r], ok = true, true
			}
		}
		return ok
	})
	for _, r := range policy.Roles {
		if scoped[r] || (r.CityWide() && policy.Can(actor, policy.RoleGrant, policy.Target{Role: r})) {
			c.Roles = append(c.Roles, r)
		}
	}
	return c, err
}

// formID reads an optional id from a form: 0 when empty, false when it is
// not a positive number.
func formID(r *http.Request, field string) (int64, bool) {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
