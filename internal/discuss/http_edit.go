package discuss

import (
	"net/http"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// editPostPage is the form to change a post.
type editPostPage struct {
	Post   Post
	Thread Thread
}

func (h *Handler) editPostData(r *http.Request) (editPostPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return editPostPage{}, err
	}
	p, t, _, tg, err := readablePost(r.Context(), h.svc.db.R, web.Actor(r), id)
	if err != nil {
		return editPostPage{}, err
	}
	actor := web.Actor(r)
	if p.Author.ID != actor.AccountID && !policy.Can(actor, policy.SpaceModerate, tg) {
		return editPostPage{}, policy.Check(actor, policy.SpaceModerate, tg)
	}
	return editPostPage{Post: p, Thread: t}, nil
}

func (h *Handler) editPostForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.editPostData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/edit_post", "discuss.edit.title", d)
}

func (h *Handler) editPost(w http.ResponseWriter, r *http.Request) {
	d, err := h.editPostData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.svc.EditPost(r.Context(), web.Actor(r), d.Post.ID, PostInput{Body: r.PostFormValue("body")}); err != nil {
		web.RenderForm(w, r, "discuss/edit_post", "discuss.edit.title", d, err)
		return
	}
	web.Redirect(w, r, ThreadLink(d.Thread.ID, d.Post.ID), "discuss.flash.edited")
}

// renamePage is the form to change a thread's title.
type renamePage struct{ Thread Thread }

func (h *Handler) renameData(r *http.Request) (renamePage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return renamePage{}, err
	}
	actor := web.Actor(r)
	t, _, tg, err := readableThread(r.Context(), h.svc.db.R, actor, id)
	if err != nil {
		return renamePage{}, err
	}
	if t.Author.ID != actor.AccountID && !policy.Can(actor, policy.SpaceModerate, tg) {
		return renamePage{}, policy.Check(actor, policy.SpaceModerate, tg)
	}
	return renamePage{Thread: t}, nil
}

func (h *Handler) renameForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.renameData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/rename", "discuss.rename.title", d)
}

func (h *Handler) rename(w http.ResponseWriter, r *http.Request) {
	d, err := h.renameData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Rename(r.Context(), web.Actor(r), d.Thread.ID, r.PostFormValue("title")); err != nil {
		web.RenderForm(w, r, "discuss/rename", "discuss.rename.title", d, err)
		return
	}
	web.Redirect(w, r, ThreadLink(d.Thread.ID, 0), "discuss.flash.renamed")
}
