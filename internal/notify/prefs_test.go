package notify_test

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
)

// channels sets the channels the deployment has configured for the test.
func channels(t *testing.T, active ...string) {
	t.Helper()
	outbox.SetActive(active...)
	t.Cleanup(func() { outbox.SetActive() })
}

// reachable is a person with an email address and a phone.
func reachable(t *testing.T, d *db.DB) (account int64, actor *policy.Actor) {
	t.Helper()
	agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
	employee, account := dbtest.Person(t, d, agency, "Nur'aini Dottoro'ta", "nuraini@makassarkota.go.id")
	if _, err := d.W.Exec(`UPDATE employees SET phone = '+6281234567890' WHERE id = $1`, employee); err != nil {
		t.Fatal(err)
	}
	return account, &policy.Actor{AccountID: account, EmployeeID: employee, AgencyID: agency}
}

// queued is one outbox row as the tests look at it.
type queued struct {
	channel, address string
	nextAt           time.Time
}

// outboxOf sends one notification of kind to account and returns the
// outbox rows it wrote.
func outboxOf(t *testing.T, d *db.DB, m notify.Message) []queued {
	t.Helper()
	ctx := context.Background()
	var before int64
	if err := d.W.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if m.Args == nil {
		m.Args = []string{"T-000042", "Andi"}
	}
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return notify.Send(ctx, tx, m) }); err != nil {
		t.Fatal(err)
	}
	rows, err := d.W.Query(`SELECT channel, address, next_at FROM outbox WHERE id > $1 ORDER BY id`, before)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []queued
	for rows.Next() {
		var q queued
		if err := rows.Scan(&q.channel, &q.address, &q.nextAt); err != nil {
			t.Fatal(err)
		}
		q.nextAt = q.nextAt.UTC()
		out = append(out, q)
	}
	return out
}

