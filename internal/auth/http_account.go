package auth

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/web"
)

// maxTokenDays is the longest expiry the account page offers a token.
const maxTokenDays = 3650

// accountPage is the signed-in person's own account.
type accountPage struct {
	Person org.Employee
	Agency org.Agency
	Grants []grantRow
	Tokens []Token
}

func (h *Handler) accountData(r *http.Request) (accountPage, error) {
	ctx, actor := r.Context(), web.Actor(r)
	var p accountPage
	var err error
	if p.Person, err = h.org.GetEmployee(ctx, actor, actor.EmployeeID); err != nil {
		return p, err
	}
	if p.Agency, err = h.org.GetAgency(ctx, p.Person.AgencyID); err != nil {
		return p, err
	}
	if p.Grants, err = h.grantRows(ctx, actor.Grants); err != nil {
		return p, err
	}
	p.Tokens, err = h.auth.ListTokens(ctx, actor, actor.AccountID)
	return p, err
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	p, err := h.accountData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/account", "auth.account.title", p)
}

// accountForm shows the account page again after a form on it failed.
func (h *Handler) accountForm(w http.ResponseWriter, r *http.Request, failed error) {
	p, err := h.accountData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.RenderForm(w, r, "auth/account", "auth.account.title", p, failed)
}

// changePassword changes the person's own password; this session stays
// signed in and every other one ends.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	current, password := r.PostFormValue("current_password"), r.PostFormValue("password")
	var err error
	switch {
	case current == "":
		err = errs.FieldErr("current_password", "required")
	case password != r.PostFormValue("password_confirm"):
		err = errs.FieldErr("password_confirm", "auth.password_mismatch")
	default:
		err = h.auth.ChangePassword(r.Context(), web.Actor(r), web.SessionToken(r), current, password)
	}
	if err != nil {
		h.accountForm(w, r, err)
		return
	}
	web.Redirect(w, r, "/akun", "auth.password_changed")
}

// tokenCreated is the page that shows a new token's secret, once.
type tokenCreated struct {
	Plain string
	Token Token
}

// createToken makes an API token for the person and shows it once.
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	var expires *time.Time
	if s := strings.TrimSpace(r.PostFormValue("expires_days")); s != "" {
		days, err := strconv.Atoi(s)
		if err != nil || days < 1 || days > maxTokenDays {
			h.accountForm(w, r, errs.FieldErr("expires_days", "auth.days_range", maxTokenDays))
			return
		}
		t := time.Now().UTC().AddDate(0, 0, days)
		expires = &t
	}
	plain, t, err := h.auth.CreateToken(r.Context(), actor, actor.AccountID, r.PostFormValue("name"), expires)
	if err != nil {
		h.accountForm(w, r, err)
		return
	}
	web.Render(w, r, http.StatusCreated, "auth/token_created", "auth.token.created_title", tokenCreated{Plain: plain, Token: t})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.auth.RevokeToken(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/akun", "auth.token_revoked")
}
