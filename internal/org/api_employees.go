package org

import (
	"context"
	"net/http"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

func (a *API) listEmployees(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, employeeFilter, func(ctx context.Context, f EmployeeFilter, p db.Page) ([]Employee, string, error) {
		return a.svc.ListEmployees(ctx, web.Actor(r), f, p)
	})
}

// employeeFilter reads the filters of the directory; every bad one is named.
func employeeFilter(r *http.Request) (EmployeeFilter, error) {
	f := EmployeeFilter{Query: web.QueryString(r, "q")}
	var v errs.Validation
	var err error
	for _, q := range []struct {
		name string
		dst  **int64
	}{{"agency_id", &f.AgencyID}, {"unit_id", &f.UnitID}} {
		if *q.dst, err = web.QueryID(r, q.name); err != nil {
			v.Add(q.name, "number")
		}
	}
	if f.EmploymentType, err = oneOf(r, "employment_type", EmploymentTypes); err != nil {
		v.Add("employment_type", "one_of", strings.Join(EmploymentTypes, ", "))
	}
	if s := web.QueryString(r, "active"); s != nil {
		active := *s == "true"
		if !active && *s != "false" {
			v.Add("active", "one_of", "true, false")
		}
		f.Active = &active
	}
	return f, v.Err()
}

func (a *API) createEmployee(w http.ResponseWriter, r *http.Request) {
	var in EmployeeInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	e, err := a.svc.CreateEmployee(r.Context(), actor, in)
	created(w, r, "/api/v1/employees", e.ID, mask(actor, e), err)
}

func (a *API) getEmployee(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	e, err := a.svc.GetEmployee(r.Context(), web.Actor(r), id)
	answer(w, r, http.StatusOK, e, err)
}

// employeePatchMembers are the members a PATCH of a person may hold.
var employeePatchMembers = []string{"nip", "name", "front_title", "back_title", "email", "phone",
	"unit_name", "position_name", "rank", "employment_type", "supervisor_id"}

func (a *API) updateEmployee(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := web.DecodePatch(w, r, employeePatchMembers...)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var p EmployeePatch
	var v errs.Validation
	for _, f := range []struct {
		name string
		dst  **string
	}{{"nip", &p.NIP}, {"name", &p.Name}, {"front_title", &p.FrontTitle}, {"back_title", &p.BackTitle},
		{"email", &p.Email}, {"phone", &p.Phone}, {"unit_name", &p.UnitName}, {"position_name", &p.PositionName},
		{"rank", &p.Rank}, {"employment_type", &p.EmploymentType}} {
		web.PatchMember(m, &v, f.name, f.dst, true)
	}
	web.PatchMember(m, &v, "supervisor_id", &p.SupervisorID, true)
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	e, err := a.svc.UpdateEmployee(r.Context(), actor, id, p)
	answer(w, r, http.StatusOK, mask(actor, e), err)
}

func (a *API) deactivateEmployee(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in DeactivateRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var v errs.Validation
	on := date(&v, "on", in.On)
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	e, err := a.svc.DeactivateEmployee(r.Context(), actor, id, in.Reason, on)
	answer(w, r, http.StatusOK, mask(actor, e), renameField(err, "ended_on", "on"))
}

// renameField names a field of a service error as the request calls it.
func renameField(err error, from, to string) error {
	if e := errs.As(err); e != nil {
		for i := range e.Fields {
			if e.Fields[i].Name == from {
				e.Fields[i].Name = to
			}
		}
	}
	return err
}

func (a *API) transferEmployee(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in TransferRequest
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var v errs.Validation
	on := date(&v, "effective_on", in.EffectiveOn)
	if err := v.Err(); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	actor := web.Actor(r)
	e, err := a.svc.TransferEmployee(r.Context(), actor, id, TransferInput{ToAgencyID: in.ToAgencyID,
		UnitName: in.UnitName, PositionName: in.PositionName, EffectiveOn: on, Decree: in.Decree})
	answer(w, r, http.StatusOK, mask(actor, e), err)
}

func (a *API) listTransfers(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var list []Transfer
	if err == nil {
		list, err = a.svc.ListTransfers(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}
