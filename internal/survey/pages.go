package survey

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

type campaignChange func(context.Context, *policy.Actor, int64) (Campaign, error)

func (h *Handler) pageRoutes(rt *web.Router) {
	rt.Page("GET /survei", h.index)
	rt.Page("GET /survei/kampanye/baru", h.newForm)
	rt.Page("POST /survei/kampanye/baru", h.create)
	rt.Page("GET /survei/kampanye/{id}", h.campaign)
	rt.Page("POST /survei/kampanye/{id}/buka", h.status(h.svc.OpenCampaign, "flash.survey.opened"))
	rt.Page("POST /survei/kampanye/{id}/tutup", h.status(h.svc.CloseCampaign, "flash.survey.closed"))
	rt.Page("GET /survei/kampanye/{id}/unduh", h.download)
	rt.Page("GET /survei/kampanye/{id}/isi", h.myForm)
	rt.Page("POST /survei/kampanye/{id}/isi", h.myAnswer)
	// The one-time link: anyone holding it may answer, signed in or not.
	// The token rides in the query (AnswerLink) so request logs, which
	// keep the path only, never hold it; /survei/isi/{token} works too.
	rt.Public("GET /survei/isi", h.tokenForm)
	rt.Public("GET /survei/isi/{token}", h.tokenForm)
	rt.Public("POST /survei/isi", h.tokenAnswer)
	rt.Public("GET /survei/terima-kasih", h.thanks)
}

type indexData struct {
	Mine      []Invitation
	Campaigns []Campaign
	Manage    bool
	MinGroup  int
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	a := web.Actor(r)
	mine, err := h.svc.MyInvitations(r.Context(), a)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := indexData{Mine: mine, MinGroup: MinGroup, Manage: policy.Can(a, policy.SurveyManage, policy.Target{})}
	if d.Manage || canSomeResults(a) {
		if d.Campaigns, err = h.svc.Campaigns(r.Context(), a); err != nil {
			web.Fail(w, r, err)
			return
		}
	}
	web.Render(w, r, http.StatusOK, "survey/index", "survey.title", d)
}

type newData struct {
	Instruments []Instrument
	Agencies    []AgencyName
	Chosen      map[int64]bool
	Today       string
}

func (h *Handler) newData(r *http.Request) (newData, error) {
	ins, err := h.svc.Instruments(r.Context(), web.Actor(r))
	if err != nil {
		return newData{}, err
	}
	ag, err := h.svc.AgencyNames(r.Context())
	d := newData{Instruments: ins, Agencies: ag, Chosen: map[int64]bool{},
		Today: time.Now().In(h.svc.zone).Format(time.DateOnly)}
	if r.PostForm != nil {
		for _, v := range r.PostForm["agency_ids"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				d.Chosen[id] = true
			}
		}
	}
	return d, err
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request) {
	d, err := h.newData(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "survey/new", "survey.new", d)
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	in := CampaignInput{Title: r.PostFormValue("title"), Period: r.PostFormValue("period"),
		OpensOn: r.PostFormValue("opens_on"), ClosesOn: r.PostFormValue("closes_on")}
	if v := r.PostFormValue("instrument_id"); v != "" {
		in.InstrumentID, _ = strconv.ParseInt(v, 10, 64)
	}
	for _, v := range r.PostForm["agency_ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			web.Fail(w, r, errs.FieldErr("agency_ids", "survey.agencies"))
			return
		}
		in.AgencyIDs = append(in.AgencyIDs, id)
	}
	c, err := h.svc.CreateCampaign(r.Context(), web.Actor(r), in)
	if err != nil {
		d, derr := h.newData(r)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "survey/new", "survey.new", d, err)
		return
	}
	web.Redirect(w, r, fmt.Sprintf("/survei/kampanye/%d", c.ID), "flash.survey.created")
}

type campaignData struct {
	Campaign Campaign
	Manage   bool
	Tables   []tabular.Table
}

