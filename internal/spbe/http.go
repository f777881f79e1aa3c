package spbe

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the evidence page (/spbe) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the page, the download and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /spbe", h.page)
	rt.Page("GET /spbe/unduh", h.download)
	p := []web.Param{{Name: "period", Type: "string", Description: "2026 (a year, the default: this year), 2026-H1 or 2026-Q3"}}
	rt.API(web.Op{Method: "GET", Path: "/api/v1/spbe-evidence", ID: "getSPBEEvidence", Tag: "spbe",
		Summary: "The SPBE evidence of a period for knowledge, ICT competence and service management: the policies in " +
			"force, the process records and the figures (executive and expert team)",
		Query: p, Response: Pack{}}, h.apiPack)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/spbe-evidence/archive", ID: "getSPBEEvidenceArchive", Tag: "spbe",
		Summary: "The same evidence as one ZIP file (application/zip, not JSON): README.txt, ringkasan.pdf, " +
			"bukti-spbe.xlsx and a CSV per table",
		Query: p}, h.apiArchive)
}

// page is what /spbe shows.
type page struct {
	Label    string // the period as typed
	Pack     *Pack
	Sections []section
	Recent   []string // periods to pick at a click
}

// section is one indicator's tables on the page.
type section struct {
	ID, Title string
	Tables    []pageTable
}

// pageTable is a table as the page shows it: its first rows, and what
// More says of the rest ("" when every row is shown).
type pageTable struct {
	tabular.Table
	More string
}

// pageRows is how many rows of a table the page shows. A ministry's year
// holds thousands of finished events: every row made the page 3 MB of
// HTML, too much for a phone to load and nobody reads on screen. The
// download holds every row, and the page says how many there are.
const pageRows = 100

// sections groups the pack's tables by indicator, by their IDs' prefix,
// each cut to its first limit rows.
func sections(lang string, p Pack, tables []tabular.Table, limit int) []section {
	f := tabular.Format{Lang: lang}
	var out []section
	for _, part := range p.parts() {
		s := section{ID: part.prefix, Title: i18n.T(lang, "spbe.indicator."+part.key)}
		for _, t := range tables {
			if !strings.HasPrefix(t.ID, part.prefix+"-") {
				continue
			}
			pt := pageTable{Table: t}
			if len(t.Rows) > limit {
				pt.Rows = t.Rows[:limit]
				pt.More = i18n.T(lang, "spbe.more", f.Group(limit), f.Group(len(t.Rows)))
			}
			s.Tables = append(s.Tables, pt)
		}
		out = append(out, s)
	}
	return out
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	if err := policy.Check(actor, policy.EvidenceView, policy.Target{}); err != nil {
		web.Fail(w, r, err)
		return
	}
	label := r.URL.Query().Get("periode")
	data := page{Label: label, Recent: h.recent()}
	p, err := h.svc.Period(label)
	if err != nil {
		web.RenderForm(w, r, "spbe/page", "spbe.title", data, err)
		return
	}
	pack, err := h.svc.Evidence(r.Context(), actor, p, web.Lang(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data.Label, data.Pack = pack.Period, &pack
	data.Sections = sections(web.Lang(r), pack, Tables(web.Lang(r), h.svc.zone, pack), pageRows)
	web.Render(w, r, http.StatusOK, "spbe/page", "spbe.title", data)
}

// recent is this year, last year and the last four quarters.
func (h *Handler) recent() []string {
	now := h.svc.now().In(h.svc.zone)
	year := period.Of(now, period.Year)
	out := []string{year.Label, year.Previous().Label}
	quarters := period.Of(now, period.Quarter).Last(4)
	for i := len(quarters) - 1; i >= 0; i-- {
		out = append(out, quarters[i].Label)
	}
	return out
}

func (h *Handler) pack(r *http.Request, name string) (Pack, error) {
	p, err := h.svc.Period(r.URL.Query().Get(name))
	if err != nil {
		return Pack{}, err
	}
	return h.svc.Evidence(r.Context(), web.Actor(r), p, web.Lang(r))
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	pack, err := h.pack(r, "periode")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	h.writeArchive(w, r, pack, web.Fail)
}

func (h *Handler) apiPack(w http.ResponseWriter, r *http.Request) {
	pack, err := h.pack(r, "period")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, pack)
}

func (h *Handler) apiArchive(w http.ResponseWriter, r *http.Request) {
	pack, err := h.pack(r, "period")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	h.writeArchive(w, r, pack, web.WriteProblem)
}

// writeArchive answers the pack as a ZIP to save.
func (h *Handler) writeArchive(w http.ResponseWriter, r *http.Request, pack Pack, fail func(http.ResponseWriter, *http.Request, error)) {
	var buf bytes.Buffer
	if err := Archive(&buf, web.Lang(r), h.svc.zone, pack); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+FileName(pack)+`.zip"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}
