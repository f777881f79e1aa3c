package ledger

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// personPage is a person's ledger.
type personPage struct {
	Person Person
	Mine   bool
	Years  []int
	Kinds  []string
	Today  string
}

func (h *Handler) mine(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	if actor.EmployeeID == 0 {
		web.Fail(w, r, errs.New(errs.NotFound, "ledger.no_person"))
		return
	}
	h.showPerson(w, r, actor.EmployeeID)
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	h.showPerson(w, r, id)
}

func (h *Handler) showPerson(w http.ResponseWriter, r *http.Request, id int64) {
	d, err := h.personData(r, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "ledger/person", "ledger.person.title", d)
}

func (h *Handler) personData(r *http.Request, id int64) (personPage, error) {
	y, err := yearOf(r, "tahun")
	if err != nil {
		return personPage{}, err
	}
	p, err := h.svc.Person(r.Context(), web.Actor(r), id, y)
	if err != nil {
		return personPage{}, err
	}
	d := personPage{Person: p, Mine: id == web.Actor(r).EmployeeID, Kinds: Kinds,
		Today: h.svc.now().In(h.svc.zone).Format(time.DateOnly)}
	for i := range 5 {
		d.Years = append(d.Years, h.svc.now().In(h.svc.zone).Year()-i)
	}
	return d, nil
}

func (h *Handler) recordExternal(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	in := External{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Provider: r.PostFormValue("provider"),
		Evidence: r.PostFormValue("evidence"), CompletedOn: r.PostFormValue("completed_on")}
	in.JP, err = strconv.Atoi(r.PostFormValue("jp"))
	if err != nil {
		err = errs.FieldErr("jp", "number")
	} else {
		_, err = h.svc.RecordExternal(r.Context(), web.Actor(r), id, in)
	}
	if err != nil {
		d, derr := h.personData(r, id)
		if derr != nil {
			web.Fail(w, r, derr)
			return
		}
		web.RenderForm(w, r, "ledger/person", "ledger.person.title", d, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jp/pegawai/"+strconv.FormatInt(id, 10), "ledger.flash.recorded")
}

func (h *Handler) forgetExternal(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	record, err := web.PathID(r, "record")
	if err == nil {
		err = h.svc.ForgetExternal(r.Context(), web.Actor(r), id, record)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/pelatihan/jp/pegawai/"+strconv.FormatInt(id, 10), "ledger.flash.forgotten")
}
