package org

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// personForm is the form that adds or edits a person.
type personForm struct {
	form
	Edit        *Employee // nil: a new person
	Agencies    []Agency  // the agencies the actor may add people to
	Fixed       *Agency   // the only one: shown, not chosen
	Supervisors []Employee
	Types       []string
}

// Action is the URL the form posts to.
func (f personForm) Action() string {
	if f.Edit == nil {
		return "/pegawai/baru"
	}
	return "/pegawai/" + strconv.FormatInt(f.Edit.ID, 10) + "/ubah"
}

// writableAgencies returns the agencies the actor may add people to: every
// one for the superadmin, else those where they are admin.
func (h *Handler) writableAgencies(r *http.Request) ([]Agency, error) {
	all, err := h.allAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	var mine []Agency
	for _, a := range all {
		if policy.Can(web.Actor(r), policy.EmployeeWrite, policy.Target{AgencyID: a.ID}) {
			mine = append(mine, a)
		}
	}
	if len(mine) == 0 {
		return nil, errs.New(errs.Forbidden, "forbidden")
	}
	return mine, nil
}

// newPersonForm builds the add form; agency is the agency chosen so far
// (from the link or the posted form), whose people may be supervisors.
func (h *Handler) newPersonForm(r *http.Request, agency string) (personForm, error) {
	f := personForm{Types: EmploymentTypes, form: form{Initial: url.Values{"employment_type": {EmploymentPNS}}}}
	var err error
	if f.Agencies, err = h.writableAgencies(r); err != nil {
		return f, err
	}
	if len(f.Agencies) == 1 {
		f.Fixed = &f.Agencies[0]
		agency = strconv.FormatInt(f.Fixed.ID, 10)
	}
	f.Initial.Set("agency_id", agency)
	for _, a := range f.Agencies {
		if strconv.FormatInt(a.ID, 10) == agency {
			if f.Supervisors, err = h.colleagues(r, a.ID); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

func (h *Handler) newPerson(w http.ResponseWriter, r *http.Request) {
	f, err := h.newPersonForm(r, r.URL.Query().Get("agency_id"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/person_form", "org.person.new", f)
}

func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	in := postedPerson(r.PostForm)
	agency, err := formID(r.PostForm, "agency_id")
	if agency != nil {
		in.AgencyID = *agency
	}
	if err == nil {
		in.SupervisorID, err = formID(r.PostForm, "supervisor_id")
	}
	if err == nil {
		var e Employee
		if e, err = h.svc.CreateEmployee(r.Context(), web.Actor(r), in); err == nil {
			web.Redirect(w, r, "/pegawai/"+strconv.FormatInt(e.ID, 10), "org.flash.person_created")
			return
		}
	}
	f, ferr := h.newPersonForm(r, r.PostForm.Get("agency_id"))
	if ferr != nil {
		web.Fail(w, r, ferr)
		return
	}
	web.RenderForm(w, r, "org/person_form", "org.person.new", f, err)
}

// postedPerson reads the text fields of the person form.
func postedPerson(vals url.Values) EmployeeInput {
	return EmployeeInput{NIP: vals.Get("nip"), Name: vals.Get("name"), FrontTitle: vals.Get("front_title"),
		BackTitle: vals.Get("back_title"), Email: vals.Get("email"), Phone: vals.Get("phone"),
		UnitName: vals.Get("unit_name"), PositionName: vals.Get("position_name"), Rank: vals.Get("rank"),
		EmploymentType: vals.Get("employment_type")}
}

// writablePerson reads the person of the path if the actor may change them.
func (h *Handler) writablePerson(r *http.Request, act policy.Action) (Employee, error) {
	e, err := h.personOf(r)
	if err != nil {
		return e, err
	}
	if err := policy.Check(web.Actor(r), act, policy.Target{AgencyID: e.AgencyID, EmployeeID: e.ID}); err != nil {
		return e, err
	}
	if !e.Active {
		return e, errs.New(errs.Conflict, "employee.inactive")
	}
	return e, nil
}

func (h *Handler) editForm(r *http.Request) (personForm, error) {
	e, err := h.writablePerson(r, policy.EmployeeWrite)
	if err != nil {
		return personForm{}, err
	}
	f := personForm{Edit: &e, Types: EmploymentTypes, Fixed: &Agency{ID: e.AgencyID, Name: e.AgencyName}}
	f.Initial = url.Values{"nip": {deref(e.NIP)}, "name": {e.Name}, "front_title": {e.FrontTitle},
		"back_title": {e.BackTitle}, "email": {deref(e.Email)}, "phone": {deref(e.Phone)}, "unit_name": {e.UnitName},
		"position_name": {e.PositionName}, "rank": {e.Rank}, "employment_type": {e.EmploymentType},
		"supervisor_id": {idString(e.SupervisorID)}, "agency_id": {strconv.FormatInt(e.AgencyID, 10)}}
	if f.Supervisors, err = h.colleagues(r, e.AgencyID); err != nil {
		return f, err
	}
	return f, nil
}

func (h *Handler) editPerson(w http.ResponseWriter, r *http.Request) {
	f, err := h.editForm(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/person_form", "org.person.edit", f)
}

func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	f, err := h.editForm(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	in := postedPerson(r.PostForm)
	p := EmployeePatch{NIP: &in.NIP, Name: &in.Name, FrontTitle: &in.FrontTitle, BackTitle: &in.BackTitle,
		Email: &in.Email, Phone: &in.Phone, UnitName: &in.UnitName, PositionName: &in.PositionName, Rank: &in.Rank,
		EmploymentType: &in.EmploymentType}
	if f.Edit.Masked { // never clear what the reader could not see
		p.NIP, p.Email, p.Phone = nil, nil, nil
	}
	boss, err := formID(r.PostForm, "supervisor_id")
	if err == nil {
		var none int64
		if boss == nil {
			boss = &none // none chosen: remove the supervisor
		}
		p.SupervisorID = boss
		if _, err = h.svc.UpdateEmployee(r.Context(), web.Actor(r), f.Edit.ID, p); err == nil {
			web.Redirect(w, r, "/pegawai/"+strconv.FormatInt(f.Edit.ID, 10), "flash.saved")
			return
		}
	}
	web.RenderForm(w, r, "org/person_form", "org.person.edit", f, err)
}
