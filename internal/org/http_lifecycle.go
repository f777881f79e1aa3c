package org

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// lifecycleForm is the deactivation or the transfer form of a person. Its
// dates start empty, meaning today: the server's date may not yet be the
// city's.
type lifecycleForm struct {
	form
	P        Employee
	Reasons  []string
	Agencies []Agency // transfer targets: every agency but the person's
}

func (h *Handler) deactivationForm(r *http.Request) (lifecycleForm, error) {
	e, err := h.writablePerson(r, policy.EmployeeWrite)
	if err != nil {
		return lifecycleForm{}, err
	}
	return lifecycleForm{P: e, Reasons: EndReasons}, nil
}

func (h *Handler) deactivateForm(w http.ResponseWriter, r *http.Request) {
	f, err := h.deactivationForm(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/deactivate", "org.deactivate.title", f)
}

func (h *Handler) deactivate(w http.ResponseWriter, r *http.Request) {
	f, err := h.deactivationForm(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	on, err := formDate(r.PostForm, "ended_on")
	if err == nil {
		if _, err = h.svc.DeactivateEmployee(r.Context(), web.Actor(r), f.P.ID, r.PostForm.Get("reason"), on); err == nil {
			web.Redirect(w, r, "/pegawai/"+strconv.FormatInt(f.P.ID, 10), "org.flash.deactivated")
			return
		}
	}
	web.RenderForm(w, r, "org/deactivate", "org.deactivate.title", f, err)
}

func (h *Handler) transferFormOf(r *http.Request) (lifecycleForm, error) {
	e, err := h.writablePerson(r, policy.EmployeeTransfer)
	if err != nil {
		return lifecycleForm{}, err
	}
	all, err := h.allAgencies(r.Context())
	if err != nil {
		return lifecycleForm{}, err
	}
	f := lifecycleForm{P: e, form: form{Initial: url.Values{"position_name": {e.PositionName}}}}
	for _, a := range all {
		if a.ID != e.AgencyID {
			f.Agencies = append(f.Agencies, a)
		}
	}
	return f, nil
}

func (h *Handler) transferForm(w http.ResponseWriter, r *http.Request) {
	f, err := h.transferFormOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/transfer", "org.transfer.title", f)
}

func (h *Handler) transfer(w http.ResponseWriter, r *http.Request) {
	f, err := h.transferFormOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	in := TransferInput{UnitName: r.PostForm.Get("unit_name"), PositionName: r.PostForm.Get("position_name"),
		Decree: r.PostForm.Get("decree")}
	to, err := formID(r.PostForm, "to_agency_id")
	if to != nil {
		in.ToAgencyID = *to
	}
	if err == nil {
		in.EffectiveOn, err = formDate(r.PostForm, "effective_on")
	}
	if err == nil {
		if _, err = h.svc.TransferEmployee(r.Context(), web.Actor(r), f.P.ID, in); err == nil {
			web.Redirect(w, r, "/pegawai/"+strconv.FormatInt(f.P.ID, 10), "org.flash.transferred")
			return
		}
	}
	web.RenderForm(w, r, "org/transfer", "org.transfer.title", f, err)
}
