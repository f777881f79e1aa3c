package inbound_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/policy"
)

// Phones of the conversation's people: an Indonesian-speaking employee,
// an English-speaking one, two who share a front desk's phone, and an
// outside caller nobody knows.
const (
	nurPhone     = "+6281234567890"
	annePhone    = "+6281299990001"
	sharedPhone  = "+62411123456"
	unknownPhone = "+6285255501234"
)

type chat struct {
	d     *db.DB
	texts *inbound.Texts
	desk  *helpdesk.Service
	nur   int64 // Nur'aini's account
	seq   int
}

func newChat(t *testing.T, d *db.DB) *chat {
	t.Helper()
	agency := dbtest.Agency(t, d, "DISKES", "Dinas Kesehatan", "dinas")
	_, nur := dbtest.Person(t, d, agency, "Nur'aini Dottoro'ta", "nuraini@makassarkota.go.id")
	_, anne := dbtest.Person(t, d, agency, "Anne Ä", "anne@makassarkota.go.id")
	dbtest.Person(t, d, agency, "Loket Satu", "loket1@makassarkota.go.id")
	dbtest.Person(t, d, agency, "Loket Dua", "loket2@makassarkota.go.id")
	for _, q := range []string{
		`UPDATE employees SET phone = '` + nurPhone + `' WHERE email = 'nuraini@makassarkota.go.id'`,
		`UPDATE employees SET phone = '` + annePhone + `' WHERE email = 'anne@makassarkota.go.id'`,
		`UPDATE employees SET phone = '` + sharedPhone + `' WHERE email LIKE 'loket%'`,
		fmt.Sprintf(`UPDATE accounts SET locale = 'en' WHERE id = %d`, anne),
	} {
		if _, err := d.W.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	desk := helpdesk.NewService(d)
	return &chat{d: d, texts: inbound.NewTexts(d, desk), desk: desk, nur: nur}
}

// send receives a text from phone with a fresh id.
func (c *chat) send(t *testing.T, from, body string) inbound.Result {
	t.Helper()
	c.seq++
	return c.sendID(t, fmt.Sprintf("kannel-%d", c.seq), from, body)
}

func (c *chat) sendID(t *testing.T, id, from, body string) inbound.Result {
	t.Helper()
	r, err := c.texts.Receive(context.Background(), inbound.Text{Channel: "sms", ExternalID: id, From: from,
		To: "1500", Body: body})
	if err != nil {
		t.Fatalf("receive %q from %s: %v", body, from, err)
	}
	return r
}

// count counts rows of a query.
func (c *chat) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// answers are the outbox's SMS to phone, oldest first.
func (c *chat) answers(t *testing.T, phone string) []string {
	t.Helper()
	rows, err := c.d.R.Query(`SELECT body FROM outbox WHERE channel = 'sms' AND address = $1 ORDER BY id`, phone)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func (c *chat) last(t *testing.T, phone string) string {
	t.Helper()
	a := c.answers(t, phone)
	if len(a) == 0 {
		t.Fatalf("no answer to %s", phone)
	}
	return a[len(a)-1]
}

func (c *chat) ticket(t *testing.T, number string) helpdesk.Ticket {
	t.Helper()
	tk, err := c.desk.GetTicket(context.Background(), policy.SystemActor("test"), number)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (c *chat) setStatus(t *testing.T, number, status string) {
	t.Helper()
	if _, err := c.desk.UpdateTicket(context.Background(), policy.SystemActor("test"), number, helpdesk.AnyVersion,
		helpdesk.TicketPatch{Status: &status}); err != nil {
		t.Fatal(err)
	}
}

func TestATextFromAKnownPhoneOpensTheirTicketAndIsAnsweredWithItsNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		r := c.send(t, "081234567890", "Aplikasi SIMPEG tidak bisa dibuka sejak pagi, muncul galat 500")
		if r.Status != inbound.Ticketed || !strings.HasPrefix(r.Ticket, "T-") {
			t.Fatalf("result %+v", r)
		}
		tk := c.ticket(t, r.Ticket)
		if tk.ReporterID == nil || *tk.ReporterID != c.nur || tk.Channel != "sms" || tk.ContactPhone != "" {
			t.Errorf("ticket %+v: want Nur'aini's, by sms", tk)
		}
		if tk.ReporterName != "Nur'aini Dottoro'ta" {
			t.Errorf("reporter name %q", tk.ReporterName)
		}
		ans := c.last(t, nurPhone)
		if !strings.Contains(ans, r.Ticket) || !strings.Contains(ans, "Laporan Anda tercatat") {
			t.Errorf("answer %q: want the number, in Indonesian", ans)
		}
		// The English-speaking employee hears back in English.
		r = c.send(t, annePhone, "The e-office login page shows a blank screen")
		if ans := c.last(t, annePhone); !strings.Contains(ans, r.Ticket) || !strings.Contains(ans, "Your report is logged") {
			t.Errorf("answer %q: want the number, in English", ans)
		}
		var status, sender string
		var account, ticket *int64
		if err := d.R.QueryRow(`SELECT status, sender, account_id, ticket_id FROM inbound_messages
			WHERE external_id = 'kannel-1'`).Scan(&status, &sender, &account, &ticket); err != nil {
			t.Fatal(err)
		}
		if status != "ticket" || sender != nurPhone || account == nil || *account != c.nur || ticket == nil {
			t.Errorf("log: %s %s %v %v", status, sender, account, ticket)
		}
	})
}

