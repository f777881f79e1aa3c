package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
)

// The layout and partials every page shares, and the built-in pages.
//
//go:embed templates
var baseFiles embed.FS

// pageSet holds the parsed pages. A page is a file "cap/name.html" in a
// capability's template FS that defines "content"; each is parsed once at
// start-up over its own copy of the layout. Files named "*.partial.html"
// ("org/fields.partial.html") hold partials shared by the pages of their
// FS and are not pages themselves. (A leading "_" would be the usual mark,
// but go:embed leaves such files out of a directory.)
type pageSet struct {
	sources []fs.FS
	pages   map[string]*template.Template
}

func newPageSet() *pageSet {
	sub, _ := fs.Sub(baseFiles, "templates")
	return &pageSet{sources: []fs.FS{sub}, pages: map[string]*template.Template{}}
}

func (ps *pageSet) add(fsys fs.FS) { ps.sources = append(ps.sources, fsys) }

// parse parses every page; a template error stops the server from starting
// instead of surfacing on the first visit.
func (ps *pageSet) parse() error {
	base, err := template.New("layout").Funcs(funcs).ParseFS(ps.sources[0], "layout/*.html")
	if err != nil {
		return fmt.Errorf("web: layout: %w", err)
	}
	for _, src := range ps.sources {
		files, err := fs.Glob(src, "*/*.html")
		if err != nil {
			return err
		}
		partials, err := fs.Glob(src, "*/*.partial.html")
		if err != nil {
			return err
		}
		for _, f := range files {
			if strings.HasPrefix(f, "layout/") || slices.Contains(partials, f) {
				continue
			}
			name := strings.TrimSuffix(f, ".html")
			if _, dup := ps.pages[name]; dup {
				return fmt.Errorf("web: page %s registered twice", name)
			}
			t, err := template.Must(base.Clone()).ParseFS(src, append(partials, f)...)
			if err != nil {
				return fmt.Errorf("web: page %s: %w", name, err)
			}
			ps.pages[name] = t
		}
	}
	return nil
}

// funcs are the few template functions that need no request.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"deref": func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	},
	"contains": strings.Contains,
	"list":     func(s ...string) []string { return s },
	"options":  options,
}

// View is what every page template gets as its dot: the request's language,
// actor and CSRF token, the page's own Data, and for forms the submitted
// values and the errors per field.
type View struct {
	Lang        string
	Title       string
	Path        string
	Query       url.Values
	CSRF        string
	Flash       string
	RequestID   string
	Actor       *policy.Actor
	Data        any
	Form        url.Values
	Errors      map[string]string
	FieldLabels map[string]string // field name → its label, for the error summary
	Error       string
	Status      int
	srv         *Server
	ctx         context.Context
}

// T translates key into the page's language.
func (v *View) T(key string, args ...any) string { return i18n.T(v.Lang, key, args...) }

// Time shows t in the city's zone: "27 Nov 2026 11:28 WITA".
func (v *View) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return v.Date(t) + " " + t.In(v.srv.loc).Format("15:04 MST")
}

// Span shows a period from start to end in the city's zone, naming the day
// once when both fall on it: "2 Mar 2026 09:00–12:00 WITA", else both
// times in full.
func (v *View) Span(start, end time.Time) string {
	if start.IsZero() || end.IsZero() {
		return v.Time(start)
	}
	a, b := start.In(v.srv.loc), end.In(v.srv.loc)
	if a.Year() == b.Year() && a.YearDay() == b.YearDay() {
		return v.Date(a) + " " + a.Format("15:04") + "–" + b.Format("15:04 MST")
	}
	return v.Time(a) + " – " + v.Time(b)
}

