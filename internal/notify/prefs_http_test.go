package notify_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestPreferencesAPIReadsAndReplacesTheCallersOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		channels(t, outbox.Email, outbox.SMS)
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.User(t, "nuraini@makassarkota.go.id", "Nur'aini", policy.Employee, "DISKES")
		token := h.Token(t, "nuraini@makassarkota.go.id")

		r := h.Do(t, "GET", "/api/v1/notification-preferences", token, nil, "")
		var p notify.Preferences
		r.JSON(t, &p)
		if r.Status != http.StatusOK || len(p.Topics) != len(notify.Topics) || !p.Topics[0].Email || p.Topics[0].SMS ||
			p.QuietHours != nil || p.Email != "nuraini@makassarkota.go.id" || p.Phone != "" {
			t.Fatalf("defaults: %d %s", r.Status, r.Body)
		}
		if p.Channels[1] != (notify.ChannelState{Channel: outbox.SMS, Active: true, Reachable: false}) ||
			p.Channels[2] != (notify.ChannelState{Channel: outbox.WhatsApp}) {
			t.Errorf("channels: %+v", p.Channels)
		}

		r = h.Do(t, "PUT", "/api/v1/notification-preferences", token, map[string]any{
			"topics":      []map[string]any{{"topic": "ticket", "email": true, "sms": true, "whatsapp": false}},
			"quiet_hours": map[string]string{"starts": "21:30", "ends": "05:00"}}, "")
		r.JSON(t, &p)
		if r.Status != http.StatusOK || !p.Topics[0].SMS || p.QuietHours == nil || p.QuietHours.Starts != "21:30" {
			t.Fatalf("put: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "PUT", "/api/v1/notification-preferences", token, map[string]any{
			"topics": []map[string]any{}, "quiet_hours": map[string]string{"starts": "22:00", "ends": "22:00"}}, ""),
			http.StatusUnprocessableEntity, "quiet_ends")
		servertest.ProblemFields(t, h.Do(t, "PUT", "/api/v1/notification-preferences", token, map[string]any{
			"topics": []map[string]any{{"topic": "undian", "sms": true}}}, ""), http.StatusUnprocessableEntity, "topics")
		// Refused changes left the stored choice as it was.
		r = h.Do(t, "GET", "/api/v1/notification-preferences", token, nil, "")
		r.JSON(t, &p)
		if !p.Topics[0].SMS || p.QuietHours == nil {
			t.Errorf("after refusals: %s", r.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/notification-preferences", "", nil, ""), http.StatusUnauthorized)
	})
}

func TestPreferencesPageSavesAndExplainsWhatCannotReachThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		channels(t, outbox.Email, outbox.SMS)
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		pw := h.User(t, "nuraini@makassarkota.go.id", "Nur'aini", policy.Employee, "DISKES")
		c := h.SignIn(t, "nuraini@makassarkota.go.id", pw)

		c.Get("/notifikasi").Want(t, http.StatusOK, "inbox", `href="/notifikasi/pengaturan"`)
		c.Get("/akun").Want(t, http.StatusOK, "account", `href="/notifikasi/pengaturan"`)
		page := c.Get("/notifikasi/pengaturan")
		page.Want(t, http.StatusOK, "preferences", "Tiket bantuan", "selalu Anda terima",
			"belum mencantumkan nomor telepon", "Admin OPD Anda", "WhatsApp belum disiapkan",
			`id="c-ticket-sms" name="c.ticket.sms" value="1" disabled`, `id="c-ticket-email" name="c.ticket.email" value="1" checked`)

		// Without a phone SMS cannot be chosen here: a forged box is ignored.
		c.PostForm("/notifikasi/pengaturan", url.Values{"c.ticket.sms": {"1"}, "quiet_starts": {"22:00"},
			"quiet_ends": {"22:00"}}).Want(t, http.StatusUnprocessableEntity, "same hours", "tidak boleh sama")
		saved := c.PostForm("/notifikasi/pengaturan", url.Values{"c.ticket.sms": {"1"}, "c.survey.email": {"1"},
			"quiet_starts": {"22.00"}, "quiet_ends": {"06.00"}})
		saved.Redirects(t, "saved", "/notifikasi/pengaturan")
		c.Get("/notifikasi/pengaturan").Want(t, http.StatusOK, "saved page", "Pengaturan notifikasi disimpan.",
			`value="22:00"`, `value="06:00"`, `id="c-survey-email" name="c.survey.email" value="1" checked`)
		p, err := notify.NewPrefs(d).Get(t.Context(), &policy.Actor{AccountID: h.AccountID(t, "nuraini@makassarkota.go.id")})
		if err != nil || p.Topics[0].Email || p.Topics[0].SMS {
			t.Errorf("ticket after the form: %+v, %v (email unticked, SMS not reachable)", p.Topics[0], err)
		}
	})
}