func TestATextFromAnUnknownOrSharedPhoneOpensAnOutsideContactsTicket(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		r := c.send(t, "6285255501234", "Jalan di depan kantor lurah rusak parah, mohon ditindaklanjuti")
		tk := c.ticket(t, r.Ticket)
		if tk.ReporterID != nil || tk.ContactPhone != unknownPhone {
			t.Errorf("ticket %+v: want an outside contact's", tk)
		}
		if ans := c.last(t, unknownPhone); !strings.Contains(ans, r.Ticket) || !strings.Contains(ans, "Terima kasih") {
			t.Errorf("answer %q: want the number in Indonesian", ans)
		}
		r = c.send(t, "0411 123456", "Printer loket antrean macet terus")
		tk = c.ticket(t, r.Ticket)
		if tk.ReporterID != nil || tk.ContactPhone != sharedPhone || !strings.Contains(tk.Body, "beberapa pegawai") {
			t.Errorf("shared phone ticket %+v: want an outside contact's, saying why", tk)
		}
		var reason string
		if err := d.R.QueryRow(`SELECT reason FROM inbound_messages WHERE external_id = 'kannel-2'`).Scan(&reason); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(reason, "shared by 2") {
			t.Errorf("reason %q", reason)
		}
	})
}

func TestTheSameTextDeliveredTwiceActsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		first := c.sendID(t, "dup-1", nurPhone, "Wifi lantai dua mati")
		again := c.sendID(t, "dup-1", nurPhone, "Wifi lantai dua mati")
		if first.Duplicate || !again.Duplicate {
			t.Fatalf("first %+v, again %+v", first, again)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM tickets`); n != 1 {
			t.Errorf("%d tickets", n)
		}
		if n := len(c.answers(t, nurPhone)); n != 1 {
			t.Errorf("%d answers", n)
		}
		// A redelivered command is not answered twice either.
		c.sendID(t, "dup-2", nurPhone, "BANTUAN")
		if r := c.sendID(t, "dup-2", nurPhone, "BANTUAN"); !r.Duplicate {
			t.Errorf("command again: %+v", r)
		}
		if n := len(c.answers(t, nurPhone)); n != 2 {
			t.Errorf("%d answers after a command delivered twice", n)
		}
	})
}

func TestBadTextsAreRefusedOrAnsweredClearly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		long := strings.Repeat("Sistem antrean puskesmas lambat sekali ", 60)[:2000]
		for _, tc := range []struct {
			name, from, body string
			status           string
			answer           string // part of the answer; "" for none
		}{
			{"unparseable number", "INFO-OPERATOR", "Promo paket data", inbound.Refused, ""},
			{"empty", nurPhone, "   ", inbound.Refused, "SMS Lontara:"},
			{"one word is no command", nurPhone, "halo", inbound.Refused, "bukan perintah"},
			{"STATUS without a number", nurPhone, "status", inbound.Refused, "Format: STATUS"},
			{"NILAI abc", nurPhone, "nilai T-000001 abc", inbound.Refused, "Format: NILAI"},
			{"RATE without a score", annePhone, "RATE T-000001", inbound.Refused, "Format: RATE"},
			{"a reply without text", nurPhone, "T-000001", inbound.Refused, "Format: T-000123"},
			{"BANTUAN", annePhone, "bantuan", inbound.Commanded, "SMS Lontara:"},
			{"HELP", nurPhone, "Help", inbound.Commanded, "Lontara SMS:"},
			{"2,000 characters", unknownPhone, long, inbound.Ticketed, "T-"},
		} {
			before := len(c.answers(t, tc.from))
			r := c.send(t, tc.from, tc.body)
			if r.Status != tc.status {
				t.Errorf("%s: status %q, want %q", tc.name, r.Status, tc.status)
			}
			got := c.answers(t, tc.from)
			switch {
			case tc.answer == "" && len(got) != before:
				t.Errorf("%s: answered %q", tc.name, got[len(got)-1])
			case tc.answer != "" && (len(got) != before+1 || !strings.Contains(got[len(got)-1], tc.answer)):
				t.Errorf("%s: answers %q, want one with %q", tc.name, got, tc.answer)
			}
		}
		if n := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = 'INFO-OPERATOR' AND status = 'refused'`); n != 1 {
			t.Errorf("the unparseable number's text is not kept: %d", n)
		}
		var subject, body string
		if err := d.R.QueryRow(`SELECT subject, body FROM tickets WHERE contact_phone = $1`, unknownPhone).
			Scan(&subject, &body); err != nil {
			t.Fatal(err)
		}
		if body != strings.TrimSpace(long) || utf8.RuneCountInString(subject) > 61 || !strings.HasPrefix(subject, "Sistem antrean") {
			t.Errorf("long text: subject %q, body %d characters", subject, len(body))
		}
	})
}

