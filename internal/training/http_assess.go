package training

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

func errNotFoundSession() error { return errs.New(errs.NotFound, "training.session_not_found") }

// scoresPage is the pre-test and post-test form of an event.
type scoresPage struct {
	Event  Event
	People []Enrolment
	Values url.Values
	Gain   Gain
}

func (h *Handler) scoresData(r *http.Request, e Event) (scoresPage, error) {
	roster, err := h.svc.Enrolments(r.Context(), web.Actor(r), e)
	if err != nil {
		return scoresPage{}, err
	}
	if !roster.All {
		return scoresPage{}, errs.New(errs.Forbidden, "forbidden")
	}
	d := scoresPage{Event: e, Values: url.Values{}}
	for _, n := range roster.People {
		if !n.HoldsSeat() {
			continue
		}
		d.People = append(d.People, n)
		if n.PreScore != nil {
			d.Values.Set("pre_"+idString(n.ID), strconv.Itoa(*n.PreScore))
		}
		if n.PostScore != nil {
			d.Values.Set("post_"+idString(n.ID), strconv.Itoa(*n.PostScore))
		}
	}
	d.Gain = LearningGain(d.People)
	return d, nil
}

func (h *Handler) scoresForm(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	d, err := h.scoresData(r, e)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "training/scores", "training.scores.title", d)
}

func (h *Handler) saveScores(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	d, err := h.scoresData(r, e)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	// A score that is not a number is out of range (-1), so the form
	// names its field; an empty one stays unknown.
	score := func(name string) *int {
		s := strings.TrimSpace(r.PostFormValue(name))
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		return &n
	}
	scores := map[int64]ScoresInput{}
	for _, n := range d.People {
		scores[n.ID] = ScoresInput{PreScore: score("pre_" + idString(n.ID)), PostScore: score("post_" + idString(n.ID))}
	}
	if err := h.svc.SaveScores(r.Context(), web.Actor(r), e.ID, scores); err != nil {
		d.Values = r.PostForm
		web.RenderForm(w, r, "training/scores", "training.scores.title", d, err)
		return
	}
	web.Redirect(w, r, EventLink(e.ID)+"/nilai", "training.flash.scores_saved")
}

// evaluationPage is a participant's reaction form.
type evaluationPage struct {
	Event     Event
	Questions []string
	Values    url.Values
	Done      bool
}

func (h *Handler) evaluationForm(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	mine, err := h.svc.MyEvaluation(r.Context(), web.Actor(r), e.ID)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d := evaluationPage{Event: e, Questions: Questions, Values: url.Values{}, Done: mine != nil}
	if mine != nil {
		for i, x := range []int{mine.Relevance, mine.Content, mine.Trainer, mine.Usefulness} {
			d.Values.Set(Questions[i], strconv.Itoa(x))
		}
		d.Values.Set("comment", mine.Comment)
	}
	web.Render(w, r, http.StatusOK, "training/evaluation", "training.evaluation.title", d)
}

func (h *Handler) evaluate(w http.ResponseWriter, r *http.Request) {
	e, ok := h.event(w, r)
	if !ok {
		return
	}
	rating := func(name string) int { n, _ := strconv.Atoi(r.PostFormValue(name)); return n }
	in := EvaluationInput{Relevance: rating("relevance"), Content: rating("content"), Trainer: rating("trainer"),
		Usefulness: rating("usefulness"), Comment: r.PostFormValue("comment")}
	if err := h.svc.Evaluate(r.Context(), web.Actor(r), e.ID, in); err != nil {
		d := evaluationPage{Event: e, Questions: Questions, Values: r.PostForm}
		web.RenderForm(w, r, "training/evaluation", "training.evaluation.title", d, err)
		return
	}
	web.Redirect(w, r, EventLink(e.ID), "training.flash.evaluated")
}
