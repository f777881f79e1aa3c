package knowledge

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// OriginLink names an article's origin and links to it: for a ticket, its
// number and the agent's ticket page. The help desk provides it, since
// this package does not know how tickets are numbered.
type OriginLink func(kind string, id int64) (label, href string)

// Handler serves an article's page and the article in the API.
type Handler struct {
	svc    *Service
	origin OriginLink
}

// NewHandler returns the handler; origin names articles' origins.
func NewHandler(s *Service, origin OriginLink) *Handler { return &Handler{svc: s, origin: origin} }

// Routes mounts the article page (/pengetahuan/{id}) and its API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pengetahuan/{id}", h.page)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/articles/{id}", ID: "getArticle", Tag: "knowledge",
		Summary:  "A knowledge article; drafts only for those who write articles (the help desk)",
		Response: Article{}}, h.apiGet)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a)
}

// articlePage is what an article's page shows.
type articlePage struct {
	Article
	Origin, OriginURL string
	Prevented         int
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := articlePage{Article: a}
	if a.OriginKind != nil && a.OriginID != nil && h.origin != nil {
		d.Origin, d.OriginURL = h.origin(*a.OriginKind, *a.OriginID)
	}
	if d.Prevented, err = Prevented(r.Context(), h.svc.db.R, a.ID, time.Now()); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/article", "knowledge.article.title", d)
}
