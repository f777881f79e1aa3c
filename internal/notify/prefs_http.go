package notify

import (
	"net/http"

	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/web"
)

// PrefsHandler serves a person's notification preferences as a page
// (/notifikasi/pengaturan) and in the API. Its page template is the inbox
// Handler's (templates/notify/prefs.html), so both are mounted together.
type PrefsHandler struct{ prefs *Prefs }

// NewPrefsHandler returns the handler over the preferences.
func NewPrefsHandler(p *Prefs) *PrefsHandler { return &PrefsHandler{prefs: p} }

// Routes mounts the preferences' page and API.
func (h *PrefsHandler) Routes(rt *web.Router) {
	rt.Page("GET /notifikasi/pengaturan", h.page)
	rt.Page("POST /notifikasi/pengaturan", h.save)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/notification-preferences", ID: "getNotificationPreferences",
		Tag: "notifications", Summary: "The caller's channels per topic of notification, quiet hours and where the channels reach them",
		Response: sample()}, h.apiGet)
	rt.API(web.Op{Method: "PUT", Path: "/api/v1/notification-preferences", ID: "setNotificationPreferences",
		Tag: "notifications", Summary: "Replace the caller's channels per topic (a topic left out goes back to its defaults) " +
			"and quiet hours (null: none); email, phone and channels are read only",
		Body: sample(), Response: sample()}, h.apiPut)
}

// sample is an example of preferences for the API's description.
func sample() Preferences {
	return Preferences{Topics: []Choice{{Topic: "ticket", Email: true, SMS: true}},
		QuietHours: &Quiet{Starts: "22:00", Ends: "06:00"}, Email: "andi@makassarkota.go.id", Phone: "+6281234567890",
		Channels: []ChannelState{{Channel: outbox.SMS, Active: true, Reachable: true}}}
}

func (h *PrefsHandler) apiGet(w http.ResponseWriter, r *http.Request) {
	p, err := h.prefs.Get(r.Context(), web.Actor(r))
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (h *PrefsHandler) apiPut(w http.ResponseWriter, r *http.Request) {
	var in Preferences
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	p, err := h.prefs.Set(r.Context(), web.Actor(r), in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

// prefsPage is what /notifikasi/pengaturan shows: a row of checkboxes per
// topic, a column per channel, and the quiet hours.
type prefsPage struct {
	Channels    []channelColumn
	Rows        []prefsRow
	Email       string
	Phone       string
	QuietStarts string
	QuietEnds   string
}

// channelColumn is a channel with why it cannot reach the person, if so.
type channelColumn struct {
	ChannelState
	Disabled bool
}

type prefsRow struct {
	Topic string
	Cells []prefsCell
}

type prefsCell struct {
	Channel  string
	On       bool
	Disabled bool
}

// pageOf lays out p, with the quiet hours as the form shows them.
func pageOf(p Preferences, starts, ends string) prefsPage {
	page := prefsPage{Email: p.Email, Phone: p.Phone, QuietStarts: starts, QuietEnds: ends}
	for _, s := range p.Channels {
		page.Channels = append(page.Channels, channelColumn{ChannelState: s, Disabled: !s.Active || !s.Reachable})
	}
	for _, c := range p.Topics {
		row := prefsRow{Topic: c.Topic}
		for _, col := range page.Channels {
			row.Cells = append(row.Cells, prefsCell{Channel: col.Channel, On: c.On(col.Channel), Disabled: col.Disabled})
		}
		page.Rows = append(page.Rows, row)
	}
	return page
}

func (h *PrefsHandler) page(w http.ResponseWriter, r *http.Request) {
	p, err := h.prefs.Get(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	var starts, ends string
	if q := p.QuietHours; q != nil {
		starts, ends = q.Starts, q.Ends
	}
	web.Render(w, r, http.StatusOK, "notify/prefs", "notify.prefs.title", pageOf(p, starts, ends))
}

// save reads the form: a checkbox per topic and channel ("c.ticket.sms"),
// quiet_starts and quiet_ends. A channel shown disabled posts nothing, so
// its choices stay as they were rather than turning off.
func (h *PrefsHandler) save(w http.ResponseWriter, r *http.Request) {
	actor := web.Actor(r)
	cur, err := h.prefs.Get(r.Context(), actor)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	// The form was parsed and its text checked before this handler (web's
	// CSRF check), a bad one answered 422 and one too big 413 there.
	usable := map[string]bool{}
	for _, s := range cur.Channels {
		usable[s.Channel] = s.Active && s.Reachable
	}
	in := Preferences{Topics: make([]Choice, len(cur.Topics)),
		QuietHours: &Quiet{Starts: r.PostFormValue("quiet_starts"), Ends: r.PostFormValue("quiet_ends")}}
	for i, c := range cur.Topics {
		in.Topics[i] = c
		for _, ch := range outbox.Channels {
			if usable[ch] {
				in.Topics[i].set(ch, r.PostFormValue("c."+c.Topic+"."+ch) == "1")
			}
		}
	}
	if _, err := h.prefs.Set(r.Context(), actor, in); err != nil {
		shown := cur
		shown.Topics = in.Topics
		web.RenderForm(w, r, "notify/prefs", "notify.prefs.title", pageOf(shown, in.QuietHours.Starts, in.QuietHours.Ends), err)
		return
	}
	web.Redirect(w, r, "/notifikasi/pengaturan", "notify.prefs.saved")
}
