package training

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

func (h *Handler) apiEnrolments(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		page, err := web.ListPage(r)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		list, next, err := h.svc.EnrolmentPage(r.Context(), web.Actor(r), id, page)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteList(w, list, next)
	})(w, r)
}

func (h *Handler) apiEnrol(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in EnrolInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		n, err := h.svc.Enrol(r.Context(), web.Actor(r), id, in.EmployeeID)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteCreated(w, "/api/v1/enrolments/"+idString(n.ID), n)
	})(w, r)
}

func (h *Handler) apiEnrolment(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		n, err := h.svc.Enrolment(r.Context(), web.Actor(r), id)
		answer(w, r, n, err)
	})(w, r)
}

func (h *Handler) apiCancelEnrolment(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		if err := h.svc.CancelEnrolment(r.Context(), web.Actor(r), id); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		n, err := h.svc.Enrolment(r.Context(), web.Actor(r), id)
		answer(w, r, n, err)
	})(w, r)
}

func (h *Handler) apiDecide(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in DecisionInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		if err := h.svc.Decide(r.Context(), web.Actor(r), id, in.Approve); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		n, err := h.svc.Enrolment(r.Context(), web.Actor(r), id)
		answer(w, r, n, err)
	})(w, r)
}

func (h *Handler) apiScores(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in ScoresInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		n, err := h.svc.SetScores(r.Context(), web.Actor(r), id, in)
		answer(w, r, n, err)
	})(w, r)
}

func (h *Handler) apiApprovals(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, web.NoFilter, func(ctx context.Context, _ struct{}, p db.Page) ([]Enrolment, string, error) {
		return h.svc.Approvals(ctx, web.Actor(r), p)
	})
}

func (h *Handler) apiMark(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in AttendanceInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		a, err := h.svc.Mark(r.Context(), web.Actor(r), id, in)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		if !a.Present {
			web.WriteJSON(w, http.StatusOK, a)
			return
		}
		web.WriteCreated(w, "/api/v1/enrolments/"+idString(a.EnrolmentID), a)
	})(w, r)
}

func (h *Handler) apiSheet(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		page, err := web.ListPage(r)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		sh, err := h.svc.Sheet(r.Context(), web.Actor(r), id)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		list, next, err := sh.List(page)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteList(w, list, next)
	})(w, r)
}

func (h *Handler) apiCode(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in CodeInput
		if r.ContentLength != 0 {
			if err := web.DecodeJSON(w, r, &in); err != nil {
				web.WriteProblem(w, r, err)
				return
			}
		}
		c, err := h.svc.NewCode(r.Context(), web.Actor(r), id, time.Duration(in.Minutes)*time.Minute)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteCreated(w, "/api/v1/sessions/"+strconv.FormatInt(id, 10)+"/codes", c)
	})(w, r)
}

func (h *Handler) apiCheckIn(w http.ResponseWriter, r *http.Request) {
	var in CheckInInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.svc.CheckIn(r.Context(), web.Actor(r), in.Code)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/enrolments/"+idString(a.EnrolmentID), a)
}

func (h *Handler) apiEvaluate(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		var in EvaluationInput
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		if err := h.svc.Evaluate(r.Context(), web.Actor(r), id, in); err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		mine, err := h.svc.MyEvaluation(r.Context(), web.Actor(r), id)
		answer(w, r, mine, err)
	})(w, r)
}

func (h *Handler) apiReaction(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		re, err := h.svc.Reaction(r.Context(), web.Actor(r), id)
		answer(w, r, re, err)
	})(w, r)
}

func (h *Handler) apiFinish(w http.ResponseWriter, r *http.Request) {
	withID(func(w http.ResponseWriter, r *http.Request, id int64) {
		f, err := h.svc.Finish(r.Context(), web.Actor(r), id)
		answer(w, r, f, err)
	})(w, r)
}