func TestStatusNilaiAndRepliesFollowOnlyTheSendersOwnTicket(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		mine := c.send(t, nurPhone, "Email dinas tidak bisa kirim lampiran").Ticket
		theirs := c.send(t, unknownPhone, "Lampu jalan padam di Jl. Somba Opu").Ticket

		if r := c.send(t, nurPhone, "status "+strings.ToLower(mine)); r.Status != inbound.Commanded {
			t.Errorf("status of mine: %+v", r)
		}
		if ans := c.last(t, nurPhone); !strings.Contains(ans, mine) || !strings.Contains(ans, "baru") {
			t.Errorf("status answer %q", ans)
		}
		c.send(t, nurPhone, "STATUS "+theirs)
		if ans := c.last(t, nurPhone); !strings.Contains(ans, "tidak ditemukan") || strings.Contains(ans, "Lampu") {
			t.Errorf("someone else's status: %q", ans)
		}

		// Rating: not before it is resolved, 1..5, once.
		c.send(t, nurPhone, "NILAI "+mine+" 5")
		if ans := c.last(t, nurPhone); !strings.Contains(ans, "belum selesai") {
			t.Errorf("rating an open ticket: %q", ans)
		}
		c.setStatus(t, mine, helpdesk.StatusResolved)
		c.send(t, nurPhone, "NILAI "+mine+" 9")
		if ans := c.last(t, nurPhone); !strings.Contains(ans, "1 sampai 5") {
			t.Errorf("rating 9: %q", ans)
		}
		c.send(t, nurPhone, "nilai "+mine+" 4")
		if ans := c.last(t, nurPhone); !strings.Contains(ans, "Nilai 4") {
			t.Errorf("rating 4: %q", ans)
		}
		c.send(t, nurPhone, "RATE "+mine+" 5")
		if ans := c.last(t, nurPhone); !strings.Contains(ans, "rated already") {
			t.Errorf("rating twice: %q", ans)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM ticket_ratings WHERE score = 4 AND account_id = $1`, c.nur); n != 1 {
			t.Errorf("%d ratings of 4 by Nur'aini", n)
		}
		c.send(t, unknownPhone, "NILAI "+mine+" 1")
		if ans := c.last(t, unknownPhone); !strings.Contains(ans, "tidak ditemukan") {
			t.Errorf("rating someone else's: %q", ans)
		}

		// A reply to a pending ticket reopens it, as the reporter's.
		c.setStatus(t, theirs, helpdesk.StatusPending)
		if r := c.send(t, unknownPhone, theirs+" Sudah padam tiga malam, Pak."); r.Status != inbound.Replied {
			t.Errorf("reply: %+v", r)
		}
		tk := c.ticket(t, theirs)
		lastMsg := tk.Messages[len(tk.Messages)-1]
		if tk.Status != helpdesk.StatusOpen || lastMsg.Body != "Sudah padam tiga malam, Pak." || lastMsg.Author != unknownPhone {
			t.Errorf("after the reply: %s, %+v", tk.Status, lastMsg)
		}
		if ans := c.last(t, unknownPhone); !strings.Contains(ans, "ditambahkan ke tiket "+theirs) {
			t.Errorf("reply answer %q", ans)
		}
		// Replying to someone else's ticket is not found, and adds nothing.
		c.send(t, nurPhone, theirs+" ini bukan tiket saya")
		if n := len(c.ticket(t, theirs).Messages); n != len(tk.Messages) {
			t.Errorf("someone else's reply was added")
		}
		c.setStatus(t, theirs, helpdesk.StatusClosed)
		c.send(t, unknownPhone, theirs+" halo?")
		if ans := c.last(t, unknownPhone); !strings.Contains(ans, "sudah ditutup") {
			t.Errorf("reply to a closed ticket: %q", ans)
		}
	})
}

func TestAFloodIsKeptButNotActedOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		for i := range 14 {
			c.send(t, unknownPhone, fmt.Sprintf("Laporan berulang nomor %d dari skrip", i))
		}
		if n := c.count(t, `SELECT COUNT(*) FROM tickets`); n != 10 {
			t.Errorf("%d tickets from a flood of 14, want 10", n)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE status = 'throttled'`); n != 4 {
			t.Errorf("%d throttled, want 4", n)
		}
		slow := 0
		for _, a := range c.answers(t, unknownPhone) {
			if strings.Contains(a, "Terlalu banyak pesan") {
				slow++
			}
		}
		if slow != 1 {
			t.Errorf("%d slow-down answers, want one", slow)
		}
		// Others are not held back.
		if r := c.send(t, nurPhone, "Komputer loket mati total"); r.Status != inbound.Ticketed {
			t.Errorf("another sender: %+v", r)
		}
	})
}

