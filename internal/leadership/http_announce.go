package leadership

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) announcementRoutes(rt *web.Router) {
	rt.Page("GET /pimpinan/pengumuman", h.announcements)
	rt.Page("GET /pimpinan/pengumuman/baru", h.announcementNew)
	rt.Page("POST /pimpinan/pengumuman/baru", h.announcementPost)
	rt.Page("GET /pimpinan/pengumuman/{id}", h.announcement)
}

type announcementsPage struct {
	Items   []Announcement
	Next    string
	Sent    bool
	Unread  bool
	CanPost bool
	Count   int // the reader's unread announcements
}

func (h *Handler) announcements(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := announcementsPage{Sent: q.Get("terkirim") == "1", Unread: q.Get("belum") == "1",
		CanPost: toolsOf(web.Actor(r)).Announce}
	d.Items, d.Next, err = h.svc.Announcements(r.Context(), web.Actor(r), AnnouncementFilter{Sent: d.Sent, Unread: d.Unread}, page)
	if err == nil {
		d.Count, err = h.svc.UnreadAnnouncements(r.Context(), web.Actor(r))
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/announcements", "leadership.ann.title", d)
}

type announcementForm struct {
	Choices []Choice
	Roles   []policy.Role
	Chosen  map[string]bool
}

func (h *Handler) announcementFormData(r *http.Request) (announcementForm, error) {
	choices, err := h.svc.Choices(r.Context(), web.Actor(r), policy.AnnouncementPost, i18n.T(web.Lang(r), "leadership.city"))
	d := announcementForm{Choices: choices, Chosen: map[string]bool{}}
	for _, role := range policy.Roles {
		if role != policy.Superadmin {
			d.Roles = append(d.Roles, role)
		}
	}
	if r.Method == http.MethodPost {
		for _, v := range r.PostForm["agency_ids"] {
			d.Chosen["a"+v] = true
		}
		for _, v := range r.PostForm["roles"] {
			d.Chosen["r"+v] = true
		}
	}
	return d, err
}

func (h *Handler) announcementNew(w http.ResponseWriter, r *http.Request) {
	d, err := h.announcementFormData(r)
	if err == nil && len(d.Choices) == 0 {
		err = policy.Check(web.Actor(r), policy.AnnouncementPost, policy.Target{})
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/announcement_form", "leadership.ann.new", d)
}

func (h *Handler) announcementPost(w http.ResponseWriter, r *http.Request) {
	in := AnnouncementInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Roles: r.PostForm["roles"]}
	for _, v := range r.PostForm["agency_ids"] {
		// "0" is the city: an audience of no agencies.
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id != 0 {
			in.AgencyIDs = append(in.AgencyIDs, id)
		}
	}
	n, err := h.svc.Post(r.Context(), web.Actor(r), in)
	if err != nil {
		d, derr := h.announcementFormData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "leadership/announcement_form", "leadership.ann.new", d, err)
		return
	}
	web.Redirect(w, r, AnnouncementLink(n.ID), "leadership.flash.posted")
}

type announcementPage struct {
	Announcement
	BodyHTML template.HTML
}

func (h *Handler) announcement(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	n, err := h.svc.Announcement(r.Context(), web.Actor(r), id, true)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/announcement", "leadership.ann.title",
		announcementPage{Announcement: n, BodyHTML: markdown.Render(n.Body)})
}
