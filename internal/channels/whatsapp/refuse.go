package whatsapp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/outbox"
)

// quiet are the kinds of message that want no answer: a reaction to one
// of ours, a note from WhatsApp itself (a number changed), a person
// opening the chat.
var quiet = map[string]bool{"reaction": true, "system": true, "request_welcome": true}

// Answers to other than text are limited: after refusedAnswers in
// refusedWindow a sender's stickers and photos are logged unanswered.
const (
	refusedAnswers = 3
	refusedWindow  = 10 * time.Minute
)

// notText logs a message that is not text (a photo, a voice note, a
// location…) as refused and, in the same transaction, writes the answer
// that only text is read: the help desk takes WhatsApp as text. A message
// logged already (Meta posted it again) does nothing.
func (h *Handler) notText(ctx context.Context, m incoming) error {
	sender := "+" + m.From
	err := h.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, ok := org.NormalizePhone(sender); !ok {
			// As for a text: a number the help desk cannot take is logged,
			// not answered.
			return inbound.Record(ctx, tx, inbound.Entry{Channel: outbox.WhatsApp, ExternalID: m.ID, Sender: sender,
				Status: inbound.Refused, Reason: "not text: " + m.Type + "; not an Indonesian number"})
		}
		account, lang, err := inbound.AccountByPhone(ctx, tx, sender)
		if err != nil {
			return err
		}
		e := inbound.Entry{Channel: outbox.WhatsApp, ExternalID: m.ID, Sender: sender, AccountID: account,
			Status: inbound.Refused, Reason: "not text: " + m.Type}
		n, err := refusedSince(ctx, tx, sender, time.Now().Add(-refusedWindow))
		if err != nil {
			return err
		}
		switch {
		case quiet[m.Type]:
			e.Status, e.Reason = inbound.Ignored, m.Type
		case n >= refusedAnswers:
			e.Status = inbound.Throttled
		}
		if err := inbound.Record(ctx, tx, e); err != nil {
			return err
		}
		if e.Status != inbound.Refused {
			return nil
		}
		return outbox.Enqueue(ctx, tx, outbox.Message{Channel: outbox.WhatsApp, AccountID: account,
			Address: sender, Kind: "command", Lang: lang, Body: i18n.T(lang, "whatsapp.text_only")})
	})
	if errors.Is(err, inbound.ErrSeen) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp: message %s: %w", m.ID, err)
	}
	return nil
}

// refusedSince counts the messages of sender refused with an answer since
// since.
func refusedSince(ctx context.Context, q db.Querier, sender string, since time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbound_messages
		WHERE channel = 'whatsapp' AND sender = $1 AND status = 'refused' AND received_at >= $2`,
		sender, since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("refused since: %w", err)
	}
	return n, nil
}

// outboxStatus is the status of our message Meta knows as wamid, "" when
// there is none.
func (h *Handler) outboxStatus(ctx context.Context, wamid string) (string, error) {
	var st string
	err := h.db.W.QueryRowContext(ctx, `SELECT status FROM outbox WHERE channel = 'whatsapp' AND provider_id = $1`,
		wamid).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// sending counts the WhatsApp messages being handed to Meta now. A status
// of a wamid the outbox does not hold may be one of theirs, whose wamid
// the worker has not written yet: Meta is then asked to post it again
// (errNotYet). Counted before the wamid is looked up, so a record that
// commits between the two is found, not taken for another sender's.
func (h *Handler) sending(ctx context.Context) (int, error) {
	var n int
	err := h.db.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp' AND status = 'sending'`).
		Scan(&n)
	return n, err
}
