package discuss

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the discussion pages (/diskusi…) and the spaces, threads
// and posts of the API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /diskusi", h.home)
	rt.Page("GET /diskusi/ruang-baru", h.newSpaceForm)
	rt.Page("POST /diskusi/ruang-baru", h.newSpace)
	rt.Page("GET /diskusi/{id}", h.space)
	rt.Page("POST /diskusi/{id}/ikuti", h.followSpace)
	rt.Page("GET /diskusi/utas/baru", h.newThreadForm)
	rt.Page("POST /diskusi/utas/baru", h.newThread)
	h.threadRoutes(rt)
	h.moderationRoutes(rt)
	h.memberRoutes(rt)
	h.apiRoutes(rt)
	rt.Page("GET /diskusi/pembimbing", h.coaches)
}

// homePage is the discussion home: the spaces the reader may read by level.
type homePage struct {
	Groups    []spaceGroup
	Moderates bool
	CanCreate bool
	AgencyID  int64
}

type spaceGroup struct {
	Level  string
	Spaces []SpaceSummary
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	list, err := h.svc.Spaces(ctx, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := homePage{AgencyID: actor.AgencyID}
	for _, level := range Levels {
		g := spaceGroup{Level: level}
		for _, s := range list {
			if s.Level == level {
				g.Spaces = append(g.Spaces, s)
			}
		}
		if len(g.Spaces) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	if d.Moderates, err = h.svc.ModeratesAny(ctx, actor); err != nil {
		web.Fail(w, r, err)
		return
	}
	choices, err := h.svc.Choices(ctx, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.CanCreate = choices.Any()
	web.Render(w, r, http.StatusOK, "discuss/home", "discuss.home.title", d)
}

// spacePage is a space with a page of its threads.
type spacePage struct {
	Space     Space
	Threads   []Thread
	Next      string
	Kind      string
	Following bool
	CanAdmin  bool
}

func (h *Handler) space(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	sp, tg, err := ReadableSpace(ctx, h.svc.db.R, actor, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := spacePage{Space: sp, Kind: r.URL.Query().Get("jenis"), CanAdmin: policy.Can(actor, policy.SpaceAdmin, tg)}
	d.Threads, d.Next, err = h.svc.Threads(ctx, actor, id, ThreadFilter{Kind: d.Kind},
		db.Page{Limit: 30, After: r.URL.Query().Get("cursor")})
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	followed, err := idSet(ctx, h.svc.db.R, `SELECT space_id FROM space_follows WHERE account_id = $1 AND space_id = $2`,
		actor.AccountID, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Following = followed[id]
	web.Render(w, r, http.StatusOK, "discuss/space", "discuss.space.title", d)
}

func (h *Handler) followSpace(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	follow := r.PostFormValue("follow") == "1"
	if err := h.svc.FollowSpace(r.Context(), web.Actor(r), id, follow); err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "discuss.flash.unfollowed"
	if follow {
		flash = "discuss.flash.followed"
	}
	web.Redirect(w, r, spaceLink(id), flash)
}

func spaceLink(id int64) string { return "/diskusi/" + strconv.FormatInt(id, 10) }

// newThreadPage is the new-thread form of a space.
type newThreadPage struct{ Space Space }

func (h *Handler) newThreadForm(w http.ResponseWriter, r *http.Request) {
	sp, ok := h.readable(w, r)
	if !ok {
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/new_thread", "discuss.new.title", newThreadPage{Space: sp})
}

func (h *Handler) newThread(w http.ResponseWriter, r *http.Request) {
	sp, ok := h.readable(w, r)
	if !ok {
		return
	}
	in := ThreadInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Question: r.PostFormValue("question") == "1"}
	t, _, err := h.svc.CreateThread(r.Context(), web.Actor(r), sp.ID, in)
	if err != nil {
		web.RenderForm(w, r, "discuss/new_thread", "discuss.new.title", newThreadPage{Space: sp}, err)
		return
	}
	web.Redirect(w, r, ThreadLink(t.ID, 0), "discuss.flash.thread")
}

// readable loads the space named by the parameter "ruang" for the reader,
// or fails the request.
func (h *Handler) readable(w http.ResponseWriter, r *http.Request) (Space, bool) {
	id, err := strconv.ParseInt(r.FormValue("ruang"), 10, 64)
	if err != nil {
		web.Fail(w, r, errs.New(errs.NotFound, "discuss.space_not_found"))
		return Space{}, false
	}
	sp, _, err := ReadableSpace(r.Context(), h.svc.db.R, web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return Space{}, false
	}
	return sp, true
}

// newSpacePage is the new-space form.
type newSpacePage struct{ Choices SpaceChoices }

func (h *Handler) newSpaceForm(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Choices(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if !c.Any() {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	web.Render(w, r, http.StatusOK, "discuss/new_space", "discuss.newspace.title", newSpacePage{Choices: c})
}

func (h *Handler) newSpace(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	c, err := h.svc.Choices(ctx, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := SpaceInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Level: r.PostFormValue("level"), MembersOnly: r.PostFormValue("members_only") == "1",
		Formal: r.PostFormValue("formal") == "1"}
	var v errs.Validation
	for field, dst := range map[string]*int64{"agency_id": &in.AgencyID, "app_id": &in.AppID, "team_id": &in.TeamID} {
		if s := r.PostFormValue(field); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				v.Add(field, "discuss.unknown")
			}
			*dst = n
		}
	}
	sp, err := Space{}, v.Err()
	if err == nil {
		sp, err = h.svc.CreateSpace(ctx, actor, in)
	}
	if err != nil {
		web.RenderForm(w, r, "discuss/new_space", "discuss.newspace.title", newSpacePage{Choices: c}, err)
		return
	}
	web.Redirect(w, r, spaceLink(sp.ID), "discuss.flash.space")
}

// coachPage lists an agency's informal coaches.
type coachPage struct {
	AgencyID   int64
	AgencyName string
	Agencies   []Option
	Coaches    []Coach
	Accepted   int
	Helpful    int
	Threshold  int
}

func (h *Handler) coaches(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	d := coachPage{AgencyID: actor.AgencyID, Accepted: CoachAccepted, Helpful: CoachHelpful, Threshold: CoachThreshold}
	id, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if id != nil {
		d.AgencyID = *id
	}
	if d.Agencies, err = h.svc.Agencies(ctx); err != nil {
		web.Fail(w, r, err)
		return
	}
	if d.AgencyID != 0 {
		if d.AgencyName, err = h.svc.AgencyName(ctx, d.AgencyID); err != nil {
			web.Fail(w, r, err)
			return
		}
		if d.Coaches, err = h.svc.Coaches(ctx, actor, d.AgencyID); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "discuss/coaches", "discuss.coaches.title", d)
}
