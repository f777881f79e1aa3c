package competency

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// frameworkForm is the form of a framework: new, or an edit of Framework.
type frameworkForm struct {
	Framework *Framework
	Form      map[string]string
}

func (h *Handler) newFrameworkForm(w http.ResponseWriter, r *http.Request) {
	if !canManage(r) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	web.Render(w, r, http.StatusOK, "competency/framework_form", "competency.framework.new", frameworkForm{Form: map[string]string{}})
}

func (h *Handler) createFramework(w http.ResponseWriter, r *http.Request) {
	in := FrameworkInput{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), Note: r.PostFormValue("note")}
	f, err := h.svc.CreateFramework(r.Context(), web.Actor(r), in)
	if err != nil {
		web.RenderForm(w, r, "competency/framework_form", "competency.framework.new", frameworkForm{Form: posted(r)}, err)
		return
	}
	web.Redirect(w, r, "/kompetensi?kerangka="+strconv.FormatInt(f.ID, 10), "competency.flash.framework_saved")
}

func (h *Handler) loadFramework(w http.ResponseWriter, r *http.Request) (Framework, bool) {
	id, err := web.PathID(r, "id")
	if err == nil {
		var f Framework
		if f, err = h.svc.GetFramework(r.Context(), id); err == nil {
			return f, true
		}
	}
	web.Fail(w, r, err)
	return Framework{}, false
}

func (h *Handler) editFrameworkForm(w http.ResponseWriter, r *http.Request) {
	f, ok := h.loadFramework(w, r)
	if !ok {
		return
	}
	if !canManage(r) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	web.Render(w, r, http.StatusOK, "competency/framework_form", "competency.framework.edit",
		frameworkForm{Framework: &f, Form: map[string]string{"name": f.Name, "description": f.Description}})
}

func (h *Handler) editFramework(w http.ResponseWriter, r *http.Request) {
	f, ok := h.loadFramework(w, r)
	if !ok {
		return
	}
	in := FrameworkInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Note: r.PostFormValue("note")}
	if _, err := h.svc.UpdateFramework(r.Context(), web.Actor(r), f.ID, in); err != nil {
		web.RenderForm(w, r, "competency/framework_form", "competency.framework.edit", frameworkForm{Framework: &f, Form: posted(r)}, err)
		return
	}
	web.Redirect(w, r, "/kompetensi?kerangka="+strconv.FormatInt(f.ID, 10), "competency.flash.framework_saved")
}

// frameworkHistoryPage lists a framework's versions.
type frameworkHistoryPage struct {
	Framework Framework
	Revisions []FrameworkRevision
}

func (h *Handler) frameworkHistory(w http.ResponseWriter, r *http.Request) {
	f, ok := h.loadFramework(w, r)
	if !ok {
		return
	}
	revs, err := h.svc.FrameworkRevisions(r.Context(), f.ID, 200)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/framework", "competency.framework.history",
		frameworkHistoryPage{Framework: f, Revisions: revs})
}
