package apps

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the catalog as pages and in the API. It reads agencies
// from the org service and accounts from the auth service only to offer
// choices in forms; every decision stays in the catalog's service.
type Handler struct {
	apps     *Service
	org      *org.Service
	accounts *auth.Service
}

// NewHandler returns the handler over the catalog, the agencies and the
// accounts.
func NewHandler(s *Service, people *org.Service, accounts *auth.Service) *Handler {
	return &Handler{apps: s, org: people, accounts: accounts}
}

// AgencyIDsInput sets the agencies that use an application.
type AgencyIDsInput struct {
	AgencyIDs []int64 `json:"agency_ids"`
}

// OperatorInput names an operator of an application in an agency.
type OperatorInput struct {
	AgencyID  int64 `json:"agency_id"`
	AccountID int64 `json:"account_id"`
}

// patchFields are the members a PATCH of an application may carry.
var patchFields = []string{"slug", "name", "owner_agency_id", "status", "url", "description"}

// Routes mounts the catalog's pages and API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /aplikasi", h.catalog)
	rt.Page("GET /aplikasi/baru", h.newForm)
	rt.Page("POST /aplikasi/baru", h.create)
	rt.Page("GET /aplikasi/{slug}", h.detail)
	rt.Page("GET /aplikasi/{slug}/ubah", h.editForm)
	rt.Page("POST /aplikasi/{slug}/ubah", h.update)
	rt.Page("POST /aplikasi/{slug}/pengguna", h.setUsers)
	rt.Page("POST /aplikasi/{slug}/operator", h.addOperator)
	rt.Page("POST /aplikasi/{slug}/operator/hapus", h.removeOperator)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/apps", ID: "listApps", Tag: "apps",
		Summary: "The e-government applications, by name",
		Query: append([]web.Param{
			{Name: "owner_agency_id", Type: "integer", Description: "only applications owned by this agency"},
			{Name: "used_by_agency_id", Type: "integer", Description: "only applications this agency uses"},
			{Name: "status", Type: "string", Description: "planned, development, active, maintenance or retired"},
			{Name: "q", Type: "string", Description: "part of the name, slug or description, ignoring case"},
		}, web.PageParams...),
		Response: App{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/apps", ID: "createApp", Tag: "apps",
		Summary: "Add an application (owner agency's admin, expert, superadmin)",
		Body:    AppInput{}, Response: App{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/apps/{id}", ID: "getApp", Tag: "apps",
		Summary: "An application with the agencies that use it and its operators", Response: App{}}, h.apiGet)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/apps/{id}", ID: "updateApp", Tag: "apps",
		Summary: "Change an application (JSON merge patch)", Body: AppPatch{}, Patch: true, Response: App{}}, h.apiPatch)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/apps/{id}/agencies", ID: "setAppAgencies", Tag: "apps",
		Summary: "Replace the agencies that use an application", Body: AgencyIDsInput{}, Response: App{}}, h.apiSetUsers)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/apps/{id}/operators", ID: "addAppOperator", Tag: "apps",
		Summary: "Make an account an operator of the application in its agency (that agency's admin)",
		Body:    OperatorInput{}, Response: Operator{}, Status: http.StatusCreated}, h.apiAddOperator)
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/apps/{id}/operators/{account_id}", ID: "removeAppOperator",
		Tag: "apps", Summary: "End an account's operator role for the application in an agency",
		Query:  []web.Param{{Name: "agency_id", Type: "integer", Description: "the agency (required)"}},
		Status: http.StatusNoContent}, h.apiRemoveOperator)
}

// apiFilter reads a list request's filters and page.
func apiFilter(r *http.Request) (AppFilter, error) {
	owner, err := web.QueryID(r, "owner_agency_id")
	if err != nil {
		return AppFilter{}, err
	}
	usedBy, err := web.QueryID(r, "used_by_agency_id")
	if err != nil {
		return AppFilter{}, err
	}
	return AppFilter{OwnerAgencyID: owner, UsedByAgencyID: usedBy, Status: web.QueryString(r, "status"),
		Query: web.QueryString(r, "q")}, nil
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, apiFilter, h.apps.ListApps)
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in AppInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.apps.CreateApp(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/apps/"+strconv.FormatInt(a.ID, 10), a)
}

// writeApp answers with the application's full record.
func (h *Handler) writeApp(w http.ResponseWriter, r *http.Request, id int64) {
	a, err := h.apps.GetApp(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeApp(w, r, id)
}

func (h *Handler) apiPatch(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, patchFields...)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := patchOf(m)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if _, err := h.apps.UpdateApp(r.Context(), web.Actor(r), id, p); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeApp(w, r, id)
}

// patchOf reads a merge patch into an AppPatch. A null clears the URL or
// the description; the other fields cannot be cleared, so null is an error
// there rather than a silent "leave it".
func patchOf(m map[string]json.RawMessage) (AppPatch, error) {
	var p AppPatch
	var v errs.Validation
	for _, f := range []struct {
		name string
		dst  **string
	}{{"slug", &p.Slug}, {"name", &p.Name}, {"status", &p.Status}, {"url", &p.URL}, {"description", &p.Description}} {
		web.PatchMember(m, &v, f.name, f.dst, f.name == "url" || f.name == "description")
	}
	web.PatchMember(m, &v, "owner_agency_id", &p.OwnerAgencyID, false)
	return p, v.Err()
}

func (h *Handler) apiSetUsers(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in AgencyIDsInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if in.AgencyIDs == nil {
		web.WriteProblem(w, r, errs.FieldErr("agency_ids", "required"))
		return
	}
	if err := h.apps.SetUsers(r.Context(), web.Actor(r), id, in.AgencyIDs); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeApp(w, r, id)
}

func (h *Handler) apiAddOperator(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in OperatorInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var v errs.Validation
	if in.AgencyID <= 0 {
		v.Add("agency_id", "required")
	}
	if in.AccountID <= 0 {
		v.Add("account_id", "required")
	}
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.apps.AddOperator(r.Context(), web.Actor(r), id, in.AgencyID, in.AccountID); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.apps.GetApp(r.Context(), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	for _, o := range a.Operators {
		if o.AgencyID == in.AgencyID && o.AccountID == in.AccountID {
			web.WriteCreated(w, "/api/v1/apps/"+strconv.FormatInt(id, 10)+"/operators/"+
				strconv.FormatInt(in.AccountID, 10)+"?agency_id="+strconv.FormatInt(in.AgencyID, 10), o)
			return
		}
	}
	// Removed again between the two statements: report it as gone.
	web.WriteProblem(w, r, errs.New(errs.NotFound, "app.operator_not_found"))
}

func (h *Handler) apiRemoveOperator(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	account, err := web.PathID(r, "account_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "agency_id")
	if err == nil && agency == nil {
		err = errs.FieldErr("agency_id", "required")
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	if err := h.apps.RemoveOperator(r.Context(), web.Actor(r), id, *agency, account); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
