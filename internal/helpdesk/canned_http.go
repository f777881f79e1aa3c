package helpdesk

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// cannedRoutes mounts the canned replies: their page in the agent
// workspace and their API.
func (h *Handler) cannedRoutes(rt *web.Router) {
	rt.Page("GET /layanan/balasan", h.cannedPage)
	rt.Page("POST /layanan/balasan/baru", h.cannedCreatePost)
	rt.Page("GET /layanan/balasan/{id}/ubah", h.cannedEditPage)
	rt.Page("POST /layanan/balasan/{id}/ubah", h.cannedEditPost)
	rt.Page("POST /layanan/balasan/{id}/hapus", h.cannedDeletePost)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/teams/{id}/canned-replies", ID: "listCannedReplies", Tag: "helpdesk",
		Summary:  "A team's canned replies by title (help desk)",
		Response: CannedReply{}, List: true}, h.apiCannedList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/teams/{id}/canned-replies", ID: "createCannedReply", Tag: "helpdesk",
		Summary: "Add a canned reply to a team (its members, the superadmin). The body may use the placeholders " +
			"{{nomor}}, {{subjek}}, {{nama_pelapor}} and {{petugas}}",
		Body: CannedInput{}, Response: CannedReply{}, Status: http.StatusCreated}, h.apiCannedCreate)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/canned-replies/{id}", ID: "updateCannedReply", Tag: "helpdesk",
		Summary: "Change a canned reply's title and body (the team's members, the superadmin)",
		Body:    CannedInput{}, Response: CannedReply{}}, h.apiCannedUpdate)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/canned-replies/{id}", ID: "deleteCannedReply", Tag: "helpdesk",
		Summary: "Remove a canned reply (the team's members, the superadmin)", Status: http.StatusNoContent},
		h.apiCannedDelete)
}

func (h *Handler) apiCannedList(w http.ResponseWriter, r *http.Request) {
	team, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, err := h.desk.ListCanned(r.Context(), web.Actor(r), team)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiCannedCreate(w http.ResponseWriter, r *http.Request) {
	team, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in CannedInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.desk.CreateCanned(r.Context(), web.Actor(r), team, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/canned-replies/"+strconv.FormatInt(c.ID, 10), c)
}

func (h *Handler) apiCannedUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in CannedInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.desk.UpdateCanned(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, c)
}

func (h *Handler) apiCannedDelete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.desk.DeleteCanned(r.Context(), web.Actor(r), id); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// cannedPageData is what the canned replies' page shows: every team's
// replies, and the teams the viewer may add to.
type cannedPageData struct {
	Teams       []CannedTeam
	Manageable  []CannedTeam
	Title, Body string // the add form's, empty until it is submitted
}

func (h *Handler) cannedData(r *http.Request) (cannedPageData, error) {
	teams, err := h.desk.CannedByTeam(r.Context(), web.Actor(r), 0)
	d := cannedPageData{Teams: teams}
	for _, t := range teams {
		if t.CanManage {
			d.Manageable = append(d.Manageable, t)
		}
	}
	return d, err
}

func (h *Handler) cannedPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.cannedData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "rel/canned_list", "rel.canned.title", d)
}

func (h *Handler) cannedCreatePost(w http.ResponseWriter, r *http.Request) {
	in := CannedInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	team, err := strconv.ParseInt(r.PostFormValue("team_id"), 10, 64)
	if err != nil {
		err = errs.FieldErr("team_id", "required")
	} else {
		_, err = h.desk.CreateCanned(r.Context(), web.Actor(r), team, in)
	}
	if errs.Is(err, errs.NotFound) {
		err = errs.FieldErr("team_id", "ticket.unknown")
	}
	if err != nil {
		d, derr := h.cannedData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "rel/canned_list", "rel.canned.title", d, err)
		return
	}
	web.Redirect(w, r, "/layanan/balasan", "rel.flash.canned_saved")
}

// cannedEditData is the edit form of one canned reply.
type cannedEditData struct {
	CannedReply
	Team string
}

func (h *Handler) cannedEdit(r *http.Request) (cannedEditData, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return cannedEditData{}, err
	}
	c, err := h.desk.GetCanned(r.Context(), web.Actor(r), id)
	if err != nil {
		return cannedEditData{}, err
	}
	t, err := h.desk.GetTeam(r.Context(), web.Actor(r), c.TeamID)
	return cannedEditData{CannedReply: c, Team: t.Name}, err
}

func (h *Handler) cannedEditPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.cannedEdit(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "rel/canned_edit", "rel.canned.edit", d)
}

func (h *Handler) cannedEditPost(w http.ResponseWriter, r *http.Request) {
	d, err := h.cannedEdit(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := CannedInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	if _, err := h.desk.UpdateCanned(r.Context(), web.Actor(r), d.ID, in); err != nil {
		web.RenderForm(w, r, "rel/canned_edit", "rel.canned.edit", d, err)
		return
	}
	web.Redirect(w, r, "/layanan/balasan", "rel.flash.canned_saved")
}

func (h *Handler) cannedDeletePost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.DeleteCanned(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/balasan", "rel.flash.canned_deleted")
}
