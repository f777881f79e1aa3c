package survey

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/web"
)

// The instruments' pages, for survey managers: the list with every item,
// and a form that takes the items as lines.

func (h *Handler) instrumentRoutes(rt *web.Router) {
	rt.Page("GET /survei/instrumen", h.instruments)
	rt.Page("GET /survei/instrumen/baru", h.instrumentForm)
	rt.Page("POST /survei/instrumen/baru", h.instrumentCreate)
}

func (h *Handler) instruments(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Instruments(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "survey/instruments", "survey.instruments", list)
}

func (h *Handler) instrumentForm(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.Instruments(r.Context(), web.Actor(r)); err != nil { // the same rule as building one
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "survey/instrument_new", "survey.instrument.new", nil)
}

func (h *Handler) instrumentCreate(w http.ResponseWriter, r *http.Request) {
	in := InstrumentInput{Code: r.PostFormValue("code"), Title: r.PostFormValue("title"),
		Description: strings.TrimSpace(r.PostFormValue("description")), Items: ItemLines(r.PostFormValue("items"))}
	in.ScaleMin, _ = strconv.Atoi(r.PostFormValue("scale_min"))
	in.ScaleMax, _ = strconv.Atoi(r.PostFormValue("scale_max"))
	if _, err := h.svc.CreateInstrument(r.Context(), web.Actor(r), in); err != nil {
		web.RenderForm(w, r, "survey/instrument_new", "survey.instrument.new", nil, err)
		return
	}
	web.Redirect(w, r, "/survei/instrumen", "flash.survey.instrument_created")
}

// ItemLines reads items written one per line as "dimension | text", with
// optionally " | English text | section" after: the form's way of
// building an instrument without a spreadsheet. A line without a "|" is
// an item without a dimension, which the service refuses.
func ItemLines(s string) []ItemInput {
	var out []ItemInput
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		if !strings.Contains(line, "|") {
			parts = []string{"", line, "", ""}
		}
		out = append(out, ItemInput{Dimension: strings.TrimSpace(parts[0]), TextID: strings.TrimSpace(parts[1]),
			TextEN: strings.TrimSpace(parts[2]), Section: strings.TrimSpace(strings.Join(parts[3:], "|"))})
	}
	return out
}
