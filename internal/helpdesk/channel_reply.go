package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/outbox"
)

// channelReply writes the help desk's public answer to a ticket that came
// in by SMS, WhatsApp or email to the outbox, to the address it came from:
// whoever wrote in hears back where they wrote, in the answer's own
// transaction. That address is the outside contact's, or the reporter's
// own phone or email. A ticket filed on the web or by phone is answered in
// the person's inbox and by the channels they chose (notify), not here.
func channelReply(ctx context.Context, q db.Querier, t Ticket, m Message) error {
	var channel, addr string
	switch t.Channel {
	case "sms":
		channel, addr = outbox.SMS, t.ContactPhone
	case "whatsapp":
		channel, addr = outbox.WhatsApp, t.ContactPhone
	case "email":
		channel, addr = outbox.Email, t.ContactEmail
	default:
		return nil
	}
	lang := "id"
	if t.ReporterID != nil {
		var phone, email string
		err := q.QueryRowContext(ctx, `SELECT COALESCE(e.phone, ''), COALESCE(e.email, ''), a.locale
			FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, *t.ReporterID).
			Scan(&phone, &email, &lang)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("helpdesk: reporter's address: %w", err)
		}
		if addr == "" && channel == outbox.Email {
			addr = email
		} else if addr == "" {
			addr = phone
		}
	}
	if addr == "" || m.Body == "" {
		return nil // nowhere to send it, or only files: the web page has them
	}
	return outbox.Enqueue(ctx, q, outbox.Message{Channel: channel, AccountID: t.ReporterID, Address: addr,
		Kind: "reply", Lang: lang, Ref: t.Number, Subject: t.Subject, Body: m.Body,
		Link: "/bantuan/" + t.Number})
}
