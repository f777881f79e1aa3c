package outbox

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

//go:embed templates
var templates embed.FS

// Handler serves the delivery admin (/admin/saluran) and its API.
type Handler struct{ admin *Admin }

// NewHandler returns the handler over the delivery admin.
func NewHandler(a *Admin) *Handler { return &Handler{admin: a} }

// Routes mounts the delivery admin's pages and API, and its item on the
// superadmin's home page.
func (h *Handler) Routes(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /admin/saluran", h.listPage)
	rt.Page("GET /admin/saluran/masuk", h.inboundPage)
	rt.Page("GET /admin/saluran/{id}", h.detailPage)
	rt.Page("POST /admin/saluran/{id}/kirim-ulang", h.retryPost)
	rt.Page("POST /admin/saluran/kirim-ulang", h.retryDeadPost)
	rt.Attention(h.admin.Waiting)
	rt.Collect(NewCollector(h.admin.db))
	rt.API(web.Op{Method: "GET", Path: "/api/v1/outbox", ID: "listOutbox", Tag: "channels",
		Summary: "Messages leaving by email, SMS and WhatsApp, newest first (superadmin)",
		Query: append([]web.Param{
			{Name: "status", Type: "string", Description: "pending, sending, sent, delivered, failed or dead"},
			{Name: "channel", Type: "string", Description: "email, sms or whatsapp"},
			{Name: "kind", Type: "string", Description: "the notification's kind (ticket.replied), or reply, command, page"},
			{Name: "q", Type: "string", Description: "a part of the address, or a ref such as T-000123"},
		}, web.PageParams...),
		Response: Message{}, List: true}, h.apiList)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/outbox/{id}", ID: "getOutboxMessage", Tag: "channels",
		Summary: "One message of the outbox, body and all (superadmin)", Response: Message{}}, h.apiGet)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/outbox/{id}/retry", ID: "retryOutboxMessage", Tag: "channels",
		Summary:  "Put a dead or failed message back in line, its attempts counted afresh (409 in any other state)",
		Response: Message{}}, h.apiRetry)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/inbound-messages", ID: "listInboundMessages", Tag: "channels",
		Summary: "Every message that came in by SMS, email or WhatsApp and what became of it, newest first (superadmin)",
		Query: append([]web.Param{
			{Name: "channel", Type: "string", Description: "email, sms or whatsapp"},
			{Name: "status", Type: "string", Description: "received, ticket, reply, command, refused, throttled or ignored"},
		}, web.PageParams...),
		Response: Inbound{}, List: true}, h.apiInbound)
}

// Waiting is the superadmin's home-page item when messages went dead.
func (a *Admin) Waiting(ctx context.Context, actor *policy.Actor) ([]web.Attention, error) {
	if !policy.Can(actor, policy.ChannelManage, policy.Target{}) {
		return nil, nil
	}
	var n int
	if err := a.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status = 'dead'`).Scan(&n); err != nil {
		return nil, fmt.Errorf("outbox: dead count: %w", err)
	}
	return []web.Attention{{Key: "outbox.waiting.dead", Count: n, Href: "/admin/saluran?status=dead"}}, nil
}

func filterOf(r *http.Request) (Filter, error) {
	return Filter{Status: web.QueryString(r, "status"), Channel: web.QueryString(r, "channel"),
		Kind: web.QueryString(r, "kind"), Q: web.QueryString(r, "q")}, nil
}

func inboundFilterOf(r *http.Request) (InboundFilter, error) {
	return InboundFilter{Channel: web.QueryString(r, "channel"), Status: web.QueryString(r, "status")}, nil
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, filterOf, func(ctx context.Context, f Filter, p db.Page) ([]Message, string, error) {
		return h.admin.List(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiInbound(w http.ResponseWriter, r *http.Request) {
	web.ServeList(w, r, inboundFilterOf, func(ctx context.Context, f InboundFilter, p db.Page) ([]Inbound, string, error) {
		return h.admin.Inbound(ctx, web.Actor(r), f, p)
	})
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := h.admin.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, m)
}

func (h *Handler) apiRetry(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	m, err := h.admin.Retry(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, m)
}

// listPage is what /admin/saluran shows: the counts, then the messages.
type listPage struct {
	Counts   map[string]map[string]int // status → channel → count
	Dead     map[string]int            // channel → dead messages, for the bulk retry
	Items    []Message
	Next     string
	Statuses []string
	Channels []string
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	f, _ := filterOf(r)
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	actor := web.Actor(r)
	counts, err := h.admin.Counts(r.Context(), actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	items, next, err := h.admin.List(r.Context(), actor, f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	page := listPage{Counts: map[string]map[string]int{}, Dead: map[string]int{}, Items: items, Next: next,
		Statuses: Statuses, Channels: Channels}
	for _, s := range Statuses {
		page.Counts[s] = map[string]int{}
	}
	for _, c := range counts {
		if page.Counts[c.Status] != nil {
			page.Counts[c.Status][c.Channel] = c.Count
		}
		if c.Status == Dead {
			page.Dead[c.Channel] = c.Count
		}
	}
	web.Render(w, r, http.StatusOK, "outbox/list", "outbox.title", page)
}

func (h *Handler) detailPage(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	m, err := h.admin.Get(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "outbox/detail", "outbox.detail.title", m)
}

func (h *Handler) retryPost(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if _, err := h.admin.Retry(r.Context(), web.Actor(r), id); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/saluran/"+strconv.FormatInt(id, 10), "outbox.flash.retried")
}

func (h *Handler) retryDeadPost(w http.ResponseWriter, r *http.Request) {
	n, err := h.admin.RetryDead(r.Context(), web.Actor(r), r.PostFormValue("channel"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	flash := "outbox.flash.retried_all"
	if n == 0 {
		flash = "outbox.flash.none_dead"
	}
	web.Redirect(w, r, "/admin/saluran?channel="+r.PostFormValue("channel"), flash)
}

// inboundPage is what /admin/saluran/masuk shows.
type inboundPage struct {
	Items    []Inbound
	Next     string
	Statuses []string
	Channels []string
}

func (h *Handler) inboundPage(w http.ResponseWriter, r *http.Request) {
	f, _ := inboundFilterOf(r)
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	items, next, err := h.admin.Inbound(r.Context(), web.Actor(r), f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "outbox/inbound", "outbox.inbound.title",
		inboundPage{Items: items, Next: next, Statuses: InboundStatuses, Channels: Channels})
}
