// Package inbound is what comes in by SMS, email and WhatsApp: the log of
// every message received, whatever became of it, and the conversation that
// turns a text into a ticket or answers a command. The gateways' own
// packages (internal/channels/…) speak their protocols and hand the
// messages here.
package inbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// What became of a message that came in.
const (
	Received  = "received"  // logged, not acted on yet
	Ticketed  = "ticket"    // it opened a ticket
	Replied   = "reply"     // it was added to a ticket as the reporter's reply
	Commanded = "command"   // it was a command, answered
	Refused   = "refused"   // it could not be acted on (Reason says why); answered where it could be
	Throttled = "throttled" // its sender sent too many; kept, not acted on
	Ignored   = "ignored"   // an automatic message (a bounce, an auto-reply, our own): kept, never answered
)

// Entry is one message as the log keeps it.
type Entry struct {
	ID      int64  `json:"id"`
	Channel string `json:"channel"`
	// ExternalID is the gateway's id for the message (Kannel's %I, the
	// Message-ID, WhatsApp's wamid): the same message delivered twice is
	// logged and acted on once.
	ExternalID string    `json:"external_id"`
	Sender     string    `json:"sender"`
	AccountID  *int64    `json:"account_id"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason"`
	TicketID   *int64    `json:"-"`
	ReceivedAt time.Time `json:"received_at"`
}

// ErrSeen is Record's answer for a message already logged.
var ErrSeen = errors.New("inbound: message already received")

// Record logs e in the caller's transaction, the one that acts on the
// message. A message already logged under the same channel and external id
// answers ErrSeen and writes nothing: the caller rolls back its action.
func Record(ctx context.Context, q db.Querier, e Entry) error {
	for _, s := range []*string{&e.ExternalID, &e.Sender, &e.Subject, &e.Body, &e.Reason} {
		*s = Clean(*s)
	}
	at := e.ReceivedAt
	if at.IsZero() {
		at = time.Now()
	}
	res, err := q.ExecContext(ctx, `INSERT INTO inbound_messages (channel, external_id, sender, account_id, subject,
			body, status, reason, ticket_id, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (channel, external_id) DO NOTHING`,
		e.Channel, e.ExternalID, e.Sender, e.AccountID, e.Subject, e.Body, e.Status, e.Reason, e.TicketID,
		at.UTC().Truncate(time.Microsecond))
	if err != nil {
		return fmt.Errorf("inbound: record: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("inbound: record: %w", err)
	} else if n == 0 {
		return ErrSeen
	}
	return nil
}

// Seen reports whether a message is logged already, to skip the work of
// one delivered twice before doing it (Record still decides).
func Seen(ctx context.Context, q db.Querier, channel, externalID string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbound_messages WHERE channel = $1 AND external_id = $2`,
		channel, Clean(externalID)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("inbound: seen: %w", err)
	}
	return n > 0, nil
}

// Clean makes text from a gateway storable on both engines: invalid UTF-8
// and NUL, which PostgreSQL refuses (and SQLite keeps), become U+FFFD. A
// message that carries them is the sender's, to keep and act on; left in,
// the write failed and the gateway posted it again forever.
func Clean(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// LockSender takes, in the transaction q on PostgreSQL, a lock on channel
// and sender held to the transaction's end, so that the transactions
// acting on one sender's messages, on any node, count them one after the
// other, each seeing what the one before committed. SQLite has one writer:
// a count inside a write transaction sees every message logged before it.
func LockSender(ctx context.Context, q db.Querier, engine db.Engine, channel, sender string) error {
	if engine != db.Postgres {
		return nil
	}
	if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('inbound.flood:' || $1, 0))`,
		channel+":"+sender); err != nil {
		return fmt.Errorf("inbound: throttle: %w", err)
	}
	return nil
}

// Since counts the messages sender sent by channel from since on that were
// acted on (a ticket, a reply, a command), for throttling a flood.
func Since(ctx context.Context, q db.Querier, channel, sender string, since time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbound_messages
		WHERE channel = $1 AND sender = $2 AND received_at >= $3 AND status IN ('ticket', 'reply', 'command')`,
		channel, sender, since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("inbound: since: %w", err)
	}
	return n, nil
}
