package training

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) activityRoutes(rt *web.Router) {
	rt.Page("GET /pelatihan/aktivitas", h.activities)
	rt.Page("GET /pelatihan/aktivitas/baru", h.newActivityForm)
	rt.Page("POST /pelatihan/aktivitas/baru", h.createActivity)
	rt.Page("GET /pelatihan/aktivitas/{id}", h.activityPage)
	rt.Page("GET /pelatihan/aktivitas/{id}/ubah", h.editActivityForm)
	rt.Page("POST /pelatihan/aktivitas/{id}/ubah", h.editActivity)
	rt.Page("POST /pelatihan/aktivitas/{id}/arsip", h.retireActivity)
}

// activitiesPage is the catalogue of learning activities.
type activitiesPage struct {
	Activities []Activity
	Next       string
	Kinds      []string
	Kind, Q    string
	CanCreate  bool
}

func (h *Handler) activities(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := activitiesPage{Kinds: Kinds, Kind: r.URL.Query().Get("jenis"), Q: r.URL.Query().Get("q"),
		CanCreate: canCreate(web.Actor(r))}
	f := ActivityFilter{Q: web.QueryString(r, "q")}
	if d.Kind != "" {
		f.Kind = &d.Kind
	}
	if d.Activities, d.Next, err = h.svc.Activities(r.Context(), f, page); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/activities", "training.activities.title", d)
}

// activityPage is an activity with its upcoming events.
type activityPage struct {
	Activity  Activity
	Events    []Event
	CanManage bool
}

func (h *Handler) activityPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.Activity(r.Context(), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := activityPage{Activity: a, CanManage: CanManageActivity(web.Actor(r), deref(a.AgencyID))}
	events, _, err := h.svc.Events(r.Context(), web.Actor(r), EventFilter{ActivityID: &a.ID}, db.Page{Limit: 20})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Events = events
	web.Render(w, r, http.StatusOK, "training/activity", "training.activity.title", d)
}

func (h *Handler) activityPosted(r *http.Request) ActivityInput {
	jp, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("jp")))
	if err != nil {
		jp = -1
	}
	in := ActivityInput{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"),
		Description: r.PostFormValue("description"), JP: jp, Link: r.PostFormValue("link"),
		Competencies: competenciesPosted(r)}
	if a, err := strconv.ParseInt(r.PostFormValue("agency_id"), 10, 64); err == nil && a != 0 {
		in.AgencyID = &a
	}
	return in
}

func (h *Handler) newActivityForm(w http.ResponseWriter, r *http.Request) {
	if !canCreate(web.Actor(r)) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	v := url.Values{}
	v.Set("kind", KindBimtek)
	v.Set("jp", "8")
	if a := web.Actor(r); a != nil && !CanManageActivity(a, 0) && a.AgencyID != 0 {
		v.Set("agency_id", idString(a.AgencyID))
	}
	d, err := h.newFormPage(r, v)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/activity_form", "training.activity.new", d)
}

func (h *Handler) createActivity(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.CreateActivity(r.Context(), web.Actor(r), h.activityPosted(r))
	if err != nil {
		d, derr := h.newFormPage(r, r.PostForm)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "training/activity_form", "training.activity.new", d, err)
		return
	}
	web.Redirect(w, r, ActivityLink(a.ID), "training.flash.activity_created")
}

func (h *Handler) editActivityForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.Activity(r.Context(), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("kind", a.Kind)
	v.Set("title", a.Title)
	v.Set("description", a.Description)
	v.Set("jp", strconv.Itoa(a.JP))
	v.Set("link", a.Link)
	setCompetencyValues(v, a.Competencies)
	d, err := h.newFormPage(r, v)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Activity = &a
	web.Render(w, r, http.StatusOK, "training/activity_form", "training.activity.edit", d)
}

func (h *Handler) editActivity(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.Activity(r.Context(), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.svc.UpdateActivity(r.Context(), web.Actor(r), id, h.activityPosted(r)); err != nil {
		d, derr := h.newFormPage(r, r.PostForm)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		d.Activity = &a
		web.RenderForm(w, r, "training/activity_form", "training.activity.edit", d, err)
		return
	}
	web.Redirect(w, r, ActivityLink(id), "training.flash.activity_updated")
}

func (h *Handler) retireActivity(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.RetireActivity(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, ActivityLink(id), "training.flash.activity_retired")
}
