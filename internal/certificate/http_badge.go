package certificate

import (
	"encoding/json"
	"net/http"

	"github.com/lontara-id/lontara/internal/web"
)

// badgeRoutes mounts the public Open Badges documents.
func (h *Handler) badgeRoutes(rt *web.Router) {
	rt.Public("GET /badges/assertions/{code}", h.assertion)
	rt.Public("GET /badges/classes/{id}", h.badgeClass)
	rt.Public("GET /badges/classes/{id}/image.svg", h.badgeImage)
	rt.Public("GET /badges/issuers/{id}", h.issuer)
}

// writeLD answers with an Open Badges document: JSON-LD any site may fetch.
func writeLD(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/ld+json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Handler) assertion(w http.ResponseWriter, r *http.Request) {
	a, revoked, err := h.svc.Assertion(r.Context(), r.PathValue("code"),
		Site{Base: h.baseURL(r), Configured: h.base != "", Lang: web.Lang(r)})
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	status := http.StatusOK
	if revoked {
		status = http.StatusGone // Open Badges 2.0: a revoked hosted assertion answers 410
	}
	writeLD(w, status, a)
}

func (h *Handler) badgeClass(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	b, err := h.svc.BadgeClass(r.Context(), id, h.baseURL(r), web.Lang(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	writeLD(w, http.StatusOK, b)
}

func (h *Handler) badgeImage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	svg, err := h.svc.BadgeImage(r.Context(), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(svg)
}

func (h *Handler) issuer(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if r.PathValue("id") == "0" {
		id, err = 0, nil
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	is, err := h.svc.Issuer(r.Context(), id, h.baseURL(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	writeLD(w, http.StatusOK, is)
}
