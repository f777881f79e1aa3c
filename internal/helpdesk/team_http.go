package helpdesk

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

// teamRoutes mounts the teams' API.
func (h *Handler) teamRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/teams", ID: "listTeams", Tag: "helpdesk",
		Summary:  "The help desk's teams with their members, leads first (help desk staff)",
		Response: Team{}, List: true}, h.apiTeams)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/teams", ID: "createTeam", Tag: "helpdesk",
		Summary: "Add a help desk team (superadmin)", Body: TeamInput{}, Response: Team{}, Status: http.StatusCreated},
		h.apiCreateTeam)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/teams/{id}/members/{account_id}", ID: "setTeamMember",
		Tag: "helpdesk", Summary: "Make an agent a member of a team, or its lead (superadmin)",
		Body: MemberInput{}, Response: Team{}}, h.apiSetMember)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/teams/{id}/members/{account_id}", ID: "removeTeamMember",
		Tag: "helpdesk", Summary: "Take an agent out of a team (superadmin)", Status: http.StatusNoContent},
		h.apiRemoveMember)
}

func (h *Handler) apiTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := h.desk.ListTeams(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, teams, "")
}

func (h *Handler) apiCreateTeam(w http.ResponseWriter, r *http.Request) {
	var in TeamInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.desk.CreateTeam(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/teams/"+strconv.FormatInt(t.ID, 10), t)
}

// memberPath reads the team and account of a member's path.
func memberPath(r *http.Request) (team, account int64, err error) {
	if team, err = web.PathID(r, "id"); err != nil {
		return 0, 0, err
	}
	account, err = web.PathID(r, "account_id")
	return team, account, err
}

func (h *Handler) apiSetMember(w http.ResponseWriter, r *http.Request) {
	team, account, err := memberPath(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in MemberInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.desk.SetMember(r.Context(), web.Actor(r), team, account, in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, err := h.desk.GetTeam(r.Context(), web.Actor(r), team)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, t)
}

func (h *Handler) apiRemoveMember(w http.ResponseWriter, r *http.Request) {
	team, account, err := memberPath(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.desk.RemoveMember(r.Context(), web.Actor(r), team, account); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
