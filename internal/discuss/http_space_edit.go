package discuss

import (
	"net/http"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// editSpacePage is the form to change a space.
type editSpacePage struct{ Space Space }

func (h *Handler) editSpaceData(r *http.Request) (editSpacePage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return editSpacePage{}, err
	}
	actor := web.Actor(r)
	sp, tg, err := ReadableSpace(r.Context(), h.svc.db.R, actor, id)
	if err != nil {
		return editSpacePage{}, err
	}
	return editSpacePage{Space: sp}, policy.Check(actor, policy.SpaceAdmin, tg)
}

func (h *Handler) editSpaceForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.editSpaceData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/edit_space", "discuss.editspace.title", d)
}

func (h *Handler) editSpace(w http.ResponseWriter, r *http.Request) {
	d, err := h.editSpaceData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := SpaceInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		MembersOnly: r.PostFormValue("members_only") == "1", Formal: r.PostFormValue("formal") == "1"}
	if _, err := h.svc.UpdateSpace(r.Context(), web.Actor(r), d.Space.ID, in); err != nil {
		web.RenderForm(w, r, "discuss/edit_space", "discuss.editspace.title", d, err)
		return
	}
	web.Redirect(w, r, spaceLink(d.Space.ID), "discuss.flash.space_saved")
}
