package helpdesk

import "github.com/lontara-id/lontara/internal/web"

// agentPages mounts the support team's workspace.
func (h *Handler) agentPages(rt *web.Router) {}
