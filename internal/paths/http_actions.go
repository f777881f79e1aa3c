package paths

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// act runs a change on path {id} posted from its page, then returns there
// with flash; a refusal of the input shows the page again with it.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, flash string, fn func(id int64) error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := fn(id); err != nil {
		if e := errs.As(err); e != nil && (e.Code == errs.Invalid || e.Code == errs.Conflict) {
			if d, ok := h.pathData(w, r); ok {
				web.RenderForm(w, r, "paths/path", "paths.page.title", d, err)
			}
			return
		}
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, Link(id), flash)
}

func (h *Handler) retire(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Retire(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jalur", "paths.flash.retired")
}

func (h *Handler) join(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.joined", func(id int64) error { return h.svc.Join(r.Context(), web.Actor(r), id) })
}

func (h *Handler) leave(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.left", func(id int64) error { return h.svc.Leave(r.Context(), web.Actor(r), id) })
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.assigned", func(id int64) error {
		person, err := h.svc.FindPerson(r.Context(), r.PostFormValue("person"))
		if err != nil {
			return err
		}
		_, err = h.svc.Assign(r.Context(), web.Actor(r), id, person)
		return err
	})
}

func (h *Handler) unassign(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.unassigned", func(id int64) error {
		person, err := web.PathID(r, "person")
		if err != nil {
			return err
		}
		return h.svc.Unassign(r.Context(), web.Actor(r), id, person)
	})
}

func (h *Handler) addStep(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.saved", func(id int64) error {
		activity, err := strconv.ParseInt(r.PostFormValue("activity_id"), 10, 64)
		if err != nil {
			return errs.FieldErr("activity_id", "required")
		}
		return h.svc.AddStep(r.Context(), web.Actor(r), id, activity)
	})
}

func (h *Handler) moveStep(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "paths.flash.saved", func(id int64) error {
		activity, err := web.PathID(r, "activity")
		if err != nil {
			return err
		}
		switch r.PathValue("move") {
		case "naik":
			return h.svc.MoveStep(r.Context(), web.Actor(r), id, activity, -1)
		case "turun":
			return h.svc.MoveStep(r.Context(), web.Actor(r), id, activity, 1)
		case "hapus":
			return h.svc.RemoveStep(r.Context(), web.Actor(r), id, activity)
		}
		return errs.New(errs.NotFound, "not_found")
	})
}