// Date shows the date of t in the city's zone with the month named in the
// page's language: "27 Agu 2026", "27 Aug 2026".
func (v *View) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(v.srv.loc)
	return strconv.Itoa(t.Day()) + " " + v.T("month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

// Label translates a code (an audit action, an entity) under prefix, or
// shows the code itself when the catalog has no word for it.
func (v *View) Label(prefix, code string) string { return i18n.Label(v.Lang, prefix, code) }

// Asset returns the content-addressed URL of a static file.
func (v *View) Asset(name string) string { return v.srv.static.url(name) }

// Unread is how many unread notifications the signed-in viewer has, for
// the header; 0 without a counter or a viewer, or when counting fails (the
// page matters more than its badge).
func (v *View) Unread() int {
	if v.srv.unread == nil || v.Actor == nil || v.Actor.AccountID == 0 {
		return 0
	}
	n, err := v.srv.unread(v.ctx, v.Actor)
	if err != nil {
		slog.WarnContext(v.ctx, "unread count", "err", err)
		return 0
	}
	return n
}

// Has reports whether the viewer holds role anywhere.
func (v *View) Has(role string) bool { return v.Actor != nil && v.Actor.Has(policy.Role(role)) }

// Super reports whether the viewer is the superadmin.
func (v *View) Super() bool { return v.Actor != nil && v.Actor.IsSuper() }

// Value returns the submitted value of a form field, for re-filling a form.
func (v *View) Value(field string) string { return v.Form.Get(field) }

// Err returns the message for a form field at fault, "" when it is fine.
func (v *View) Err(field string) string { return v.Errors[field] }

// OtherLang is the language the switch offers.
func (v *View) OtherLang() string {
	if v.Lang == i18n.EN {
		return i18n.ID
	}
	return i18n.EN
}

// SwitchURL is the link that changes the language and comes back here.
func (v *View) SwitchURL() string {
	back := v.Path
	if len(v.Query) > 0 {
		back += "?" + v.Query.Encode()
	}
	return "/bahasa/" + v.OtherLang() + "?next=" + url.QueryEscape(back)
}

// PageURL returns the current page's URL with one query parameter changed,
// for pagination and filters.
func (v *View) PageURL(key, value string) string {
	q := url.Values{}
	for k, vals := range v.Query {
		q[k] = vals
	}
	q.Set(key, value)
	return v.Path + "?" + q.Encode()
}

// Render answers with the page template name ("org/agencies"), titled by
// the i18n key title, showing data.
func Render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	render(w, r, &View{Status: status, Title: title, Data: data}, name)
}

// RenderForm shows a form page again after err, with the submitted values
// and a message beside each field at fault. Errors that are not about the
// input go to the error page.
func RenderForm(w http.ResponseWriter, r *http.Request, name, title string, data any, err error) {
	e := errs.As(err)
	if e == nil || (e.Code != errs.Invalid && e.Code != errs.Conflict && e.Code != errs.Collided) {
		info(r.Context()).srv.fail(w, r, err)
		return
	}
	lang := Lang(r)
	v := &View{Status: status(e.Code), Title: title, Data: data, Form: r.PostForm, Errors: map[string]string{},
		Error: errs.New(e.Code, e.Key, e.Args...).Message(lang)}
	for _, f := range e.Fields {
		v.Errors[f.Name] = pageMessage(lang, f)
	}
	v.FieldLabels = fieldLabels(lang, name, e.Fields)
	render(w, r, v, name)
}

// fieldLabels finds the label of each field at fault, for the summary at
// the top of a form: the key "<area>.field.<name>" of the page's area
// ("org/person_form" → org.field.nip), else "field.<name>", else the name.
func fieldLabels(lang, page string, fields []errs.Field) map[string]string {
	area, _, _ := strings.Cut(page, "/")
	labels := map[string]string{}
	for _, f := range fields {
		labels[f.Name] = f.Name
		for _, key := range []string{area + ".field." + f.Name, "field." + f.Name} {
			if i18n.Has(lang, key) {
				labels[f.Name] = i18n.T(lang, key)
				break
			}
		}
	}
	return labels
}

func render(w http.ResponseWriter, r *http.Request, v *View, name string) {
	ri := info(r.Context())
	s := ri.srv
	t, ok := s.pages.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	v.srv, v.ctx, v.Lang, v.Actor, v.RequestID = s, r.Context(), ri.lang, ri.actor, ri.id
	v.Path, v.Query = r.URL.Path, r.URL.Query()
	v.CSRF = s.CSRFToken(w, r)
	v.Title = i18n.T(ri.lang, v.Title)
	// A flash is a message key set by Redirect; anything else in the cookie
	// (planted by a sibling site) is not shown.
	if c, err := r.Cookie(flashCookie); err == nil && i18n.Has(ri.lang, c.Value) {
		v.Flash = i18n.T(ri.lang, c.Value)
		http.SetCookie(w, s.cookie(r, flashCookie, "", -1))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		slog.ErrorContext(r.Context(), "render", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(v.Status)
	_, _ = buf.WriteTo(w)
}

// Redirect sends the browser to path after a form (post/redirect/get),
// with an optional flash message key shown once on the next page.
func Redirect(w http.ResponseWriter, r *http.Request, path, flash string) {
	if flash != "" {
		http.SetCookie(w, info(r.Context()).srv.cookie(r, flashCookie, flash, 0))
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// Fail answers with err: the error page, or problem+json for the API.
func Fail(w http.ResponseWriter, r *http.Request, err error) { info(r.Context()).srv.fail(w, r, err) }

// errorPage shows err as a page with its status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(r, err, Lang(r))
	if e := errs.As(err); e != nil && len(e.Fields) == len(p.Errors) {
		for i, f := range e.Fields {
			p.Errors[i].Message = pageMessage(Lang(r), f)
		}
	}
	if p.Status == http.StatusUnauthorized {
		http.Redirect(w, r, "/masuk?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	title := "page.error"
	if key := "page.error." + strconv.Itoa(p.Status); i18n.Has(Lang(r), key) {
		title = key
	}
	render(w, r, &View{Status: p.Status, Title: title, Data: p}, "web/error")
}
