package knowledge

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// OriginLink names an article's origin and links to it: for a ticket, its
// number and the agent's ticket page. The help desk provides it, since
// this package does not know how tickets are numbered.
type OriginLink func(kind string, id int64) (label, href string)

// Handler serves the knowledge base's pages and its API.
type Handler struct {
	svc    *Service
	origin OriginLink
}

// NewHandler returns the handler; origin names articles' origins.
func NewHandler(s *Service, origin OriginLink) *Handler { return &Handler{svc: s, origin: origin} }

// Routes mounts the knowledge base (/pengetahuan…), each application's
// FAQ (/aplikasi/{slug}/faq) and the articles' API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pengetahuan", h.home)
	rt.Page("GET /pengetahuan/baru", h.newForm)
	rt.Page("POST /pengetahuan/baru", h.create)
	rt.Page("GET /pengetahuan/tinjauan", h.reviewQueue)
	rt.Page("GET /pengetahuan/kategori", h.categories)
	rt.Page("POST /pengetahuan/kategori", h.saveCategory)
	rt.Page("GET /pengetahuan/{id}", h.page)
	rt.Page("GET /pengetahuan/{id}/ubah", h.editForm)
	rt.Page("POST /pengetahuan/{id}/ubah", h.update)
	rt.Page("POST /pengetahuan/{id}/status", h.setStatus)
	rt.Page("POST /pengetahuan/{id}/suara", h.vote)
	rt.Page("POST /pengetahuan/{id}/hapus", h.delete)
	rt.Page("GET /pengetahuan/{id}/riwayat", h.history)
	rt.Page("GET /pengetahuan/{id}/beda", h.diff)
	rt.Upload("POST /pengetahuan/{id}/berkas", h.svc.FileLimits().Request(), h.addFiles)
	rt.Page("GET /pengetahuan/{id}/berkas/{file}/{name}", h.download)
	rt.Page("POST /pengetahuan/{id}/berkas/{file}/hapus", h.deleteFile)
	rt.Page("GET /aplikasi/{slug}/faq", h.faq)
	h.apiRoutes(rt)
}

// articleURL is an article's page.
func articleURL(id int64) string { return "/pengetahuan/" + strconv.FormatInt(id, 10) }

// articlePage is what an article's page shows.
type articlePage struct {
	Article
	Origin, OriginURL string
	Prevented, Views  int
	Rights            Rights
	Writer            bool
	MyVote            *bool
	Related           []Article
	Files             []File
	Events            []Event
	MaxFiles, MaxMiB  int
}

// Voted reports whether the reader's vote is helpful (want true) or not.
func (p articlePage) Voted(want bool) bool { return p.MyVote != nil && *p.MyVote == want }

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), web.Actor(r)
	a, err := h.svc.Get(ctx, actor, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := articlePage{Article: a, Writer: policy.Can(actor, policy.ArticleWrite, policy.Target{}),
		MaxFiles: h.svc.files.MaxFiles, MaxMiB: int(h.svc.files.MaxBytes >> 20)}
	d.Origin, d.OriginURL = h.originOf(web.Lang(r), a)
	for _, step := range []func() error{
		func() (err error) { d.Prevented, err = Prevented(ctx, h.svc.db.R, a.ID, time.Now()); return },
		func() (err error) { d.Views, err = h.svc.View(ctx, actor, a); return },
		func() (err error) { d.Rights, err = h.svc.RightsOn(ctx, actor, a); return },
		func() (err error) { d.MyVote, err = h.svc.MyVote(ctx, actor, a.ID); return },
		func() (err error) { d.Related, err = h.svc.Related(ctx, a, 5); return },
		func() (err error) { d.Files, err = files(ctx, h.svc.db.R, a.ID); return },
		func() (err error) {
			if d.Writer { // the review's steps and comments are the writers'
				d.Events, err = h.svc.Events(ctx, actor, a.ID)
			}
			return
		},
	} {
		if err := step(); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "knowledge/article", "knowledge.article.title", d)
}

