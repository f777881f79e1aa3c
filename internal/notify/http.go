package notify

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the inbox as a page (/notifikasi) and in the API.
type Handler struct{ inbox *Inbox }

// NewHandler returns the handler over the inbox.
func NewHandler(b *Inbox) *Handler { return &Handler{inbox: b} }

// Routes mounts the inbox's pages and API, and gives the layout its unread
// count.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Server().SetUnreadCount(h.inbox.UnreadCount)
	rt.Page("GET /notifikasi", h.page)
	rt.Page("POST /notifikasi/{id}/baca", h.readPost)
	rt.Page("POST /notifikasi/baca-semua", h.readAllPost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/notifications", ID: "listNotifications", Tag: "notifications",
		Summary: "The caller's own notifications, newest first, each in the caller's language",
		Query: append([]web.Param{
			{Name: "unread", Type: "boolean", Description: "true: only notifications not read yet"},
		}, web.PageParams...),
		Response: Notification{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/notifications/{id}/read", ID: "readNotification", Tag: "notifications",
		Summary:  "Mark one of the caller's notifications read (another person's is 404)",
		Response: Notification{}}, h.apiRead)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/notifications/read-all", ID: "readAllNotifications", Tag: "notifications",
		Summary:  "Mark all the caller's notifications read",
		Response: Marked{}}, h.apiReadAll)
}

// Marked is the answer of marking all notifications read.
type Marked struct {
	Marked int `json:"marked"`
}

// filterOf reads unread=true|false (1|0); anything else is a 422.
func filterOf(r *http.Request) (Filter, error) {
	switch r.URL.Query().Get("unread") {
	case "", "false", "0":
		return Filter{}, nil
	case "true", "1":
		return Filter{Unread: true}, nil
	}
	return Filter{}, errs.FieldErr("unread", "notify.boolean")
}

// apiLang is the language of the API's texts: what the client asks for in
// Accept-Language, else the reader's own.
func apiLang(r *http.Request) string {
	if r.Header.Get("Accept-Language") != "" {
		return web.APILang(r)
	}
	return web.Lang(r)
}

func render(list []Notification, lang string) []Notification {
	for i := range list {
		list[i].Render(lang)
	}
	return list
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, filterOf, func(ctx context.Context, f Filter, p db.Page) ([]Notification, string, error) {
		list, next, err := h.inbox.List(ctx, web.Actor(r), f, p)
		return render(list, apiLang(r)), next, err
	})
}

func (h *Handler) apiRead(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	n, err := h.inbox.MarkRead(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	n.Render(apiLang(r))
	web.WriteJSON(w, http.StatusOK, n)
}

func (h *Handler) apiReadAll(w http.ResponseWriter, r *http.Request) {
	n, err := h.inbox.MarkAllRead(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, Marked{Marked: n})
}

// inboxPage is what /notifikasi shows.
type inboxPage struct {
	Items  []Notification
	Next   string
	Unread bool // the list shows unread notifications only
	Count  int  // how many are unread
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	f, err := filterOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	list, next, err := h.inbox.List(r.Context(), actor, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	count, err := h.inbox.UnreadCount(r.Context(), actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "notify/inbox", "notify.title",
		inboxPage{Items: render(list, web.Lang(r)), Next: next, Unread: f.Unread, Count: count})
}

func (h *Handler) readPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.inbox.MarkRead(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, back(r), "notify.flash.read")
}

func (h *Handler) readAllPost(w http.ResponseWriter, r *http.Request) {
	if _, err := h.inbox.MarkAllRead(r.Context(), web.Actor(r)); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/notifikasi", "notify.flash.read_all")
}

// back is where a marked notification returns to: the inbox view the form
// was on (only the unread filter is kept; a page further on may be gone).
func back(r *http.Request) string {
	if r.PostFormValue("unread") == "1" {
		return "/notifikasi?unread=1"
	}
	return "/notifikasi"
}
