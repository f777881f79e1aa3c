package competency

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/web"
)

// download answers who lacks what in an agency (?opd=ID) or the city as a
// CSV file, with the page's narrowing (?kompetensi=CODE).
func (h *GapHandler) download(w http.ResponseWriter, r *http.Request) {
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var id int64
	name := "kota"
	if agency != nil {
		id, name = *agency, "opd-"+strconv.FormatInt(*agency, 10)
	}
	lang := web.Lang(r)
	out := &lazyCSV{w: w, name: "kesenjangan-" + name + ".csv"}
	err = h.svc.ExportPeople(r.Context(), web.Actor(r), id, GapFilter{Competency: web.QueryString(r, "kompetensi")}, out,
		func(key string) string { return i18n.T(lang, key) })
	if err != nil && !out.started {
		web.Fail(w, r, err)
	}
}

// lazyCSV sets a download's headers on its first byte, so an error found
// before (a refusal, an unknown competency) still answers as a page.
type lazyCSV struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (l *lazyCSV) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		l.w.Header().Set("Content-Disposition", `attachment; filename="`+l.name+`"`)
	}
	return l.w.Write(p)
}
