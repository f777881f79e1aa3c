package competency

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/web"
)

// historyPage lists a competency's versions.
type historyPage struct {
	Competency Competency
	Revisions  []Revision
}

func (h *Handler) history(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	revs, err := h.svc.Revisions(r.Context(), c.ID)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "competency/history", "competency.history.title", historyPage{Competency: c, Revisions: revs})
}

// diffPage compares two versions field by field.
type diffPage struct {
	Competency Competency
	From, To   Revision
	Fields     []fieldDiff
}

type fieldDiff struct {
	Label   string // an i18n key
	Arg     int    // the level, for the level labels
	HTML    template.HTML
	Changed bool
}

func (h *Handler) diff(w http.ResponseWriter, r *http.Request) {
	c, ok := h.load(w, r)
	if !ok {
		return
	}
	from, err1 := strconv.Atoi(r.URL.Query().Get("dari"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("ke"))
	if err1 != nil || err2 != nil {
		web.Fail(w, r, errs.New(errs.NotFound, "competency.revision_not_found"))
		return
	}
	a, err := h.svc.RevisionAt(r.Context(), c.ID, from)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	b, err := h.svc.RevisionAt(r.Context(), c.ID, to)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := diffPage{Competency: c, From: a, To: b}
	add := func(label string, arg int, x, y string) {
		html, _, _ := knowledge.Diff(x, y)
		d.Fields = append(d.Fields, fieldDiff{Label: label, Arg: arg, HTML: html, Changed: x != y})
	}
	add("competency.field.name", 0, a.Name, b.Name)
	add("competency.field.description", 0, a.Description, b.Description)
	for i := range a.Levels {
		add("competency.level.n", i+1, a.Levels[i], b.Levels[i])
	}
	add("competency.field.validity_months", 0, monthsText(a.ValidityMonths), monthsText(b.ValidityMonths))
	web.Render(w, r, http.StatusOK, "competency/diff", "competency.diff.title", d)
}

func monthsText(m *int) string {
	if m == nil {
		return "—"
	}
	return strconv.Itoa(*m)
}
