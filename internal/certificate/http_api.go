package certificate

import (
	"context"
	"net/http"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "POST", Path: "/api/v1/events/{id}/certificates", ID: "issueCertificates", Tag: "training",
		Summary:  "Issue certificates to everyone who completed a finished event and has none yet (idempotent: issued 0 when none are new)",
		Response: Issued{Certificates: []Certificate{{Competencies: []Competency{{}}}}}, Status: http.StatusCreated}, h.apiIssue)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/events/{id}/certificates", ID: "listEventCertificates", Tag: "training",
		Summary: "An event's certificates, in the order they were issued (for those who run the event)",
		Query:   web.PageParams, Response: Certificate{Competencies: []Competency{{}}}, List: true}, h.apiEvent)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/certificates", ID: "listMyCertificates", Tag: "training",
		Summary: "The caller's own certificates, newest first",
		Query:   web.PageParams, Response: Certificate{Competencies: []Competency{{}}}, List: true}, h.apiMine)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/employees/{id}/certificates", ID: "listEmployeeCertificates", Tag: "training",
		Summary: "A person's certificates, newest first (for those who may see their development record)",
		Query:   web.PageParams, Response: Certificate{Competencies: []Competency{{}}}, List: true}, h.apiPerson)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/certificates/{code}", ID: "getCertificate", Tag: "training",
		Summary:  "A certificate, for its holder and those who may see the holder's development record",
		Response: Certificate{Competencies: []Competency{{}}}}, h.apiGet)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/certificates/{code}/revoke", ID: "revokeCertificate", Tag: "training",
		Summary: "Revoke a certificate, with the reason (for those who run its event)",
		Body:    RevokeInput{}, Response: Certificate{Competencies: []Competency{{}}}}, h.apiRevoke)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/verify/{code}", ID: "verifyCertificate", Tag: "training", Public: true,
		Summary:  "Verify a certificate code (no sign-in): what the certificate states and whether it was revoked; 404 for a code that is unknown or not well formed",
		Response: Verification{Competencies: []Competency{{}}}}, h.apiVerify)
}

func (h *Handler) apiIssue(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	out, err := h.svc.Issue(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/events/"+itoa(id)+"/certificates", out)
}

func (h *Handler) apiEvent(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.PathValue("id"), func(ctx context.Context, id int64, p db.Page) ([]Certificate, string, error) {
		return h.svc.ForEvent(ctx, web.Actor(r), id, p)
	})
}

func (h *Handler) apiMine(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.NoFilter, func(ctx context.Context, _ struct{}, p db.Page) ([]Certificate, string, error) {
		return h.svc.Mine(ctx, web.Actor(r), p)
	})
}

func (h *Handler) apiPerson(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.PathValue("id"), func(ctx context.Context, id int64, p db.Page) ([]Certificate, string, error) {
		_, list, next, err := h.svc.OfEmployee(ctx, web.Actor(r), id, p)
		return list, next, err
	})
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.Get(r.Context(), web.Actor(r), r.PathValue("code"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, c)
}

func (h *Handler) apiRevoke(w http.ResponseWriter, r *http.Request) {
	var in RevokeInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.Revoke(r.Context(), web.Actor(r), r.PathValue("code"), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, c)
}

func (h *Handler) apiVerify(w http.ResponseWriter, r *http.Request) {
	v, err := h.svc.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	web.WriteJSON(w, http.StatusOK, v)
}