func (h *Handler) campaign(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a := web.Actor(r)
	d := campaignData{Manage: policy.Can(a, policy.SurveyManage, policy.Target{})}
	if !d.Manage && !canSomeResults(a) {
		web.Fail(w, r, errs.New(errs.Forbidden, "forbidden"))
		return
	}
	ov, err := h.svc.Overview(r.Context(), a, id, web.Lang(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Campaign, d.Tables = ov.Campaign, ov.Tables(web.Lang(r))
	web.Render(w, r, http.StatusOK, "survey/campaign", "survey.results", d)
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var ov Overview
	if err == nil {
		ov, err = h.svc.Overview(r.Context(), web.Actor(r), id, web.Lang(r))
	}
	if err == nil {
		err = tabular.Download(w, r.URL.Query().Get("format"), fmt.Sprintf("hasil-survei-%d", id), ov.Tables(web.Lang(r)))
	}
	if err != nil {
		web.Fail(w, r, err)
	}
}

func (h *Handler) status(change campaignChange, flash string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r, "id")
		if err == nil {
			_, err = change(r.Context(), web.Actor(r), id)
		}
		if err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Redirect(w, r, fmt.Sprintf("/survei/kampanye/%d", id), flash)
	}
}

type answerData struct {
	Form   Form
	Token  string // empty when the signed-in person answers their own invitation
	Action string
	Scale  []int
}

func (d answerData) withScale() answerData {
	for v := d.Form.Instrument.ScaleMin; v <= d.Form.Instrument.ScaleMax; v++ {
		d.Scale = append(d.Scale, v)
	}
	return d
}

func (h *Handler) tokenForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	f, err := h.svc.FormByToken(r.Context(), token)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := answerData{Form: f, Token: token, Action: "/survei/isi"}.withScale()
	web.Render(w, r, http.StatusOK, "survey/answer", "survey.answer.title", d)
}

func (h *Handler) tokenAnswer(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	f, err := h.svc.FormByToken(r.Context(), token)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	answers, err := formAnswers(r, f.Instrument)
	if err == nil {
		err = h.svc.Submit(r.Context(), token, f.Campaign.ID, answers)
	}
	if err != nil {
		d := answerData{Form: f, Token: token, Action: "/survei/isi"}.withScale()
		web.RenderForm(w, r, "survey/answer", "survey.answer.title", d, err)
		return
	}
	web.Redirect(w, r, "/survei/terima-kasih", "")
}

func (h *Handler) myForm(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var f Form
	if err == nil {
		f, err = h.svc.MyForm(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := answerData{Form: f, Action: fmt.Sprintf("/survei/kampanye/%d/isi", id)}.withScale()
	web.Render(w, r, http.StatusOK, "survey/answer", "survey.answer.title", d)
}

func (h *Handler) myAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var f Form
	if err == nil {
		f, err = h.svc.MyForm(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	answers, err := formAnswers(r, f.Instrument)
	if err == nil {
		err = h.svc.SubmitMine(r.Context(), web.Actor(r), id, answers)
	}
	if err != nil {
		d := answerData{Form: f, Action: fmt.Sprintf("/survei/kampanye/%d/isi", id)}.withScale()
		web.RenderForm(w, r, "survey/answer", "survey.answer.title", d, err)
		return
	}
	web.Redirect(w, r, "/survei", "flash.survey.answered")
}

// formAnswers reads the radio buttons item-<id>; an item left out stays
// out (the service then refuses the incomplete response); a value that is
// no number is refused on its item (422), never read as 0, which is a
// point on a scale starting at 0.
func formAnswers(r *http.Request, ins Instrument) ([]Answer, error) {
	var out []Answer
	var bad errs.Validation
	for _, it := range ins.Items {
		field := fmt.Sprintf("item-%d", it.ID)
		v := r.PostFormValue(field)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			bad.Add(field, "survey.value", ins.ScaleMin, ins.ScaleMax)
			continue
		}
		out = append(out, Answer{ItemID: it.ID, Value: n})
	}
	return out, bad.Err()
}

func (h *Handler) thanks(w http.ResponseWriter, r *http.Request) {
	web.Render(w, r, http.StatusOK, "survey/thanks", "survey.answer.title", MinGroup)
}
