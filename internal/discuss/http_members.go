package discuss

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"

	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) memberRoutes(rt *web.Router) {
	rt.Page("GET /diskusi/anggota/{id}", h.members)
	rt.Page("POST /diskusi/anggota/{id}/simpan", h.setMember)
	rt.Page("POST /diskusi/anggota/{id}/hapus", h.removeMember)
	rt.Page("GET /diskusi/ruang/{id}/ubah", h.editSpaceForm)
	rt.Page("POST /diskusi/ruang/{id}/ubah", h.editSpace)
}

// membersPage is a space's members management page.
type membersPage struct {
	Space   Space
	Members []Member
}

func (h *Handler) membersData(r *http.Request) (membersPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return membersPage{}, err
	}
	sp, list, err := h.svc.Members(r.Context(), web.Actor(r), id)
	return membersPage{Space: sp, Members: list}, err
}

func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	d, err := h.membersData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/members", "discuss.members.title", d)
}

func (h *Handler) setMember(w http.ResponseWriter, r *http.Request) {
	d, err := h.membersData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.SetMember(r.Context(), web.Actor(r), d.Space.ID, r.PostFormValue("who"), r.PostFormValue("role")); err != nil {
		web.RenderForm(w, r, "discuss/members", "discuss.members.title", d, err)
		return
	}
	web.Redirect(w, r, membersLink(d.Space.ID), "discuss.flash.member")
}

func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	account, err := strconv.ParseInt(r.PostFormValue("account_id"), 10, 64)
	if err != nil {
		web.Fail(w, r, errs.New(errs.NotFound, "discuss.no_member"))
		return
	}
	if err := h.svc.RemoveMember(r.Context(), web.Actor(r), id, account); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, membersLink(id), "discuss.flash.member_removed")
}

func membersLink(id int64) string { return "/diskusi/anggota/" + strconv.FormatInt(id, 10) }
