package server_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestJourneyPersonChoosesSMSAndSuperadminRetriesADeadMessage: a person
// of Dinas Kesehatan turns SMS on for tickets and sets quiet hours across
// midnight (being told first that the start cannot be the end); the
// superadmin sees on the home page that a message went dead, finds it
// under Saluran and sends it again.
func TestJourneyPersonChoosesSMSAndSuperadminRetriesADeadMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		outbox.SetActive(outbox.Email, outbox.SMS)
		t.Cleanup(func() { outbox.SetActive() })
		h := servertest.Start(t, d)
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		const person, super = "nuraini@makassarkota.go.id", "andi.baso@makassarkota.go.id"
		pw := h.User(t, person, "Nur'aini Dottoro'ta", policy.Employee, "DINKES")
		if _, err := d.W.Exec(`UPDATE employees SET phone = '+6281234567890' WHERE email = $1`, person); err != nil {
			t.Fatal(err)
		}
		ctx := browsertest.New(t)
		onPhone(t, ctx)
		signIn(t, ctx, h, "/notifikasi", person, pw)
		browsertest.Follow(t, ctx, "open the settings", "#save-prefs", chromedp.Click(chromedp.ID("prefs-link")))
		if p := look(t, ctx, "settings"); p.heading != "Pengaturan notifikasi" || !strings.Contains(p.main, "+6281234567890") ||
			!strings.Contains(p.main, "selalu Anda terima") || !strings.Contains(p.main, "WhatsApp belum disiapkan") {
			t.Errorf("settings page: %+v", p)
		}
		checkPhone(t, ctx, "settings on a phone")
		browsertest.Follow(t, ctx, "same start and end", "#e-quiet_ends",
			chromedp.Click(chromedp.ID("c-ticket-sms")),
			chromedp.SendKeys(chromedp.ID("f-quiet_starts"), "22:00"),
			chromedp.SendKeys(chromedp.ID("f-quiet_ends"), "22:00"),
			chromedp.Click(chromedp.ID("save-prefs")))
		if p := look(t, ctx, "refused"); !strings.Contains(p.main, "tidak boleh sama") {
			t.Errorf("refused: %+v", p)
		}
		if count(t, d, `SELECT count(*) FROM notify_prefs`) != 0 {
			t.Error("a refused form stored choices")
		}
		browsertest.Follow(t, ctx, "quiet hours across midnight", "p.flash",
			chromedp.Clear(chromedp.ID("f-quiet_ends")),
			chromedp.SendKeys(chromedp.ID("f-quiet_ends"), "06.00"),
			chromedp.Click(chromedp.ID("save-prefs")))
		if p := look(t, ctx, "saved"); !strings.Contains(p.main, "Pengaturan notifikasi disimpan.") {
			t.Errorf("saved: %+v", p)
		}
		if v := value(t, ctx, "quiet end", "f-quiet_ends"); v != "06:00" {
			t.Errorf("quiet hours end shown as %q", v)
		}
		account := h.AccountID(t, person)
		if count(t, d, `SELECT count(*) FROM notify_prefs WHERE account_id = $1 AND topic = 'ticket' AND channel = 'sms'
			AND enabled = TRUE`, account) != 1 || count(t, d, `SELECT count(*) FROM notify_prefs`) != 1 ||
			count(t, d, `SELECT count(*) FROM notify_quiet WHERE account_id = $1 AND starts = '22:00' AND ends = '06:00'`, account) != 1 {
			t.Error("the choice of SMS for tickets and the quiet hours were not stored alone")
		}

		dead := deadMessage(t, d, account)
		admin := browsertest.New(t)
		onPhone(t, admin)
		signIn(t, admin, h, "/", super, h.User(t, super, "Andi Baso", policy.Superadmin, "DINKES"))
		if links := texts(t, admin, "menu", "header nav a"); !slices.Contains(links, "Saluran") ||
			links[len(links)-1] != "Saluran" {
			t.Errorf("the superadmin's menu: %q", links)
		}
		browsertest.Follow(t, admin, "the home page's dead messages", "#retry-"+strconv.FormatInt(dead, 10),
			chromedp.Click(chromedp.CSS(`main a[href="/admin/saluran?status=dead"]`)))
		checkPhone(t, admin, "delivery admin on a phone")
		rows := texts(t, admin, "dead rows", "main #messages tbody tr")
		if len(rows) != 1 || !strings.Contains(rows[0], "+6281234567890") || !strings.Contains(rows[0], "kannel: 403 Forbidden") ||
			!strings.Contains(rows[0], "T-000124") {
			t.Errorf("dead messages: %q", rows)
		}
		browsertest.Follow(t, admin, "send it again", "#status", chromedp.Click(chromedp.ID("retry-"+strconv.FormatInt(dead, 10))))
		if p := look(t, admin, "retried"); !strings.Contains(p.main, "dimasukkan kembali ke antrean kirim") ||
			!strings.Contains(p.main, "Menunggu") || !strings.Contains(p.main, "Tiket T-000124 dijawab") {
			t.Errorf("after the retry: %+v", p)
		}
		if count(t, d, `SELECT count(*) FROM outbox WHERE id = $1 AND status = 'pending' AND attempts = 0`, dead) != 1 ||
			count(t, d, `SELECT count(*) FROM audit_log WHERE entity = 'outbox' AND action = 'retry' AND entity_id = $1`,
				strconv.FormatInt(dead, 10)) != 1 {
			t.Error("the retry was not stored with its audit record")
		}
	})
}

// onPhone makes the browser a phone's.
func onPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.Do(t, ctx, "phone screen", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile,
		chromedp.EmulatePortrait, chromedp.EmulateTouch))
}

// deadMessage leaves an SMS to account dead, as the worker does after its
// attempts, and returns its id.
func deadMessage(t *testing.T, d *db.DB, account int64) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := outbox.Enqueue(ctx, tx, outbox.Message{Channel: outbox.SMS, AccountID: &account, Address: "+6281234567890",
			Kind: "ticket.replied", Ref: "T-000124", Body: "Tiket T-000124 dijawab."}); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM outbox`).Scan(&id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'dead', attempts = 8,
			last_error = 'kannel: 403 Forbidden' WHERE id = $1`, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
