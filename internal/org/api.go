package org

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// API serves agencies and employees in the JSON API under /api/v1. It only
// translates between HTTP and the service: the service checks the input,
// asks the policy and masks private fields.
type API struct{ svc *Service }

// NewAPI returns the API over svc.
func NewAPI(svc *Service) *API { return &API{svc: svc} }

// DeactivateRequest ends a person's service: Reason is one of EndReasons,
// On the last day as "2006-01-02" (empty: today).
type DeactivateRequest struct {
	Reason string `json:"reason"`
	On     string `json:"on,omitempty"`
}

// TransferRequest moves a person to another agency; EffectiveOn is a date
// as "2006-01-02" (empty: today). See TransferInput.
type TransferRequest struct {
	ToAgencyID   int64  `json:"to_agency_id"`
	UnitName     string `json:"unit_name,omitempty"`
	PositionName string `json:"position_name,omitempty"`
	EffectiveOn  string `json:"effective_on,omitempty"`
	Decree       string `json:"decree,omitempty"`
}

// Routes mounts the agency and employee endpoints.
func (a *API) Routes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/agencies", ID: "listAgencies", Tag: "agencies",
		Summary: "The city's agencies (OPD), by code",
		Query: append([]web.Param{
			{Name: "type", Type: "string", Description: "only agencies of this type (" + strings.Join(AgencyTypes, ", ") + ")"},
			{Name: "parent_id", Type: "integer", Description: "only agencies directly under this agency"},
			{Name: "q", Type: "string", Description: "text contained in the code or the name, ignoring case"},
		}, web.PageParams...),
		Response: Agency{}, List: true}, a.listAgencies)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/agencies", ID: "createAgency", Tag: "agencies",
		Summary: "Add an agency (superadmin only)", Body: AgencyInput{}, Response: Agency{},
		Status: http.StatusCreated}, a.createAgency)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/agencies/{id}", ID: "getAgency", Tag: "agencies",
		Summary: "One agency", Response: Agency{}}, a.getAgency)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/agencies/{id}", ID: "updateAgency", Tag: "agencies",
		Summary: "Change an agency (superadmin only); parent_id null removes the parent",
		Body:    AgencyPatch{}, Patch: true, Response: Agency{}}, a.updateAgency)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/agencies/{id}/units", ID: "listAgencyUnits", Tag: "agencies",
		Summary: "The units of an agency, by name (one page holds them all)", Response: Unit{}, List: true}, a.listUnits)

	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees", ID: "listEmployees", Tag: "employees",
		Summary: "The staff directory, by name; nip, email and phone are null where the caller may not see them",
		Query: append([]web.Param{
			{Name: "agency_id", Type: "integer", Description: "only people of this agency"},
			{Name: "unit_id", Type: "integer", Description: "only people of this unit"},
			{Name: "employment_type", Type: "string", Description: "only people of this employment type (" + strings.Join(EmploymentTypes, ", ") + ")"},
			{Name: "active", Type: "boolean", Description: "true: people in service; false: people whose service ended"},
			{Name: "q", Type: "string", Description: "text contained in the name (or the NIP, where the caller may see every NIP listed), ignoring case"},
		}, web.PageParams...),
		Response: Employee{}, List: true}, a.listEmployees)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/employees", ID: "createEmployee", Tag: "employees",
		Summary: "Add a person to an agency the caller administers; unknown unit and position names are created",
		Body:    EmployeeInput{}, Response: Employee{}, Status: http.StatusCreated}, a.createEmployee)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}", ID: "getEmployee", Tag: "employees",
		Summary:  "One person; nip, email and phone are null where the caller may not see them",
		Response: Employee{}}, a.getEmployee)
	rt.API(web.Op{Method: "PATCH", Path: "/api/v1/employees/{id}", ID: "updateEmployee", Tag: "employees",
		Summary: "Change a person; null clears nip, email, phone, unit_name, position_name, supervisor_id (the agency changes by transfer)",
		Body:    EmployeePatch{}, Patch: true, Response: Employee{}}, a.updateEmployee)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/employees/{id}/deactivate", ID: "deactivateEmployee", Tag: "employees",
		Summary: "End a person's service; their account, sessions and tokens end with it",
		Body:    DeactivateRequest{}, Response: Employee{}}, a.deactivateEmployee)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/employees/{id}/transfer", ID: "transferEmployee", Tag: "employees",
		Summary: "Move a person to another agency (mutasi); their sessions, tokens and old agency's roles end",
		Body:    TransferRequest{}, Response: Employee{}}, a.transferEmployee)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/transfers", ID: "listEmployeeTransfers", Tag: "employees",
		Summary:  "A person's transfers, oldest first (for those who may see the person's private fields)",
		Response: Transfer{}, List: true}, a.listTransfers)
}

// answer writes v with status, or the problem err is.
func answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, status, v)
}

// created answers 201 with the resource and where it lives.
func created(w http.ResponseWriter, r *http.Request, path string, id int64, v any, err error) {
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, path+"/"+strconv.FormatInt(id, 10), v)
}

// oneOf reads an optional query parameter that must be one of allowed: a
// value that can match nothing is a mistake worth naming, not an empty list.
func oneOf(r *http.Request, name string, allowed []string) (*string, error) {
	s := web.QueryString(r, name)
	if s != nil && !slices.Contains(allowed, *s) {
		return nil, errs.FieldErr(name, "one_of", strings.Join(allowed, ", "))
	}
	return s, nil
}

// date reads a "2006-01-02" date of a request body; "" is the zero time.
func date(v *errs.Validation, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.Add(field, "date.format")
	} else if t.IsZero() { // 0001-01-01 would read as "no date given", meaning today
		v.Add(field, "date.range")
	}
	return t
}

func (a *API) listAgencies(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, agencyFilter, a.svc.ListAgencies)
}

// agencyFilter reads the filters of the agency list.
func agencyFilter(r *http.Request) (AgencyFilter, error) {
	f := AgencyFilter{Query: web.QueryString(r, "q")}
	var err error
	if f.Type, err = oneOf(r, "type", AgencyTypes); err == nil {
		f.ParentID, err = web.QueryID(r, "parent_id")
	}
	return f, err
}

func (a *API) createAgency(w http.ResponseWriter, r *http.Request) {
	var in AgencyInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	ag, err := a.svc.CreateAgency(r.Context(), web.Actor(r), in)
	created(w, r, "/api/v1/agencies", ag.ID, ag, err)
}

func (a *API) getAgency(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	ag, err := a.svc.GetAgency(r.Context(), id)
	answer(w, r, http.StatusOK, ag, err)
}

func (a *API) updateAgency(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, "code", "name", "type", "parent_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var p AgencyPatch
	var v errs.Validation
	web.PatchMember(m, &v, "code", &p.Code, true)
	web.PatchMember(m, &v, "name", &p.Name, true)
	web.PatchMember(m, &v, "type", &p.Type, true)
	web.PatchMember(m, &v, "parent_id", &p.ParentID, true)
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	ag, err := a.svc.UpdateAgency(r.Context(), web.Actor(r), id, p)
	answer(w, r, http.StatusOK, ag, err)
}

func (a *API) listUnits(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err == nil {
		_, err = a.svc.GetAgency(r.Context(), id)
	}
	var units []Unit
	if err == nil {
		units, err = a.svc.ListUnits(r.Context(), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, units, "")
}
