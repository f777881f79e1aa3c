package helpdesk_test

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// The shortcuts are listed on the agent's pages for everyone, with or
// without JavaScript; the script that makes them work is a static file
// (the CSP allows no inline script). The keys themselves are tested in a
// browser: internal/server's TestJourneyAgentWorksTheQueueFromTheKeyboard.
func TestTheAgentPagesListTheirKeyboardShortcuts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tk := w.file(t, "Printer macet")
		w.one.Get("/layanan").Want(t, 200, "queue", "Pintasan keyboard", `data-shortcuts="queue"`, "<kbd>j</kbd>",
			`<script src="/static/shortcuts.js?v=`)
		p := w.one.Get("/layanan/" + tk.Number)
		p.Want(t, 200, "ticket", "Pintasan keyboard", `data-shortcuts="ticket"`, "<kbd>r</kbd>", "<kbd>t</kbd>",
			`accesskey="r"`, `accesskey="n"`, `accesskey="a"`)
		p.Lacks(t, "ticket", "<script>")
		w.h.Client(t).Get("/masuk").Lacks(t, "sign-in page", "shortcuts.js")
		w.h.Client(t).Get("/static/shortcuts.js").Want(t, 200, "the script", `getElementById("shortcuts")`)
	})
}
