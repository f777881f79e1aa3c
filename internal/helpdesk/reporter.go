package helpdesk

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/lontara-id/lontara/internal/web"
)

// templates holds the help desk's pages: reporter_*.html and rating*.html
// for people asking for help, agent_*.html for the support team.
//
//go:embed templates
var templates embed.FS

// reporterPages registers every help desk page template (the agent pages'
// too, they share the folder) and mounts the pages of people asking for help.
func (h *Handler) reporterPages(rt *web.Router) {
	sub, _ := fs.Sub(templates, "templates")
	rt.Templates(sub)
	rt.Page("GET /bantuan/baru", h.newPage)
}

func (h *Handler) newPage(w http.ResponseWriter, r *http.Request) {
	web.Render(w, r, http.StatusOK, "helpdesk/reporter_new", "helpdesk.r.new.title", nil)
}
