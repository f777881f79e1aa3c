package org

import (
	"context"
	"embed"
	"io/fs"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the agency and people pages: lists, detail pages and the
// forms that change them. It only translates between forms and the
// service, which checks the input, asks the policy and masks private
// fields; the handler asks the policy only to decide which actions to offer.
type Handler struct{ svc *Service }

// NewHandler returns the pages over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// uploadLimit bounds an import file: 15,000 rows of SIMPEG fit in a few MiB.
const uploadLimit = 20 << 20

// Routes mounts the pages. The fixed paths (baru, impor) are more specific
// than {id}, so the mux tells them apart.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /opd", h.agencies)
	rt.Page("GET /opd/baru", h.newAgency)
	rt.Page("POST /opd/baru", h.createAgency)
	rt.Page("GET /opd/{id}", h.agency)
	rt.Page("GET /opd/{id}/ubah", h.editAgency)
	rt.Page("POST /opd/{id}/ubah", h.updateAgency)
	rt.Page("GET /pegawai", h.people)
	rt.Page("GET /pegawai/baru", h.newPerson)
	rt.Page("POST /pegawai/baru", h.createPerson)
	rt.Page("GET /pegawai/impor", h.importForm)
	rt.Upload("POST /pegawai/impor", uploadLimit, h.importFile)
	rt.Page("GET /pegawai/{id}", h.person)
	rt.Page("GET /pegawai/{id}/ubah", h.editPerson)
	rt.Page("POST /pegawai/{id}/ubah", h.updatePerson)
	rt.Page("GET /pegawai/{id}/nonaktif", h.deactivateForm)
	rt.Page("POST /pegawai/{id}/nonaktif", h.deactivate)
	rt.Page("GET /pegawai/{id}/mutasi", h.transferForm)
	rt.Page("POST /pegawai/{id}/mutasi", h.transfer)
}

// allAgencies reads every agency by code, for the selects of forms and
// filters: a city has dozens, a province a few hundred.
func (h *Handler) allAgencies(ctx context.Context) ([]Agency, error) {
	var all []Agency
	p := db.Page{Limit: db.MaxLimit}
	for {
		list, next, err := h.svc.ListAgencies(ctx, AgencyFilter{}, p)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" {
			return all, nil
		}
		p.After = next
	}
}
