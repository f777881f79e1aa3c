package discuss

import (
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/web"
)

// ThreadDetail is a thread in the API: the thread, one page of its posts
// (the first post is the question or opening), and the cursor of the next.
type ThreadDetail struct {
	Thread
	Posts     []Post  `json:"posts"`
	Next      *string `json:"next"`
	Following bool    `json:"following"`
	ArticleID *int64  `json:"article_id"`
}

func (h *Handler) apiRoutes(rt *web.Router) {
	rt.API(web.Op{Method: "GET", Path: "/api/v1/spaces", ID: "listSpaces", Tag: "discuss",
		Summary:  "The discussion spaces the caller may read, with their activity",
		Response: SpaceSummary{}, List: true}, h.apiSpaces)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/spaces/{id}/threads", ID: "listThreads", Tag: "discuss",
		Summary: "A space's threads, pinned first, then by their latest post (404 for a space the caller may not read)",
		Query: append([]web.Param{{Name: "kind", Type: "string", Description: "question (questions only) or unanswered " +
			"(questions without an accepted answer)"}}, web.PageParams...),
		Response: Thread{}, List: true}, h.apiThreads)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/spaces/{id}/threads", ID: "createThread", Tag: "discuss",
		Summary: "Start a thread (Markdown body; question: true for a question) in a space the caller may read; " +
			"201 with the thread and its first post",
		Body: ThreadInput{}, Response: ThreadDetail{}, Status: http.StatusCreated}, h.apiCreateThread)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/threads/{id}", ID: "getThread", Tag: "discuss",
		Summary: "A thread with a page of its posts in order; hidden posts carry no text except for their author " +
			"and the moderators",
		Query: web.PageParams, Response: ThreadDetail{}}, h.apiThread)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/threads/{id}/posts", ID: "createPost", Tag: "discuss",
		Summary: "Reply to a thread (Markdown body); 409 when the thread is locked, 404 when the caller may not read it",
		Body:    PostInput{}, Response: Post{}, Status: http.StatusCreated}, h.apiReply)
}

func (h *Handler) apiSpaces(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Spaces(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, "")
}

func (h *Handler) apiThreads(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	list, next, err := h.svc.Threads(r.Context(), web.Actor(r), id, ThreadFilter{Kind: r.URL.Query().Get("kind")}, p)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteList(w, list, next)
}

func (h *Handler) apiCreateThread(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in ThreadInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	t, p, err := h.svc.CreateThread(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p.First = true
	web.WriteCreated(w, threadAPI(t.ID), ThreadDetail{Thread: t, Posts: []Post{p}, Following: true})
}

func threadAPI(id int64) string { return "/api/v1/threads/" + strconv.FormatInt(id, 10) }

func (h *Handler) apiThread(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	v, err := h.svc.ThreadView(r.Context(), web.Actor(r), id, p)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	d := ThreadDetail{Thread: v.Thread, Posts: v.Posts, Following: v.Following, ArticleID: v.ArticleID}
	if d.Posts == nil {
		d.Posts = []Post{}
	}
	if v.Next != "" {
		d.Next = &v.Next
	}
	web.WriteJSON(w, http.StatusOK, d)
}

func (h *Handler) apiReply(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	var in PostInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.svc.Reply(r.Context(), web.Actor(r), id, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, threadAPI(id)+"#p"+strconv.FormatInt(p.ID, 10), p)
}
