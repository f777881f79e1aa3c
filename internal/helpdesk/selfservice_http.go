package helpdesk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// selfServiceRoutes mounts what the "Minta bantuan" form asks while a
// ticket is written: the articles matching it (JSON, for suggest.js) and
// the form action through which an opened suggestion counts as
// self-service. Opening is a POST with the form's CSRF token (each
// suggestion is a button of the form, opening the article in a new tab so
// what was typed stays): a GET would let any image in a post or an
// article record views and inflate the self-service report.
func (h *Handler) selfServiceRoutes(rt *web.Router) {
	rt.Page("GET /bantuan/saran", h.suggestJSON)
	rt.Page("POST /bantuan/saran", h.openSuggestion)
}

// formApp reads the application chosen on the form, 0 for none or junk.
func formApp(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

func (h *Handler) suggestJSON(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	found, err := h.desk.Suggest(r.Context(), web.Actor(r), q.Get("q"), formApp(q.Get("app_id")))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string][]Suggestion{"items": found})
}

func (h *Handler) openSuggestion(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PostFormValue("artikel"), 10, 64)
	if err != nil {
		err = errs.New(errs.NotFound, "article.not_found")
	} else {
		err = h.desk.OpenSuggestion(r.Context(), web.Actor(r), id, formApp(r.PostFormValue("app_id")))
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/pengetahuan/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// suggestOnForm answers the form's "Cari jawaban dulu" button, the way
// without JavaScript: the form again, as filled in, with the articles
// matching it. It reports whether the request was that button.
func (h *Handler) suggestOnForm(w http.ResponseWriter, r *http.Request) bool {
	if r.PostFormValue("cari") == "" {
		return false
	}
	f, err := h.reporterForm(r)
	if err == nil {
		f.Posted, f.Searched = r.PostForm, true
		text := strings.TrimSpace(r.PostFormValue("subject") + " " + r.PostFormValue("body"))
		f.Suggestions, err = h.desk.Suggest(r.Context(), web.Actor(r), text, formApp(r.PostFormValue("app_id")))
	}
	if err != nil {
		web.Fail(w, r, err)
		return true
	}
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_new", "helpdesk.r.new.title", f)
	return true
}

// Pick is a form field's value: as submitted with an error (v.Value), else
// as submitted to "Cari jawaban dulu".
func (f reporterNewForm) Pick(v *web.View, field string) string {
	if s := v.Value(field); s != "" {
		return s
	}
	return url.Values(f.Posted).Get(field)
}
