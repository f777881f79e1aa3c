package ideas

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

const apiTag = "feedback"

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/ideas", ID: "listIdeas", Tag: apiTag,
		Summary: "Ideas, newest first (sort=votes: most votes first; sort=waiting: the unanswered ones, waiting longest first)",
		Query: append([]web.Param{
			{Name: "agency_id", Type: "integer", Description: "the owner agency (whose leadership answers)"},
			{Name: "app_id", Type: "integer", Description: "ideas for this application"},
			{Name: "status", Type: "string", Description: "new, review, planned, done or declined"},
			{Name: "sort", Type: "string", Description: "newest (default), votes or waiting"},
			{Name: "q", Type: "string", Description: "words in the title or the text"}}, web.PageParams...),
		Response: Idea{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/ideas", ID: "createIdea", Tag: apiTag,
		Summary: "Propose an idea: for an application (app_id; its owner agency answers) or for a procedure " +
			"(procedure, the name, with agency_id, the agency it belongs to); title required, body in Markdown",
		Body: Input{}, Response: Idea{}, Status: http.StatusCreated}, h.apiCreate)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/ideas/{id}", ID: "getIdea", Tag: apiTag,
		Summary: "An idea with its answers and comments, oldest first", Response: Idea{}}, h.apiGet)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/ideas/{id}", ID: "editIdea", Tag: apiTag,
		Summary: "Reword one's own idea (title, body) while it waits for its first answer (409 once answered)",
		Body:    EditInput{}, Response: Idea{}}, h.apiEdit)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/ideas/{id}/vote", ID: "voteIdea", Tag: apiTag,
		Summary: "Vote for an idea (one vote per person; voting again changes nothing)", Response: Idea{}}, h.apiVote(true))
	rt.API(web.Op{Method: "DELETE", Path: "/api/v1/ideas/{id}/vote", ID: "unvoteIdea", Tag: apiTag,
		Summary: "Withdraw one's vote for an idea", Response: Idea{}}, h.apiVote(false))
	rt.API(web.Op{Method: "POST", Path: "/api/v1/ideas/{id}/comments", ID: "commentIdea", Tag: apiTag,
		Summary: "Comment on an idea (Markdown); its author is told", Body: CommentInput{}, Response: Comment{},
		Status: http.StatusCreated}, h.apiComment)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/ideas/{id}/answers", ID: "answerIdea", Tag: apiTag,
		Summary: "Answer an idea and set its status (review, planned, done, declined; the answer is required): the owner " +
			"agency's head or the executive. The first answer ends the wait; the author and the voters are told",
		Body: AnswerInput{}, Response: Idea{}, Status: http.StatusCreated}, h.apiAnswer)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/idea-waits", ID: "ideaWaits", Tag: apiTag,
		Summary: "How the ideas received in a period were answered, per owner agency the caller leads or reads insight " +
			"of, then the city (agency_id 0) for the executive and the expert team: received, answered, answered within " +
			"30 days, median wait in days, still waiting and the oldest wait",
		Query:    []web.Param{{Name: "period", Type: "string", Description: "2026, 2026-H1 or 2026-Q3; this year by default"}},
		Response: []AnswerStat{}}, h.apiWaits)
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in Input
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	i, err := h.svc.Create(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/ideas/"+strconv.FormatInt(i.ID, 10), i)
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	i, err := h.svc.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, i)
}

func (h *Handler) apiVote(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r, "id")
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		i, err := h.svc.Vote(r.Context(), web.Actor(r), id, on)
		if err != nil {
			web.WriteProblem(w, r, err)
			return
		}
		web.WriteJSON(w, http.StatusOK, i)
	}
}

func (h *Handler) apiComment(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in CommentInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	c, err := h.svc.Comment(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/ideas/"+strconv.FormatInt(id, 10), c)
}

func (h *Handler) apiAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in AnswerInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	i, err := h.svc.Answer(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/ideas/"+strconv.FormatInt(id, 10), i)
}

func (h *Handler) apiWaits(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodOf(r)
	var list []AnswerStat
	if err == nil {
		list, err = h.svc.Waits(r.Context(), web.Actor(r), p)
	}
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, list)
}

func (h *Handler) apiEdit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in EditInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	i, err := h.svc.Edit(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, i)
}