// TestAFloodInParallelIsHeldToTheLimit: the flood limit holds when a
// script sends its texts at once, not one after the other: the count
// and the action are one step.
func TestAFloodInParallelIsHeldToTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		const n = 40
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.texts.Receive(context.Background(), inbound.Text{Channel: "sms",
					ExternalID: fmt.Sprintf("flood-%d", i), From: unknownPhone, To: "1500",
					Body: fmt.Sprintf("Laporan serentak nomor %d dari skrip", i)})
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Errorf("receive: %v", err)
			}
		}
		tickets := c.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_phone = $1`, unknownPhone)
		if tickets > 10 || tickets == 0 {
			t.Errorf("%d tickets from %d texts at once, want at most 10", tickets, n)
		}
		if got := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = $1`, unknownPhone); got != n {
			t.Errorf("%d of %d texts logged", got, n)
		}
		if got := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = $1 AND status = 'throttled'`,
			unknownPhone); got != n-tickets {
			t.Errorf("%d throttled, want %d", got, n-tickets)
		}
		if got := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE sender = $1 AND status = 'throttled'
			AND ticket_id IS NOT NULL`, unknownPhone); got != 0 {
			t.Errorf("%d throttled texts name a ticket", got)
		}
		slow := 0
		for _, a := range c.answers(t, unknownPhone) {
			if strings.Contains(a, "Terlalu banyak pesan") {
				slow++
			}
		}
		if slow != 1 {
			t.Errorf("%d slow-down answers, want one", slow)
		}
		if got := len(c.answers(t, unknownPhone)); got != tickets+slow {
			t.Errorf("%d answers for %d tickets and %d slow-downs", got, tickets, slow)
		}
	})
}

// TestAReplyLongerThanATicketTakesIsClippedNotLost: a reply by text is
// clipped to what the help desk keeps, as a new ticket's text is, and
// whatever the help desk refuses of a text is a logged refusal that is
// answered, never an error to the gateway.
func TestAReplyLongerThanATicketTakesIsClippedNotLost(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newChat(t, d)
		number := c.send(t, nurPhone, "Printer ruang rapat macet").Ticket
		long := strings.Repeat("kertas tersangkut lagi ", 1000) // 23,000 characters
		r, err := c.texts.Receive(context.Background(), inbound.Text{Channel: "sms", ExternalID: "long-reply",
			From: nurPhone, To: "1500", Body: number + " " + long})
		if err != nil {
			t.Fatalf("a long reply: %v", err)
		}
		if r.Status != inbound.Replied || r.Ticket != number {
			t.Fatalf("a long reply: %+v", r)
		}
		var body string
		if err := d.R.QueryRow(`SELECT body FROM ticket_messages WHERE ticket_id = (SELECT ticket_id
			FROM inbound_messages WHERE external_id = 'long-reply') ORDER BY id DESC LIMIT 1`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if n := utf8.RuneCountInString(body); n != 20000 || !strings.HasPrefix(body, "kertas tersangkut") {
			t.Errorf("the reply kept %d characters, want the first 20,000", n)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM inbound_messages WHERE external_id = 'long-reply'
			AND status = 'reply'`); n != 1 {
			t.Errorf("the long reply is not logged as a reply")
		}
	})
}
