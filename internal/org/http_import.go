package org

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// importColumns are the columns of a SIMPEG export, as the page explains
// them (the i18n keys are org.import.col.<name>).
var importColumns = []string{"nip", "nama", "gelar", "email", "telepon", "kode_opd", "unit", "jabatan",
	"golongan", "jenis_pegawai", "nip_atasan"}

// importPage is the import form and, after a file, its report.
type importPage struct {
	form
	Agencies []Agency // the agencies the actor may import into
	Fixed    *Agency  // the only one: shown, not chosen
	All      bool     // the actor may import a file spanning agencies
	Columns  []string
	Report   *ImportReport
	Summary  string // the counts, in the page's language
}

// Reason is the problem of one row in the page's language.
func (p importPage) Reason(v *web.View, e ImportError) string {
	return i18n.T(v.Lang, "err."+e.Key, e.Args...)
}

func (h *Handler) importPageOf(r *http.Request) (importPage, error) {
	all, err := h.allAgencies(r.Context())
	if err != nil {
		return importPage{}, err
	}
	actor := web.Actor(r)
	p := importPage{Columns: importColumns, All: actor.IsSuper(),
		form: form{Initial: url.Values{"dry_run": {"1"}, "agency_id": {r.URL.Query().Get("agency_id")}}}}
	for _, a := range all {
		if policy.Can(actor, policy.EmployeeImport, policy.Target{AgencyID: a.ID}) {
			p.Agencies = append(p.Agencies, a)
		}
	}
	switch {
	case len(p.Agencies) == 0:
		return p, errs.New(errs.Forbidden, "forbidden")
	case len(p.Agencies) == 1 && !p.All:
		p.Fixed = &p.Agencies[0]
		p.Initial.Set("agency_id", strconv.FormatInt(p.Fixed.ID, 10))
	case p.All && p.Initial.Get("agency_id") == "":
		p.Initial.Set("agency_id", "all")
	}
	return p, nil
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	p, err := h.importPageOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "org/import", "org.import.title", p)
}

// importFile imports the uploaded file, or with dry_run checks it and
// shows what an import would do; either way the page shows the report.
func (h *Handler) importFile(w http.ResponseWriter, r *http.Request) {
	p, err := h.importPageOf(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	// The route bounds the body; files beyond 8 MiB wait on disk.
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		web.Fail(w, r, errs.FieldErr("file", "required"))
		return
	}
	var scope *int64
	if v := r.PostForm.Get("agency_id"); v != "all" || !p.All {
		if scope, err = formID(r.PostForm, "agency_id"); err == nil && scope == nil {
			err = errs.FieldErr("agency_id", "required")
		}
		if err != nil {
			web.RenderForm(w, r, "org/import", "org.import.title", p, err)
			return
		}
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		web.RenderForm(w, r, "org/import", "org.import.title", p, errs.FieldErr("file", "required"))
		return
	}
	defer file.Close()
	dry := r.PostForm.Get("dry_run") != ""
	rep, err := h.svc.ImportEmployees(r.Context(), web.Actor(r), scope, file, hdr.Filename, dry)
	p.Report = &rep
	if err != nil {
		web.RenderForm(w, r, "org/import", "org.import.title", p, err)
		return
	}
	key := "import.done"
	if dry {
		key = "import.dry_run"
	}
	p.Summary = i18n.T(web.Lang(r), key, rep.Rows, rep.Created, rep.Updated, rep.Unchanged)
	web.Render(w, r, http.StatusOK, "org/import", "org.import.title", p)
}
