package ledger

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
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

// Handler serves the ledger's pages (under /pelatihan/jp) and API.
type Handler struct{ svc *Service }

// NewHandler returns the handler over s.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Routes mounts the pages and the API.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /pelatihan/jp", h.overview)
	rt.Page("GET /pelatihan/jp.csv", h.csv)
	rt.Page("POST /pelatihan/jp/target", h.setTarget)
	rt.Page("GET /pelatihan/jp/saya", h.mine)
	rt.Page("GET /pelatihan/jp/pegawai/{id}", h.person)
	rt.Page("POST /pelatihan/jp/pegawai/{id}/catat", h.recordExternal)
	rt.Page("POST /pelatihan/jp/pegawai/{id}/catat/{record}/hapus", h.forgetExternal)
	rt.Page("GET /pelatihan/jp/mandiri", h.modules)
	rt.Page("POST /pelatihan/jp/mandiri/{id}/selesai", h.complete)
	rt.Page("POST /pelatihan/jp/mandiri/{id}/batal", h.undo)
	h.apiRoutes(rt)
}

// yearOf reads ?year= (or ?tahun= on pages); absent is this year.
func yearOf(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, errs.FieldErr(name, "ledger.year")
	}
	return y, nil
}

// overviewPage is the city's or an agency's ledger.
type overviewPage struct {
	Year       Year
	City       *City
	AgencyID   int64
	AgencyName string
	People     []PersonRow
	Next       string
	Behind     bool
	CanTarget  bool
	CanCity    bool
	Years      []int
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	y, err := yearOf(r, "tahun")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if agency == nil && !policy.Can(actor, policy.DevelopmentView, policy.Target{}) {
		// Those who see no more than an agency land on theirs, the rest on
		// their own ledger.
		if id := viewableAgency(actor); id != 0 {
			http.Redirect(w, r, "/pelatihan/jp?opd="+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/pelatihan/jp/saya", http.StatusSeeOther)
		return
	}
	d := overviewPage{Behind: r.URL.Query().Get("tertinggal") == "1",
		CanTarget: policy.Can(actor, policy.RequirementManage, policy.Target{}),
		CanCity:   policy.Can(actor, policy.DevelopmentView, policy.Target{})}
	if agency == nil {
		c, err := h.svc.City(r.Context(), actor, y)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		d.City, d.Year = &c, c.Year
	} else {
		page, err := web.ListPage(r)
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		d.AgencyID = *agency
		d.People, d.Next, d.Year, err = h.svc.People(r.Context(), actor, Filter{Year: y, AgencyID: agency, Behind: d.Behind}, page)
		if err == nil {
			d.AgencyName, err = agencyName(r.Context(), h.svc.db.Replica, *agency)
		}
		if err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	for i := range 5 {
		d.Years = append(d.Years, h.svc.now().In(h.svc.zone).Year()-i)
	}
	web.Render(w, r, http.StatusOK, "ledger/overview", "ledger.title", d)
}

// viewableAgency returns an agency whose ledger the actor may see, 0 if
// none: their own first.
func viewableAgency(a *policy.Actor) int64 {
	if a.AgencyID != 0 && policy.Can(a, policy.DevelopmentView, policy.Target{AgencyID: a.AgencyID}) {
		return a.AgencyID
	}
	for _, g := range a.Grants {
		if g.AgencyID != 0 && policy.Can(a, policy.DevelopmentView, policy.Target{AgencyID: g.AgencyID}) {
			return g.AgencyID
		}
	}
	return 0
}

func agencyName(ctx context.Context, q db.Querier, id int64) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return "", fmt.Errorf("ledger: agency %d: %w", id, err)
	}
	return name, nil
}

func (h *Handler) csv(w http.ResponseWriter, r *http.Request) {
	y, err := yearOf(r, "tahun")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	agency, err := web.QueryID(r, "opd")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	h.writeCSV(w, r, Filter{Year: y, AgencyID: agency, Behind: r.URL.Query().Get("tertinggal") == "1"})
}

// writeCSV answers the people of f as a CSV download; a refusal comes
// before any of it is written.
func (h *Handler) writeCSV(w http.ResponseWriter, r *http.Request, f Filter) {
	actor := web.Actor(r)
	var agency int64
	if f.AgencyID != nil {
		agency = *f.AgencyID
	}
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: agency}); err != nil {
		web.Fail(w, r, err)
		return
	}
	yr, err := h.svc.year(r.Context(), h.svc.db.R, f.Year)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	name := "jp-" + strconv.Itoa(yr.Year)
	if f.AgencyID != nil {
		name += "-opd-" + strconv.FormatInt(agency, 10)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := h.svc.WriteCSV(r.Context(), actor, f, web.Lang(r), w); err != nil {
		// The header is gone; the truncated file and the log say so.
		web.Fail(w, r, err)
	}
}

func (h *Handler) setTarget(w http.ResponseWriter, r *http.Request) {
	y, errY := strconv.Atoi(r.PostFormValue("year"))
	jp, errJP := strconv.Atoi(r.PostFormValue("jp"))
	var v errs.Validation
	if errY != nil {
		v.Add("year", "ledger.year")
	}
	if errJP != nil {
		v.Add("jp", "number")
	}
	err := v.Err()
	if err == nil {
		err = h.svc.SetTarget(r.Context(), web.Actor(r), y, jp)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jp?tahun="+strconv.Itoa(y), "ledger.flash.target")
}

func (h *Handler) modules(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Modules(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "ledger/modules", "ledger.modules.title", modulesPage{Modules: list})
}

// modulesPage lists the self-study modules; Failed is the module whose
// completion form was refused, shown again with its message.
type modulesPage struct {
	Modules []Module
	Failed  int64
}

func (h *Handler) complete(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	_, err = h.svc.Complete(r.Context(), web.Actor(r), id, Completion{Reflection: r.PostFormValue("reflection")})
	if err != nil {
		list, lerr := h.svc.Modules(r.Context(), web.Actor(r))
		if lerr != nil {
			web.Fail(w, r, lerr)
			return
		}
		web.RenderForm(w, r, "ledger/modules", "ledger.modules.title", modulesPage{Modules: list, Failed: id}, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jp/mandiri", "ledger.flash.completed")
}

func (h *Handler) undo(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.Undo(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jp/mandiri", "ledger.flash.undone")
}
