package helpdesk

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// routingRoutes mounts the routing rules, the on-call roster and their
// pages in the agent workspace.
func (h *Handler) routingRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/routing-rules", ID: "listRoutingRules", Tag: "helpdesk",
		Summary:  "The routing rules in the order they are tried; the first a new ticket without a team matches sets its team (help desk staff)",
		Response: RoutingRule{}, List: true}, h.apiRules)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/routing-rules", ID: "createRoutingRule", Tag: "helpdesk",
		Summary: "Add a routing rule; empty criteria match anything, no position puts it last (superadmin)",
		Body:    RuleInput{}, Response: RoutingRule{}, Status: http.StatusCreated}, h.apiCreateRule)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/routing-rules/default", ID: "getDefaultTeam", Tag: "helpdesk",
		Summary: "The team tickets no rule matches go to (null: none)", Response: DefaultTeam{}}, h.apiDefaultTeam)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/routing-rules/default", ID: "setDefaultTeam", Tag: "helpdesk",
		Summary: "Mark the team tickets no rule matches go to, or none with null (superadmin)",
		Body:    DefaultTeam{}, Response: DefaultTeam{}}, h.apiSetDefaultTeam)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/routing-rules/{id}", ID: "updateRoutingRule", Tag: "helpdesk",
		Summary: "Replace a routing rule; position orders it (superadmin)", Body: RuleInput{}, Response: RoutingRule{}},
		h.apiUpdateRule)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/routing-rules/{id}", ID: "deleteRoutingRule", Tag: "helpdesk",
		Summary: "Remove a routing rule (superadmin)", Status: http.StatusNoContent}, h.apiDeleteRule)
	rt.Page("GET /layanan/aturan", h.rulesPage)
	rt.Page("POST /layanan/aturan", h.addRulePost)
	rt.Page("POST /layanan/aturan/bawaan", h.defaultTeamPost)
	rt.Page("POST /layanan/aturan/{id}/hapus", h.deleteRulePost)
	rt.Page("POST /layanan/aturan/{id}/naik", h.moveRulePost(-1))
	rt.Page("POST /layanan/aturan/{id}/turun", h.moveRulePost(1))
	h.rosterRoutes(rt)
}

func (h *Handler) apiRules(w http.ResponseWriter, r *http.Request) {
	rules, err := h.desk.ListRules(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, rules, "")
}

func (h *Handler) apiCreateRule(w http.ResponseWriter, r *http.Request) {
	var in RuleInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	rule, err := h.desk.CreateRule(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/routing-rules/"+strconv.FormatInt(rule.ID, 10), rule)
}

func (h *Handler) apiUpdateRule(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in RuleInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	rule, err := h.desk.UpdateRule(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, rule)
}

func (h *Handler) apiDeleteRule(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.DeleteRule(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiDefaultTeam(w http.ResponseWriter, r *http.Request) {
	d, err := h.desk.GetDefaultTeam(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, d)
}

func (h *Handler) apiSetDefaultTeam(w http.ResponseWriter, r *http.Request) {
	var in DefaultTeam
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.desk.SetDefaultTeam(r.Context(), web.Actor(r), in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, in)
}

// ruleRow is a rule as the page shows it, with names for its ids.
type ruleRow struct {
	RoutingRule
	Team, App, Agency string
	First, Last       bool
}

// rulesData is what the routing rules page shows.
type rulesData struct {
	Rules      []ruleRow
	Default    int64 // the default team, 0 for none
	Choices    Choices
	Categories []string
	CanEdit    bool
}

func (h *Handler) rulesView(r *http.Request) (rulesData, error) {
	actor := web.Actor(r)
	choices, err := h.desk.Choices(r.Context(), actor)
	if err != nil {
		return rulesData{}, err
	}
	rules, err := h.desk.ListRules(r.Context(), actor)
	if err != nil {
		return rulesData{}, err
	}
	def, err := h.desk.GetDefaultTeam(r.Context(), actor)
	if err != nil {
		return rulesData{}, err
	}
	d := rulesData{Rules: make([]ruleRow, len(rules)), Default: deref(def.TeamID), Choices: choices,
		Categories: Categories, CanEdit: policy.Can(actor, policy.TeamWrite, policy.Target{})}
	for i, rule := range rules {
		team := rule.TeamID
		d.Rules[i] = ruleRow{RoutingRule: rule, Team: Name(choices.Teams, &team), App: Name(choices.Apps, rule.AppID),
			Agency: Name(choices.Agencies, rule.AgencyID), First: i == 0, Last: i == len(rules)-1}
	}
	return d, nil
}

func (h *Handler) rulesPage(w http.ResponseWriter, r *http.Request) {
	d, err := h.rulesView(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "helpdesk/routing_rules", "routing.title", d)
}

// rulesFailed shows the rules page again with the form's errors.
func (h *Handler) rulesFailed(w http.ResponseWriter, r *http.Request, err error) {
	d, derr := h.rulesView(r)
	if derr != nil {
		web.Fail(w, r, derr)
		return
	}
	web.RenderForm(w, r, "helpdesk/routing_rules", "routing.title", d, formFields(err,
		map[string]string{"category": "rule_category", "app_id": "rule_app", "agency_id": "rule_agency", "team_id": "rule_team"}))
}

func (h *Handler) addRulePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	var v errs.Validation
	in := RuleInput{AppID: formID(r, &v, "rule_app"), AgencyID: formID(r, &v, "rule_agency")}
	if c := r.PostFormValue("rule_category"); c != "" {
		in.Category = &c
	}
	if team := formID(r, &v, "rule_team"); team != nil {
		in.TeamID = *team
	}
	if err := v.Err(); err != nil {
		h.rulesFailed(w, r, err)
		return
	}
	if _, err := h.desk.CreateRule(r.Context(), web.Actor(r), in); err != nil {
		h.rulesFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/aturan", "routing.flash.added")
}

func (h *Handler) defaultTeamPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		web.Fail(w, r, errs.New(errs.Invalid, "invalid"))
		return
	}
	var v errs.Validation
	in := DefaultTeam{TeamID: formID(r, &v, "default_team_id")}
	if err := v.Err(); err != nil {
		h.rulesFailed(w, r, err)
		return
	}
	if err := h.desk.SetDefaultTeam(r.Context(), web.Actor(r), in); err != nil {
		h.rulesFailed(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/aturan", "flash.saved")
}

func (h *Handler) deleteRulePost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		err = h.desk.DeleteRule(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/layanan/aturan", "routing.flash.deleted")
}

func (h *Handler) moveRulePost(by int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r, "id")
		if err == nil {
			err = h.desk.MoveRule(r.Context(), web.Actor(r), id, by)
		}
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Redirect(w, r, "/layanan/aturan", "flash.saved")
	}
}
