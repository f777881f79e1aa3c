package discuss

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// errNoPost is a form naming no post.
var errNoPost = errs.New(errs.NotFound, "discuss.post_not_found")

func (h *Handler) moderationRoutes(rt *web.Router) {
	rt.Page("POST /diskusi/utas/{id}/kunci", h.flag("locked"))
	rt.Page("POST /diskusi/utas/{id}/sematkan", h.flag("pinned"))
	rt.Page("POST /diskusi/utas/{id}/pindah", h.move)
	rt.Page("POST /diskusi/kiriman/{id}/sembunyikan", h.hide)
	rt.Page("POST /diskusi/kiriman/{id}/tampilkan", h.unhide)
	rt.Page("GET /diskusi/kiriman/{id}/laporkan", h.reportForm)
	rt.Page("POST /diskusi/kiriman/{id}/laporkan", h.report)
	rt.Page("GET /diskusi/laporan", h.reports)
	rt.Page("POST /diskusi/laporan", h.resolve)
}

func (h *Handler) flag(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r, "id")
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		on := r.PostFormValue("on") == "1"
		if err := h.svc.SetFlag(r.Context(), web.Actor(r), id, name, on); err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Redirect(w, r, ThreadLink(id, 0), "discuss.flash."+name+map[bool]string{true: "_on", false: "_off"}[on])
	}
}

func (h *Handler) move(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	to, perr := strconv.ParseInt(r.PostFormValue("space_id"), 10, 64)
	if perr != nil {
		h.threadForm(w, r, errs.FieldErr("space_id", "discuss.unknown"))
		return
	}
	if err := h.svc.Move(r.Context(), web.Actor(r), id, to); err != nil {
		h.threadForm(w, r, err)
		return
	}
	web.Redirect(w, r, ThreadLink(id, 0), "discuss.flash.moved")
}

// postThread returns the thread of the post in the path, for redirects.
func (h *Handler) postThread(r *http.Request) (int64, int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	p, _, _, _, err := readablePost(r.Context(), h.svc.db.R, web.Actor(r), id)
	return id, p.ThreadID, err
}

func (h *Handler) hide(w http.ResponseWriter, r *http.Request) {
	id, thread, err := h.postThread(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Hide(r.Context(), web.Actor(r), id, r.PostFormValue("reason")); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, ThreadLink(thread, id), "discuss.flash.hidden")
}

func (h *Handler) unhide(w http.ResponseWriter, r *http.Request) {
	id, thread, err := h.postThread(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Unhide(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, ThreadLink(thread, id), "discuss.flash.shown")
}

// reportPage is the form to report a post.
type reportPage struct {
	Post   Post
	Thread Thread
}

func (h *Handler) reportData(r *http.Request) (reportPage, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return reportPage{}, err
	}
	p, t, _, _, err := readablePost(r.Context(), h.svc.db.R, web.Actor(r), id)
	if err != nil {
		return reportPage{}, err
	}
	if p.Hidden {
		p.Body = ""
	}
	p.HTML = render(r.Context(), h.svc.db.R, p.Body)
	return reportPage{Post: p, Thread: t}, nil
}

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.reportData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/report", "discuss.report.title", d)
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	d, err := h.reportData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.ReportPost(r.Context(), web.Actor(r), d.Post.ID, r.PostFormValue("reason")); err != nil {
		web.RenderForm(w, r, "discuss/report", "discuss.report.title", d, err)
		return
	}
	web.Redirect(w, r, ThreadLink(d.Thread.ID, d.Post.ID), "discuss.flash.reported")
}

// reportsPage is the moderators' queue.
type reportsPage struct{ Reports []Report }

func (h *Handler) reports(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Reports(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/reports", "discuss.reports.title", reportsPage{Reports: list})
}

func (h *Handler) resolve(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PostFormValue("report_id"), 10, 64)
	if err != nil {
		web.Fail(w, r, errs.New(errs.NotFound, "discuss.report_not_found"))
		return
	}
	action := r.PostFormValue("action")
	if err := h.svc.ResolveReport(r.Context(), web.Actor(r), id, action); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/diskusi/laporan", "discuss.flash.report_"+map[bool]string{true: "hidden", false: "dismissed"}[action == "hide"])
}
