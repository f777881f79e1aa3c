package discuss

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) threadRoutes(rt *web.Router) {
	rt.Page("GET /diskusi/utas/{id}", h.thread)
	rt.Page("POST /diskusi/utas/{id}/balas", h.reply)
	rt.Page("POST /diskusi/utas/{id}/ikuti", h.followThread)
	rt.Page("POST /diskusi/utas/{id}/terima", h.accept)
	rt.Page("POST /diskusi/utas/{id}/artikel", h.promote)
	rt.Page("POST /diskusi/kiriman/{id}/reaksi", h.react)
	rt.Page("GET /diskusi/kiriman/{id}/ubah", h.editPostForm)
	rt.Page("POST /diskusi/kiriman/{id}/ubah", h.editPost)
	rt.Page("GET /diskusi/utas/{id}/ubah", h.renameForm)
	rt.Page("POST /diskusi/utas/{id}/ubah", h.rename)
}

// threadPage is a thread's page.
type threadPage struct {
	ThreadView
	Reactions []string
	Spaces    []Option // where a moderator may move it
}

// threadView loads the page of the thread in the path.
func (h *Handler) threadView(r *http.Request) (threadPage, error) {
	ctx, actor := r.Context(), web.Actor(r)
	id, err := web.PathID(r, "id")
	if err != nil {
		return threadPage{}, err
	}
	cursor := r.URL.Query().Get("cursor")
	if post, perr := strconv.ParseInt(r.URL.Query().Get("kiriman"), 10, 64); perr == nil && cursor == "" {
		// A link to a post (a notification's) opens the page that shows it.
		if cursor, err = h.svc.PageOf(ctx, id, post); err != nil {
			return threadPage{}, err
		}
	}
	v, err := h.svc.ThreadView(ctx, actor, id, db.Page{After: cursor})
	if err != nil {
		return threadPage{}, err
	}
	d := threadPage{ThreadView: v, Reactions: Reactions}
	if v.CanModerate {
		if d.Spaces, err = h.svc.readableOptions(ctx, actor); err != nil {
			return threadPage{}, err
		}
	}
	return d, nil
}

func (h *Handler) thread(w http.ResponseWriter, r *http.Request) {
	d, err := h.threadView(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/thread", "discuss.thread.title", d)
}

func (h *Handler) reply(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := h.svc.Reply(r.Context(), web.Actor(r), id, PostInput{Body: r.PostFormValue("body")})
	if err != nil {
		h.threadForm(w, r, err)
		return
	}
	web.Redirect(w, r, ThreadLink(id, p.ID), "discuss.flash.reply")
}

// threadForm shows the thread again after a form on it failed: 422 with
// the field's message for bad input, the error page for the rest.
func (h *Handler) threadForm(w http.ResponseWriter, r *http.Request, err error) {
	d, lerr := h.threadView(r)
	if lerr != nil {
		web.Fail(w, r, lerr)
		return
	}
	web.RenderForm(w, r, "discuss/thread", "discuss.thread.title", d, err)
}

func (h *Handler) followThread(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	follow := r.PostFormValue("follow") == "1"
	if err := h.svc.FollowThread(r.Context(), web.Actor(r), id, follow); err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "discuss.flash.unfollowed"
	if follow {
		flash = "discuss.flash.followed"
	}
	web.Redirect(w, r, ThreadLink(id, 0), flash)
}

func (h *Handler) accept(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	post, err := strconv.ParseInt(r.PostFormValue("post_id"), 10, 64)
	if err != nil {
		web.Fail(w, r, errNoPost)
		return
	}
	on := r.PostFormValue("on") != "0"
	if err := h.svc.Accept(r.Context(), web.Actor(r), id, post, on); err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "discuss.flash.unaccepted"
	if on {
		flash = "discuss.flash.accepted"
	}
	web.Redirect(w, r, ThreadLink(id, post), flash)
}

func (h *Handler) promote(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, created, err := h.svc.Promote(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "discuss.flash.article_exists"
	if created {
		flash = "discuss.flash.article"
	}
	web.Redirect(w, r, "/pengetahuan/"+strconv.FormatInt(a.ID, 10), flash)
}

func (h *Handler) react(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.svc.React(ctx, actor, id, r.PostFormValue("kind")); err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := postByID(ctx, h.svc.db.R, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, ThreadLink(p.ThreadID, p.ID), "")
}

// postItem is one post as the thread page shows it.
type postItem struct {
	V    *web.View
	D    threadPage
	P    Post
	Copy bool // the accepted answer shown again at the top: no buttons, another anchor
}

// Anchor is the id of the post's element: p<id>, or a<id> for the copy.
func (i postItem) Anchor() string {
	if i.Copy {
		return "a" + strconv.FormatInt(i.P.ID, 10)
	}
	return "p" + strconv.FormatInt(i.P.ID, 10)
}

// Item pairs a post with the page for the post template; copy is "a" for
// the accepted answer shown above the thread.
func (d threadPage) Item(v *web.View, p Post, copy string) postItem {
	return postItem{V: v, D: d, P: p, Copy: copy == "a"}
}

// Mine reports whether the reader gave the post the reaction kind.
func (i postItem) Mine(kind string) bool { return slices.Contains(i.P.Mine, kind) }

// CanEdit reports whether the reader may change the post: its author
// while the thread is open and the post shown, or a moderator.
func (i postItem) CanEdit() bool {
	mine := i.V.Actor != nil && i.P.Author.ID == i.V.Actor.AccountID
	return i.D.CanModerate || (mine && !i.D.Locked && !i.P.Hidden)
}
