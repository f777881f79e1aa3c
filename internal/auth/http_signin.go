package auth

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/web"
)

// signInPage is what the sign-in form shows: where to go afterwards, the
// email typed (never the password) and why the last attempt failed.
type signInPage struct {
	Next  string
	Email string
	Error string
}

func (h *Handler) signInForm(w http.ResponseWriter, r *http.Request) {
	if web.Actor(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	web.Render(w, r, http.StatusOK, "auth/signin", "auth.signin.title", signInPage{Next: r.URL.Query().Get("next")})
}

// signIn starts a session and goes on to next, if it is a path on this site.
// A wrong email or password is a 401, too many of them from one place a 429
// and the right password for a locked account a 403, each with the form
// shown again.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	email, password := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	page := signInPage{Next: r.PostFormValue("next"), Email: email}
	var v errs.Validation
	if email == "" {
		v.Add("email", "required")
	}
	if password == "" {
		v.Add("password", "required")
	}
	if err := v.Err(); err != nil {
		web.RenderForm(w, r, "auth/signin", "auth.signin.title", page, err)
		return
	}
	token, _, _, err := h.auth.SignIn(r.Context(), email, password, web.ClientIP(r), r.UserAgent())
	if err != nil {
		e, lang := errs.As(err), web.Lang(r)
		switch {
		case e != nil && e.Code == errs.Unauthorized:
			page.Error = e.Message(lang)
			web.Render(w, r, http.StatusUnauthorized, "auth/signin", "auth.signin.title", page)
		case e != nil && e.Code == errs.Forbidden: // the right password for a locked account
			page.Error = e.Message(lang)
			web.Render(w, r, http.StatusForbidden, "auth/signin", "auth.signin.title", page)
		case e != nil && e.Code == errs.TooMany && len(e.Args) > 0:
			secs, _ := e.Args[0].(int)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			page.Error = throttled(lang, secs)
			web.Render(w, r, http.StatusTooManyRequests, "auth/signin", "auth.signin.title", page)
		default:
			web.Fail(w, r, err)
		}
		return
	}
	// A new session id on every sign-in (ASVS 3.2.1): a session this browser
	// had before ends, so a cookie planted or seen before is worth nothing.
	if old := web.SessionToken(r); old != "" {
		if err := h.auth.SignOut(r.Context(), old); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.SetSessionCookie(w, r, token, int(SessionMaxAge.Seconds()))
	next := page.Next
	if !web.LocalPath(next) {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signOut ends this browser's session.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := h.auth.SignOut(r.Context(), web.SessionToken(r)); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.ClearSessionCookie(w, r)
	web.Redirect(w, r, "/masuk", "auth.signed_out")
}

// throttled is the sign-in page's answer to a client held back for secs
// seconds. A wait under a minute is told in seconds and does not say the
// attempts failed: it is either attempts still being checked (an office
// signing in at once, see DBLimiter.Take) or failures about to leave the
// window, and the limiter does not say which.
func throttled(lang string, secs int) string {
	if secs < 60 {
		return i18n.T(lang, "auth.signin.busy", secs)
	}
	return i18n.T(lang, "auth.signin.throttled", (secs+59)/60)
}