func countPrefs(t *testing.T, d *db.DB, account int64) int {
	t.Helper()
	var n int
	if err := d.W.QueryRow(`SELECT COUNT(*) FROM notify_prefs WHERE account_id = $1`, account).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPreferencesStoreOnlyWhatDiffersFromTheDefaults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		account, me := reachable(t, d)
		prefs := notify.NewPrefs(d)
		got, err := prefs.Set(ctx, me, notify.Preferences{
			Topics:     []notify.Choice{{Topic: "ticket", Email: false, SMS: true}, {Topic: "survey", Email: true}},
			QuietHours: &notify.Quiet{Starts: "22.00", Ends: "6:00"}})
		if err != nil {
			t.Fatal(err)
		}
		if n := countPrefs(t, d, account); n != 2 {
			t.Errorf("%d rows stored, want 2 (ticket: email off, sms on)", n)
		}
		if got.QuietHours == nil || *got.QuietHours != (notify.Quiet{Starts: "22:00", Ends: "06:00"}) {
			t.Errorf("quiet hours %+v, want 22:00–06:00", got.QuietHours)
		}
		if len(got.Topics) != len(notify.Topics) || got.Topics[0] != (notify.Choice{Topic: "ticket", SMS: true}) ||
			got.Topics[1] != (notify.Choice{Topic: "announcement", Email: true}) {
			t.Errorf("topics %+v", got.Topics)
		}
		if got.Phone != "+6281234567890" || got.Email != "nuraini@makassarkota.go.id" {
			t.Errorf("addresses %q %q", got.Email, got.Phone)
		}
		// Back to the defaults: no rows left, and no quiet hours.
		if _, err := prefs.Set(ctx, me, notify.Preferences{}); err != nil {
			t.Fatal(err)
		}
		if n := countPrefs(t, d, account); n != 0 {
			t.Errorf("%d rows after going back to the defaults", n)
		}
		if got, err := prefs.Get(ctx, me); err != nil || got.QuietHours != nil {
			t.Errorf("quiet hours after clearing: %+v, %v", got.QuietHours, err)
		}
		var audited int
		if err := d.W.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'notify_prefs' AND entity_id = $1`,
			strconv.FormatInt(account, 10)).Scan(&audited); err != nil || audited != 2 {
			t.Errorf("%d audit records, %v; want 2", audited, err)
		}
	})
}

func TestPreferencesRefuseBadInputAndChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		account, me := reachable(t, d)
		prefs := notify.NewPrefs(d)
		for _, c := range []struct {
			name  string
			in    notify.Preferences
			field string
		}{
			{"start equals end", notify.Preferences{QuietHours: &notify.Quiet{Starts: "22:00", Ends: "22:00"}}, "quiet_ends"},
			{"not a time", notify.Preferences{QuietHours: &notify.Quiet{Starts: "25:00", Ends: "06:00"}}, "quiet_starts"},
			{"one end only", notify.Preferences{QuietHours: &notify.Quiet{Starts: "22:00"}}, "quiet_ends"},
			{"unknown topic", notify.Preferences{Topics: []notify.Choice{{Topic: "lottery", SMS: true}}}, "topics"},
			{"topic twice", notify.Preferences{Topics: []notify.Choice{{Topic: "ticket"}, {Topic: "ticket", SMS: true}}}, "topics"},
		} {
			_, err := prefs.Set(ctx, me, c.in)
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Name != c.field {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
			}
		}
		if n := countPrefs(t, d, account); n != 0 {
			t.Errorf("%d rows after refusals", n)
		}
		if _, err := prefs.Get(ctx, nil); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("anonymous: %v", err)
		}
	})
}

func TestFanOutHonoursTheChoices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		channels(t, outbox.Email, outbox.SMS, outbox.WhatsApp)
		ctx := context.Background()
		account, me := reachable(t, d)
		prefs := notify.NewPrefs(d)
		if got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied"}); len(got) != 1 ||
			got[0].channel != outbox.Email || got[0].address != "nuraini@makassarkota.go.id" {
			t.Errorf("defaults: %+v, want one email", got)
		}
		if _, err := prefs.Set(ctx, me, notify.Preferences{Topics: []notify.Choice{{Topic: "ticket", SMS: true}}}); err != nil {
			t.Fatal(err)
		}
		got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied"})
		if len(got) != 1 || got[0].channel != outbox.SMS || got[0].address != "+6281234567890" {
			t.Errorf("ticket with email off and SMS on: %+v, want one SMS to the phone", got)
		}
		if got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "announcement.published"}); len(got) != 1 ||
			got[0].channel != outbox.Email {
			t.Errorf("another topic keeps its defaults: %+v", got)
		}
		// The answer to a ticket that came by SMS went back by SMS already.
		if got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied", Except: outbox.SMS}); len(got) != 0 {
			t.Errorf("told again by the channel it was answered on: %+v", got)
		}
	})
}

// atLocal makes the city's clock read hh:mm now, so quiet hours can be
// tested at any hour the test runs; the real zone comes back after.
func atLocal(t *testing.T, hh, mm int) {
	t.Helper()
	now := time.Now().UTC()
	tod := now.Hour()*3600 + now.Minute()*60 + now.Second()
	offset := ((hh*3600+mm*60-tod)%86400 + 86400) % 86400
	if offset > 12*3600 {
		offset -= 86400
	}
	notify.SetZone(time.FixedZone("TEST", offset))
	t.Cleanup(func() {
		loc, err := time.LoadLocation("Asia/Makassar")
		if err != nil {
			loc = time.FixedZone("WITA", 8*3600)
		}
		notify.SetZone(loc)
	})
}

func near(a, b time.Time) bool { return a.Sub(b).Abs() < 2*time.Minute }

func TestQuietHoursAcrossMidnightDelaySMSNotEmailNorAPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		channels(t, outbox.Email, outbox.SMS, outbox.WhatsApp)
		atLocal(t, 23, 30)
		ctx := context.Background()
		account, me := reachable(t, d)
		if _, err := notify.NewPrefs(d).Set(ctx, me, notify.Preferences{
			Topics:     []notify.Choice{{Topic: "ticket", Email: true, SMS: true, WhatsApp: true}},
			QuietHours: &notify.Quiet{Starts: "22:00", Ends: "06:00"}}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied"})
		if len(got) != 3 {
			t.Fatalf("%+v, want email, SMS and WhatsApp", got)
		}
		for _, q := range got {
			want := now.Add(6*time.Hour + 30*time.Minute) // 23:30 → 06:00 the next morning
			if q.channel == outbox.Email {
				want = now
			}
			if !near(q.nextAt, want) {
				t.Errorf("%s due %v, want about %v", q.channel, q.nextAt, want)
			}
		}
		// A page rings now by SMS, whatever the choices (SMS off for
		// announcements) and the quiet hours.
		got = outboxOf(t, d, notify.Message{AccountID: account, Kind: "announcement.published", Page: true})
		var sms []queued
		for _, q := range got {
			if q.channel == outbox.SMS {
				sms = append(sms, q)
			}
		}
		if len(sms) != 1 || !near(sms[0].nextAt, now) || sms[0].address != "+6281234567890" {
			t.Errorf("page: %+v, want one SMS due now", got)
		}
	})
}

func TestNothingGoesToAnInactiveAccountOrByAChannelNotConfigured(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		channels(t, outbox.Email)
		ctx := context.Background()
		account, me := reachable(t, d)
		if _, err := notify.NewPrefs(d).Set(ctx, me, notify.Preferences{
			Topics: []notify.Choice{{Topic: "ticket", Email: true, SMS: true, WhatsApp: true}}}); err != nil {
			t.Fatal(err)
		}
		if got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied", Page: true}); len(got) != 1 ||
			got[0].channel != outbox.Email {
			t.Errorf("SMS and WhatsApp not configured: %+v, want the email only", got)
		}
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, account); err != nil {
			t.Fatal(err)
		}
		channels(t, outbox.Email, outbox.SMS, outbox.WhatsApp)
		if got := outboxOf(t, d, notify.Message{AccountID: account, Kind: "ticket.replied", Page: true}); len(got) != 0 {
			t.Errorf("inactive account: %+v, want nothing", got)
		}
	})
}

func TestTwoSavesAtOnceBothSucceed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		account, me := reachable(t, d)
		prefs := notify.NewPrefs(d)
		in := notify.Preferences{Topics: []notify.Choice{{Topic: "ticket", SMS: true}},
			QuietHours: &notify.Quiet{Starts: "22:00", Ends: "06:00"}}
		for range 10 { // a double-clicked button, ten times over
			errc := make(chan error, 2)
			for range 2 {
				go func() { _, err := prefs.Set(ctx, me, in); errc <- err }()
			}
			for range 2 {
				if err := <-errc; err != nil {
					t.Fatalf("a save beside another: %v", err)
				}
			}
		}
		if n := countPrefs(t, d, account); n != 2 {
			t.Errorf("%d rows stored, want 2 (ticket: email off, SMS on)", n)
		}
	})
}
