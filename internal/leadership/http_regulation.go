package leadership

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) regulationRoutes(rt *web.Router) {
	rt.Page("GET /pimpinan/regulasi", h.regulations)
	rt.Page("GET /pimpinan/regulasi/baru", h.regulationNew)
	rt.Page("POST /pimpinan/regulasi/baru", h.regulationCreate)
	rt.Page("GET /pimpinan/regulasi/{id}", h.regulation)
	rt.Page("GET /pimpinan/regulasi/{id}/ubah", h.regulationEdit)
	rt.Page("POST /pimpinan/regulasi/{id}/ubah", h.regulationUpdate)
	rt.Page("POST /pimpinan/regulasi/{id}/cabut", h.regulationRevoke)
	rt.Upload("POST /pimpinan/regulasi/{id}", h.svc.files.Request(), h.regulationFiles)
	rt.Page("GET /pimpinan/regulasi/{id}/berkas/{file}", h.regulationFile)
}

type regulationsPage struct {
	Items    []Regulation
	Next     string
	CanAdd   bool
	Kinds    []string
	Agencies []Agency
}

func (h *Handler) regulations(w http.ResponseWriter, r *http.Request) {
	page, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := RegulationFilter{Q: q.Get("q"), Kind: q.Get("jenis"), Status: q.Get("status")}
	if f.Status == "now" {
		f.Status, f.InForce = "", true
	}
	if raw := q.Get("opd"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			web.Fail(w, r, errs.FieldErr("opd", "number"))
			return
		}
		f.AgencyID = &id
	}
	d := regulationsPage{Kinds: RegulationKinds, CanAdd: toolsOf(web.Actor(r)).Regulation}
	if d.Items, d.Next, err = h.svc.Regulations(r.Context(), web.Actor(r), f, page); err == nil {
		d.Agencies, err = h.svc.Agencies(r.Context())
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/regulations", "leadership.reg.title", d)
}

// regulationForm is the register and change form.
type regulationForm struct {
	Regulation *Regulation
	Choices    []Choice
	Kinds      []string
	Values     map[string]string
}

// obligationsText writes obligations as the form's lines:
// "text | competency code | JP | application slug".
func obligationsText(list []Obligation) string {
	var b strings.Builder
	for _, o := range list {
		parts := []string{o.Text, o.CompetencyCode, "", o.AppSlug}
		if o.JP != 0 {
			parts[2] = strconv.Itoa(o.JP)
		}
		for len(parts) > 1 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		b.WriteString(strings.Join(parts, " | ") + "\n")
	}
	return b.String()
}

// parseObligations reads the form's lines "text | competency code | JP |
// application slug", all but the text optional.
func parseObligations(raw string) ([]ObligationInput, error) {
	var out []ObligationInput
	for _, line := range strings.Split(raw, "\n") {
		parts := strings.Split(line, "|")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		o := ObligationInput{Text: strings.TrimSpace(parts[0]), CompetencyCode: strings.TrimSpace(parts[1]),
			AppSlug: strings.TrimSpace(parts[3])}
		if o.Text == "" {
			continue
		}
		if jp := strings.TrimSpace(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(parts[2])), "JP")); jp != "" {
			n, err := strconv.Atoi(jp)
			if err != nil {
				return nil, errs.FieldErr("obligations", "leadership.obligation_line", strings.TrimSpace(line))
			}
			o.JP = n
		}
		out = append(out, o)
	}
	return out, nil
}

func (h *Handler) regulationFormData(r *http.Request, reg *Regulation) (regulationForm, error) {
	choices, err := h.svc.Choices(r.Context(), web.Actor(r), policy.RegulationManage, i18n.T(web.Lang(r), "leadership.city"))
	d := regulationForm{Regulation: reg, Choices: choices, Kinds: RegulationKinds, Values: map[string]string{"kind": "perwali"}}
	if reg != nil {
		d.Values = map[string]string{"kind": reg.Kind, "number": reg.Number, "title": reg.Title,
			"signed_on": h.svc.Day(reg.SignedOn), "in_force_from": h.svc.Day(reg.InForceFrom), "summary": reg.Summary,
			"obligations": obligationsText(reg.Obligations), "agency_id": strconv.FormatInt(reg.AgencyID, 10)}
		if reg.InForceUntil != nil {
			d.Values["in_force_until"] = h.svc.Day(*reg.InForceUntil)
		}
	}
	return d, err
}

