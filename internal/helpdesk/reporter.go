package helpdesk

import "github.com/lontara-id/lontara/internal/web"

// reporterPages mounts the pages of people asking for help.
func (h *Handler) reporterPages(rt *web.Router) {}
