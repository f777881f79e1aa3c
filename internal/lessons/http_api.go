package lessons

import (
	"context"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/web"
)

const apiTag = "feedback"

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/lessons", ID: "listLessons", Tag: apiTag,
		Summary: "Lessons learned, newest first",
		Query: append([]web.Param{{Name: "agency_id", Type: "integer", Description: "an agency's lessons"},
			{Name: "city", Type: "boolean", Description: "true: the city's lessons (no agency)"},
			{Name: "kind", Type: "string", Description: "incident or project"},
			{Name: "q", Type: "string", Description: "words in the title or the text"}}, web.PageParams...),
		Response: Lesson{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/lessons", ID: "createLesson", Tag: apiTag,
		Summary: "Write a lesson learned (kind incident or project; agency_id, or null for the city's; title, happened " +
			"and learned required; Markdown; ticket_ids and problem_ids link the help desk's tickets and problems)",
		Body: Input{}, Response: Lesson{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/lessons/{id}", ID: "getLesson", Tag: apiTag,
		Summary: "A lesson learned", Response: Lesson{}}, h.apiGet)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/lessons/{id}", ID: "replaceLesson", Tag: apiTag,
		Summary: "Replace a lesson learned whole, its links too", Body: Input{}, Response: Lesson{}}, h.apiUpdate)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/lessons/{id}/article", ID: "publishLesson", Tag: apiTag,
		Summary: "Publish a lesson as a draft knowledge article (its review follows in the knowledge base); the lesson " +
			"keeps article_id. 409 when it was published already",
		Response: Lesson{}, Status: http.StatusCreated}, h.apiPublish)
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, filterOf, func(ctx context.Context, f Filter, p db.Page) ([]Lesson, string, error) {
		return h.svc.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	l, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/lessons/"+strconv.FormatInt(l.ID, 10), l)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var l Lesson
	if err == nil {
		l, err = h.svc.Get(r.Context(), web.Actor(r), id)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, l)
}

func (h *Handler) apiUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	l, err := h.svc.Update(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, l)
}

func (h *Handler) apiPublish(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	var l Lesson
	if err == nil {
		l, err = h.svc.Publish(r.Context(), web.Actor(r), id, web.Lang(r))
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/lessons/"+strconv.FormatInt(id, 10), l)
}
