package search

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// pageSize is how many results the search page shows at once.
const pageSize = 20

// Handler serves the search page (/cari) and GET /api/v1/search.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the page and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /cari", h.page)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/search", ID: "search", Tag: "search",
		Summary: "Search articles, discussion threads and tickets the caller may see; a thread is found by its best post, " +
			"a ticket named by its number. Words meet in any inflection (pelayanan, melayani, layanan) and one typo " +
			"per word is forgiven. snippet is HTML: the matching passage, escaped, with the matched words in <mark>.",
		Query: append([]web.Param{
			{Name: "q", Type: "string", Description: "the search text, as typed (operators are plain words)"},
			{Name: "type", Type: "string", Description: "article, thread or ticket; none for all"},
		}, web.PageParams...),
		Response: Result{Type: TypeArticle, ID: "12", Title: "Reset kata sandi SIMPEG",
			Snippet: "… pilih <mark>reset</mark> kata sandi …", Score: 0.93},
		List: true}, h.api)
}

// request reads the search text, type and page of r.
func request(r *http.Request) (Request, error) {
	q := r.URL.Query()
	req := Request{Text: trimQuery(q.Get("q")), Type: q.Get("type")}
	p, err := web.ListPage(r)
	req.Page = p
	return req, err
}

func (h *Handler) api(w http.ResponseWriter, r *http.Request) {
	req, err := request(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	ans, err := h.svc.Search(r.Context(), web.Actor(r), req)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, ans.Items, ans.Next)
}

// resultsPage is what /cari shows.
type resultsPage struct {
	Q, Type   string
	Types     []string
	Searched  bool // there were words to search for
	Items     []Result
	Next      string
	Corrected string
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	req, err := request(r)
	if r.URL.Query().Get("limit") == "" {
		req.Page.Limit = pageSize
	}
	data := resultsPage{Q: req.Text, Type: req.Type, Types: Types, Searched: len(parseQuery(req.Text).terms) > 0}
	if err == nil {
		var ans Answer
		ans, err = h.svc.Search(r.Context(), web.Actor(r), req)
		data.Items, data.Next, data.Corrected = ans.Items, ans.Next, ans.Corrected
	}
	if err != nil {
		// A bad type or cursor shows the form again with its message.
		data.Type = ""
		web.RenderForm(w, r, "search/results", "search.title", data, err)
		return
	}
	web.Render(w, r, http.StatusOK, "search/results", "search.title", data)
}
