package leadership

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the leadership pages under /pimpinan and the API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API. /pimpinan/target… belongs to the
// targets, so nothing here is a wildcard right under /pimpinan/.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pimpinan", h.hub)
	rt.Page("GET /pimpinan/visi", h.visions)
	rt.Page("POST /pimpinan/visi", h.setVision)
	h.regulationRoutes(rt)
	h.announcementRoutes(rt)
	h.reviewRoutes(rt)
	h.apiRoutes(rt)
}

// hubPage is the leadership hub: what everyone reads, and the leaders'
// tools for those who hold them.
type hubPage struct {
	City, Own     *visionView
	Regulations   []Regulation
	Announcements []Announcement
	Unread        int
	FollowUps     []FollowUp
	Recognitions  []Recognition
	Tools         tools
}

// tools says which leaders' tools the reader holds anywhere.
type tools struct {
	Vision, Regulation, Announce, Review, Recognize, Insight, Target, Evidence bool
}

func toolsOf(a *policy.Actor) tools {
	lead := func(act policy.Action) bool {
		if policy.Can(a, act, policy.Target{}) {
			return true
		}
		for _, g := range a.Grants {
			if g.AgencyID != 0 && policy.Can(a, act, policy.Target{AgencyID: g.AgencyID}) {
				return true
			}
		}
		return false
	}
	return tools{Vision: lead(policy.VisionEdit), Regulation: lead(policy.RegulationManage),
		Announce: lead(policy.AnnouncementPost), Review: lead(policy.ReviewManage),
		Recognize: lead(policy.RecognitionGive), Insight: lead(policy.InsightView), Target: lead(policy.TargetManage),
		Evidence: lead(policy.EvidenceView)}
}

// visionView is a vision with its mission rendered.
type visionView struct {
	Vision
	MissionHTML template.HTML
}

func viewOf(v *Vision) *visionView {
	if v == nil {
		return nil
	}
	return &visionView{Vision: *v, MissionHTML: markdown.Render(v.Mission)}
}

func (h *Handler) hub(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	d := hubPage{Tools: toolsOf(actor)}
	city, err := h.svc.CurrentVision(ctx, actor, 0)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.City = viewOf(city)
	if actor.AgencyID != 0 {
		own, err := h.svc.CurrentVision(ctx, actor, actor.AgencyID)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		d.Own = viewOf(own)
	}
	if d.Regulations, _, err = h.svc.Regulations(ctx, actor, RegulationFilter{InForce: true}, db.Page{Limit: 5}); err == nil {
		d.Announcements, _, err = h.svc.Announcements(ctx, actor, AnnouncementFilter{}, db.Page{Limit: 5})
	}
	if err == nil {
		d.Unread, err = h.svc.UnreadAnnouncements(ctx, actor)
	}
	if err == nil {
		d.FollowUps, err = h.svc.MyFollowUps(ctx, actor, false)
	}
	if err == nil {
		d.Recognitions, _, err = h.svc.Recognitions(ctx, actor, RecognitionFilter{}, db.Page{Limit: 5})
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/hub", "leadership.hub.title", d)
}

// visionsPage lists the visions in force; with ?opd= (0: the city) it
// shows that one's history and, to who may, the form for a new version.
type visionsPage struct {
	Visions  []visionView
	Agency   *Choice
	History  []visionView
	CanEdit  bool
	Form     VisionInput
	Agencies []Agency
}

func (h *Handler) visions(w http.ResponseWriter, r *http.Request) {
	d, err := h.visionsData(r, r.URL.Query().Get("opd"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/visions", "leadership.vision.title", d)
}

func (h *Handler) visionsData(r *http.Request, opd string) (visionsPage, error) {
	ctx, actor := r.Context(), web.Actor(r)
	var d visionsPage
	list, err := h.svc.Visions(ctx, actor)
	if err != nil {
		return d, err
	}
	for i := range list {
		d.Visions = append(d.Visions, *viewOf(&list[i]))
	}
	if d.Agencies, err = h.svc.Agencies(ctx); err != nil {
		return d, err
	}
	if opd == "" {
		return d, nil
	}
	id, err := strconv.ParseInt(opd, 10, 64)
	if err != nil || id < 0 {
		return d, errs.New(errs.NotFound, "leadership.agency_unknown")
	}
	c := Choice{ID: id, Name: i18n.T(web.Lang(r), "leadership.city")}
	if id != 0 {
		found := false
		for _, a := range d.Agencies {
			if a.ID == id {
				c.Name, found = a.Name, true
			}
		}
		if !found {
			return d, errs.New(errs.NotFound, "leadership.agency_unknown")
		}
	}
	d.Agency = &c
	hist, err := h.svc.VisionHistory(ctx, actor, id)
	if err != nil {
		return d, err
	}
	for i := range hist {
		d.History = append(d.History, *viewOf(&hist[i]))
	}
	d.CanEdit = policy.Can(actor, policy.VisionEdit, policy.Target{AgencyID: id})
	d.Form.AgencyID = id
	if len(hist) > 0 {
		d.Form = VisionInput{AgencyID: id, Vision: hist[0].Vision, Mission: hist[0].Mission, Term: hist[0].Term}
	}
	return d, nil
}

// formAgency reads a form's agency_id: every form that names an agency
// sends it, "0" for the city, so a missing or malformed one is refused
// rather than taken for the city.
func formAgency(r *http.Request) (int64, error) {
	raw := strings.TrimSpace(r.PostFormValue("agency_id"))
	if raw == "" {
		return 0, errs.FieldErr("agency_id", "required")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 0 {
		return 0, errs.FieldErr("agency_id", "number")
	}
	return id, nil
}

func (h *Handler) setVision(w http.ResponseWriter, r *http.Request) {
	id, err := formAgency(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	opd := strconv.FormatInt(id, 10)
	in := VisionInput{AgencyID: id, Vision: r.PostFormValue("vision"), Mission: r.PostFormValue("mission"),
		Term: r.PostFormValue("term")}
	if _, err := h.svc.SetVision(r.Context(), web.Actor(r), in); err != nil {
		d, derr := h.visionsData(r, opd)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		d.Form = in
		web.RenderForm(w, r, "leadership/visions", "leadership.vision.title", d, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/visi?opd="+opd, "flash.saved")
}