// originOf names where an article came from and links to it: through
// the server's OriginLink, which may leave the label to this package's
// words ("Utas diskusi #12") by returning only the link.
func (h *Handler) originOf(lang string, a Article) (label, href string) {
	if a.OriginKind == nil || a.OriginID == nil {
		return "", ""
	}
	if h.origin != nil {
		label, href = h.origin(*a.OriginKind, *a.OriginID)
	}
	if href == "" || label == "" {
		label = i18n.T(lang, "knowledge.origin."+*a.OriginKind, *a.OriginID)
	}
	return label, href
}

// homePage is what /pengetahuan shows: the categories, the latest and the
// most helpful articles, or, with filters, the articles that match.
type homePage struct {
	Home
	Filtered   bool
	Category   *Category // the category filtered by, if any
	Results    []Article
	Next       string
	Writer     bool
	Reviewable int
	Apps       []AppRef
	Manage     bool
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	var d homePage
	var err error
	if d.Home, err = h.svc.Home(ctx, 8); err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Writer = policy.Can(actor, policy.ArticleWrite, policy.Target{})
	d.Manage = policy.Can(actor, policy.ArticleCategoryManage, policy.Target{})
	if d.Apps, err = h.svc.AppChoices(ctx); err != nil {
		web.Fail(w, r, err)
		return
	}
	if d.Writer {
		if d.Reviewable, err = h.svc.ReviewCount(ctx, actor); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	f, err := pageFilter(r, actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if f != (Filter{}) {
		d.Filtered = true
		for i, c := range d.Categories {
			if f.CategoryID != nil && c.ID == *f.CategoryID {
				d.Category = &d.Categories[i]
			}
		}
		p, err := web.ListPage(r)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		p.Limit = 30
		if d.Results, d.Next, err = h.svc.List(ctx, actor, f, p); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "knowledge/home", "knowledge.home.title", d)
}

// pageFilter reads the home page's filters: q, kategori, aplikasi,
// kompetensi, status, penulis=saya (the reader's own). An empty or unparseable choice does not narrow.
func pageFilter(r *http.Request, actor *policy.Actor) (Filter, error) {
	var f Filter
	q := r.URL.Query()
	str := func(name string) *string {
		if s := strings.TrimSpace(q.Get(name)); s != "" {
			return &s
		}
		return nil
	}
	id := func(name string) *int64 {
		if n, err := strconv.ParseInt(q.Get(name), 10, 64); err == nil && n > 0 {
			return &n
		}
		return nil
	}
	f.Query, f.Competency, f.Status = str("q"), str("kompetensi"), str("status")
	f.CategoryID, f.AppID = id("kategori"), id("aplikasi")
	if q.Get("penulis") == "saya" && actor != nil {
		f.AuthorID = &actor.AccountID
	}
	return f, nil
}

// faqPage is an application's FAQ.
type faqPage struct {
	App      AppRef
	Articles []Article
	Writer   bool
}

func (h *Handler) faq(w http.ResponseWriter, r *http.Request) {
	app, list, err := h.svc.FAQ(r.Context(), r.PathValue("slug"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/faq", "knowledge.faq.title", faqPage{App: app, Articles: list,
		Writer: policy.Can(web.Actor(r), policy.ArticleWrite, policy.Target{})})
}

// reviewPage is the review queue.
type reviewPage struct{ Articles []Article }

func (h *Handler) reviewQueue(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.ReviewQueue(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/review", "knowledge.review.title", reviewPage{Articles: list})
}

// articleList is what the partial "knowledge-list" shows.
type articleList struct {
	V        *web.View
	Articles []Article
}

// Rows hands a list of articles to the partial.
func (homePage) Rows(v *web.View, list []Article) articleList {
	return articleList{V: v, Articles: list}
}

// Rows hands a list of articles to the partial.
func (faqPage) Rows(v *web.View, list []Article) articleList {
	return articleList{V: v, Articles: list}
}

// Rows hands a list of articles to the partial.
func (reviewPage) Rows(v *web.View, list []Article) articleList {
	return articleList{V: v, Articles: list}
}
