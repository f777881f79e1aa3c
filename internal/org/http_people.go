package org

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// peoplePage is what the staff directory shows.
type peoplePage struct {
	Rows      []Employee
	Next      string
	Agencies  []Agency
	Types     []string
	Private   bool // some row carries NIP, email or phone: show those columns
	CanAdd    bool
	CanImport bool
}

// activeFilter reads the active= filter: absent means active people only,
// "0" those who left, "all" everyone.
func activeFilter(r *http.Request) (*bool, error) {
	switch r.URL.Query().Get("active") {
	case "", "1":
		yes := true
		return &yes, nil
	case "0":
		no := false
		return &no, nil
	case "all":
		return nil, nil
	}
	return nil, errs.FieldErr("active", "one_of", "1, 0, all")
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f := EmployeeFilter{Query: web.QueryString(r, "q"), EmploymentType: web.QueryString(r, "employment_type")}
	if f.AgencyID, err = web.QueryID(r, "agency_id"); err != nil {
		web.Fail(w, r, err)
		return
	}
	if f.EmploymentType != nil && !slices.Contains(EmploymentTypes, *f.EmploymentType) {
		web.Fail(w, r, errs.FieldErr("employment_type", "one_of", strings.Join(EmploymentTypes, ", ")))
		return
	}
	if f.Active, err = activeFilter(r); err != nil {
		web.Fail(w, r, err)
		return
	}
	list, next, err := h.svc.ListEmployees(ctx, actor, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	agencies, err := h.allAgencies(ctx)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page := peoplePage{Rows: list, Next: next, Agencies: agencies, Types: EmploymentTypes,
		CanAdd:    actor.IsSuper() || len(actor.AgenciesWith(policy.AgencyAdmin)) > 0,
		CanImport: actor.IsSuper() || len(actor.AgenciesWith(policy.AgencyAdmin)) > 0}
	for _, e := range list {
		page.Private = page.Private || !e.Masked
	}
	web.Render(w, r, http.StatusOK, "org/people", "org.people.title", page)
}

// personPage is what a person's page shows.
type personPage struct {
	P           Employee
	Supervisor  *Employee
	Transfers   []Transfer
	History     bool // the reader may see the transfers
	Birth       time.Time
	Sex         string // "M", "F" or ""
	CanEdit     bool
	CanTransfer bool
	// CanDevelop: the reader may see the person's competency profile,
	// gaps, JP and certificates (policy.DevelopmentView).
	CanDevelop bool
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	e, err := h.personOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	target, err := h.svc.Target(ctx, e)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page := personPage{P: e, CanEdit: e.Active && policy.Can(actor, policy.EmployeeWrite, target),
		CanTransfer: e.Active && policy.Can(actor, policy.EmployeeTransfer, target),
		CanDevelop: policy.Can(actor, policy.DevelopmentView, policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID,
			Supervisor: actor != nil && e.SupervisorID != nil && *e.SupervisorID == actor.EmployeeID})}
	if e.NIP != nil {
		page.Birth, _ = BirthDate(*e.NIP)
		page.Sex = Sex(*e.NIP)
	}
	if e.SupervisorID != nil {
		boss, err := h.svc.GetEmployee(ctx, actor, *e.SupervisorID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			web.Fail(w, r, err)
			return
		}
		if err == nil {
			page.Supervisor = &boss
		}
	}
	if policy.Can(actor, policy.EmployeeViewPrivate, target) {
		page.History = true
		if page.Transfers, err = h.svc.ListTransfers(ctx, actor, e.ID); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "org/person", "org.person.title", page)
}

// personOf reads the person of the path, masked for the reader.
func (h *Handler) personOf(r *http.Request) (Employee, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Employee{}, err
	}
	return h.svc.GetEmployee(r.Context(), web.Actor(r), id)
}

// colleagues returns the active people of an agency, for the supervisor
// select; an agency has at most a few hundred.
func (h *Handler) colleagues(r *http.Request, agencyID int64) ([]Employee, error) {
	yes := true
	list, _, err := h.svc.ListEmployees(r.Context(), web.Actor(r), EmployeeFilter{AgencyID: &agencyID, Active: &yes},
		db.Page{Limit: db.MaxLimit})
	return list, err
}
