package audit

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the audit log as a page and in the API.
type Handler struct{ db *db.DB }

// NewHandler returns the handler.
func NewHandler(d *db.DB) *Handler { return &Handler{db: d} }

// Routes mounts the audit log.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /admin/audit", h.page)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/audit", ID: "listAudit", Tag: "audit",
		Summary: "The audit log, newest first, as far as the caller may read it",
		Query: append([]web.Param{
			{Name: "agency_id", Type: "integer", Description: "only entries of this agency"},
			{Name: "entity", Type: "string", Description: "only entries about this kind of thing (employee, agency, app, account, …)"},
			{Name: "entity_id", Type: "string", Description: "only entries about this one thing"},
		}, web.PageParams...),
		Response: Record{}, List: true}, h.list)
}

func filterOf(r *http.Request) (Filter, error) {
	agency, err := web.QueryID(r, "agency_id")
	return Filter{AgencyID: agency, Entity: web.QueryString(r, "entity"), EntityID: web.QueryString(r, "entity_id")}, err
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, filterOf, func(ctx context.Context, f Filter, p db.Page) ([]Record, string, error) {
		return List(ctx, h.db, web.Actor(r), f, p)
	})
}

// logPage is what the page shows.
type logPage struct {
	Items []Record
	Next  string
	Kinds []string // every kind of entry with a word for it, for the filter
}

// kinds are the kinds of entry the catalog has words for (every kind
// written has: TestEveryKindAndActionWrittenHasALabel), in the order of
// their words in lang.
func kinds(lang string) []string {
	var out []string
	for _, k := range i18n.Keys(i18n.ID) {
		if code, ok := strings.CutPrefix(k, "audit.ent."); ok {
			out = append(out, code)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return strings.Compare(i18n.Label(lang, "audit.ent.", a), i18n.Label(lang, "audit.ent.", b))
	})
	return out
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	f, err := filterOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	items, next, err := List(r.Context(), h.db, web.Actor(r), f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "audit/log", "audit.title", logPage{Items: items, Next: next, Kinds: kinds(web.Lang(r))})
}