func (h *Handler) regulationNew(w http.ResponseWriter, r *http.Request) {
	d, err := h.regulationFormData(r, nil)
	if err == nil && len(d.Choices) == 0 {
		err = errs.New(errs.Forbidden, "forbidden")
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/regulation_form", "leadership.reg.new", d)
}

// regulationInput reads the register or change form; the change form
// names no issuer (a regulation keeps its own).
func regulationInput(r *http.Request) (RegulationInput, error) {
	obl, err := parseObligations(r.PostFormValue("obligations"))
	return RegulationInput{Kind: r.PostFormValue("kind"), Number: r.PostFormValue("number"), Title: r.PostFormValue("title"),
		SignedOn: r.PostFormValue("signed_on"), InForceFrom: r.PostFormValue("in_force_from"),
		InForceUntil: r.PostFormValue("in_force_until"), Summary: r.PostFormValue("summary"), Obligations: obl}, err
}

func (h *Handler) regulationCreate(w http.ResponseWriter, r *http.Request) {
	in, err := regulationInput(r)
	if err == nil {
		in.AgencyID, err = formAgency(r)
	}
	var reg Regulation
	if err == nil {
		reg, err = h.svc.CreateRegulation(r.Context(), web.Actor(r), in)
	}
	if err != nil {
		d, derr := h.regulationFormData(r, nil)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "leadership/regulation_form", "leadership.reg.new", d, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/regulasi/"+strconv.FormatInt(reg.ID, 10), "flash.saved")
}

type regulationPage struct {
	Regulation
	CanManage bool
	MaxFiles  int
	MaxSize   string
}

func (h *Handler) regulationView(w http.ResponseWriter, r *http.Request) (Regulation, bool) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return Regulation{}, false
	}
	reg, err := h.svc.Regulation(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return Regulation{}, false
	}
	return reg, true
}

func (h *Handler) regulation(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.regulationView(w, r)
	if !ok {
		return
	}
	h.renderRegulation(w, r, reg, nil)
}

func (h *Handler) renderRegulation(w http.ResponseWriter, r *http.Request, reg Regulation, err error) {
	d := regulationPage{Regulation: reg, MaxFiles: h.svc.files.MaxFiles, MaxSize: upload.SizeText(h.svc.files.MaxBytes),
		CanManage: policy.Can(web.Actor(r), policy.RegulationManage, policy.Target{AgencyID: reg.AgencyID})}
	if err != nil {
		web.RenderForm(w, r, "leadership/regulation", "leadership.reg.title", d, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/regulation", "leadership.reg.title", d)
}

func (h *Handler) regulationEdit(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.regulationView(w, r)
	if !ok {
		return
	}
	if err := policy.Check(web.Actor(r), policy.RegulationManage, policy.Target{AgencyID: reg.AgencyID}); err != nil {
		web.Fail(w, r, err)
		return
	}
	d, err := h.regulationFormData(r, &reg)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "leadership/regulation_form", "leadership.reg.edit", d)
}

func (h *Handler) regulationUpdate(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.regulationView(w, r)
	if !ok {
		return
	}
	in, err := regulationInput(r)
	if err == nil {
		_, err = h.svc.UpdateRegulation(r.Context(), web.Actor(r), reg.ID, in)
	}
	if err != nil {
		d, derr := h.regulationFormData(r, &reg)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "leadership/regulation_form", "leadership.reg.edit", d, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/regulasi/"+strconv.FormatInt(reg.ID, 10), "flash.saved")
}

func (h *Handler) regulationRevoke(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.regulationView(w, r)
	if !ok {
		return
	}
	if _, err := h.svc.RevokeRegulation(r.Context(), web.Actor(r), reg.ID); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/regulasi/"+strconv.FormatInt(reg.ID, 10), "leadership.flash.revoked")
}

func (h *Handler) regulationFiles(w http.ResponseWriter, r *http.Request) {
	reg, ok := h.regulationView(w, r)
	if !ok {
		return
	}
	files, err := upload.FormFiles(r, "files")
	if err == nil {
		_, err = h.svc.AddFiles(r.Context(), web.Actor(r), reg.ID, files)
	}
	if err != nil {
		h.renderRegulation(w, r, reg, err)
		return
	}
	web.Redirect(w, r, "/pimpinan/regulasi/"+strconv.FormatInt(reg.ID, 10), "flash.saved")
}

func (h *Handler) regulationFile(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fid, err := web.PathID(r, "file")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, sum, data, err := h.svc.FileContent(r.Context(), web.Actor(r), id, fid)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	upload.Serve(w, r, f.Name, f.ContentType, sum, f.CreatedAt, data)
}
