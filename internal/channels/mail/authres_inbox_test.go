package mail_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestAnUnauthenticatedSenderIsAnOutsideContact: behind a trusted mail
// server (--smtp-trusted-authserv), a mail from an employee's address is
// theirs only when that server authenticated it; a forged one opens a
// ticket of an outside contact, gets no receipt and never writes into
// their ticket.
func TestAnUnauthenticatedSenderIsAnOutsideContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		const who = "nuraini@makassarkota.go.id"
		h.User(t, who, "Nur'aini Dottoro'ta", policy.Employee, "DISKES")
		account := h.AccountID(t, who)
		inbox := mail.NewInbox(d, h.Svc.Desk, deskFrom)
		inbox.TrustedAuthServ = "mx.makassarkota.go.id"
		receive := func(id, headers string) mail.Outcome {
			t.Helper()
			out, err := inbox.Receive(ctx, who, crlf(headers+"From: "+who+"\nMessage-ID: <"+id+"@x>\n\nPrinter macet.\n"))
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		reporter := func(number string) (account *int64, contact string) {
			t.Helper()
			tk, err := h.Svc.Desk.GetTicket(ctx, policy.SystemActor("test"), number)
			if err != nil {
				t.Fatal(err)
			}
			return tk.ReporterID, tk.ContactEmail
		}

		// Authenticated by the server in front: her ticket.
		mine := receive("a1", "Authentication-Results: mx.makassarkota.go.id; dmarc=pass header.from=makassarkota.go.id\n"+
			"Subject: Printer\n")
		if got, contact := reporter(mine.Ticket); got == nil || *got != account || contact != "" {
			t.Fatalf("an authenticated mail: reporter %v, contact %q", got, contact)
		}
		// Forged: no header of the trusted server, or one of another that
		// says what the forger wants. Each is an outside contact's ticket,
		// even quoting her ticket's number.
		for i, headers := range []string{"", "Authentication-Results: mx.evil.example; dmarc=pass header.from=makassarkota.go.id\n"} {
			out := receive("f"+string(rune('1'+i)), headers+"Subject: Re: ["+mine.Ticket+"] Printer\n")
			if out.Ticket == mine.Ticket || out.Ticket == "" {
				t.Fatalf("a forged mail went to %q", out.Ticket)
			}
			if got, contact := reporter(out.Ticket); got != nil || contact != who {
				t.Errorf("a forged mail: reporter %v, contact %q; want an outside contact", got, contact)
			}
		}
		tk, err := h.Svc.Desk.GetTicket(ctx, policy.SystemActor("test"), mine.Ticket)
		if err != nil || len(tk.Messages) != 0 {
			t.Errorf("her ticket has %d replies (%v), want none", len(tk.Messages), err)
		}
		// Only the authenticated sender got a receipt: one to a forged
		// address would carry the forger's subject from the city.
		var receipts int
		if err := d.R.QueryRow(`SELECT count(*) FROM outbox WHERE kind = $1`, mail.KindReceived).Scan(&receipts); err != nil || receipts != 1 {
			t.Errorf("%d receipts (%v), want 1", receipts, err)
		}
		var reason string
		if err := d.R.QueryRow(`SELECT reason FROM inbound_messages WHERE external_id = 'f1@x'`).Scan(&reason); err != nil ||
			reason != "sender not authenticated: filed as an outside contact" {
			t.Errorf("the inbound log's reason: %q, %v", reason, err)
		}
	})
}
