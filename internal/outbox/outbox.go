// Package outbox is how every message leaves Lontara by email, SMS or
// WhatsApp. A message is written as a row in the transaction of the change
// that caused it (notify.Send for a person's notifications, a channel for
// its replies), so it exists exactly when its cause does; a worker then
// hands it to the channel's Sender, with retries and backoff, and an
// admin sees and retries those that went dead. The in-app inbox is not a
// row here: its notification is delivered by being stored.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
)

// The channels a message leaves by.
const (
	Email    = "email"
	SMS      = "sms"
	WhatsApp = "whatsapp"
)

// Channels are the channels in the order pages show them.
var Channels = []string{Email, SMS, WhatsApp}

// The states of a message. pending waits for next_at; sending is claimed
// by a worker until next_at (its lease); sent was accepted by the gateway;
// delivered and failed are what the gateway's delivery report said; dead
// gave up after its attempts, until an admin retries it.
const (
	Pending   = "pending"
	Sending   = "sending"
	Sent      = "sent"
	Delivered = "delivered"
	Failed    = "failed"
	Dead      = "dead"
)

// Statuses are the states in the order pages show them.
var Statuses = []string{Pending, Sending, Sent, Delivered, Failed, Dead}

// Message is one message to one address.
type Message struct {
	ID        int64  `json:"id"`
	Channel   string `json:"channel"`
	AccountID *int64 `json:"account_id"`
	// Address is a phone as internal/org stores it (+62…) for SMS and
	// WhatsApp, an email address for email.
	Address string `json:"address"`
	// Kind is the notification's kind ("ticket.replied"), or what the
	// channel sent: "reply" (an agent's answer to a ticket filed by that
	// channel), "command" (the answer to an SMS command), "page".
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	// Ref is what the message is about, such as a ticket's number: email
	// threads on it, and a reply to it lands in that ticket.
	Ref     string `json:"ref"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Link is a path on this site; the channel makes it a full address.
	Link        string     `json:"link"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	NextAt      time.Time  `json:"next_at"`
	ProviderID  string     `json:"provider_id"`
	LastError   string     `json:"last_error"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      *time.Time `json:"sent_at"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// KindLabel words what the message is in lang, for the delivery admin:
// its own label (outbox.kind.*: a reply, a page), else the topic of the
// notification it carries (notify.topic.*), else its kind as stored.
func (m Message) KindLabel(lang string) string {
	if w, ok := i18n.Word(lang, "outbox.kind."+m.Kind); ok {
		return w
	}
	topic, _, _ := strings.Cut(m.Kind, ".")
	if w, ok := i18n.Word(lang, "notify.topic."+topic); ok {
		return w
	}
	return m.Kind
}

// Sender delivers messages of one channel. Send returns the gateway's id
// for the message (used to match its delivery report), or an error: a
// Permanent one is not retried.
type Sender interface {
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// permanent marks an error that retrying cannot fix: an address the
// gateway refuses, a message it will never take.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying: the message goes dead at once.
func Permanent(err error) error { return permanent{err} }

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// active is the set of channels this deployment has configured. notify
// writes a person's messages only for these; a channel's own replies (to
// the SMS that came in) are written whatever it holds.
var active atomic.Pointer[[]string]

// SetActive says which channels are configured; the server sets it at
// start from its configuration, tests for what they exercise.
func SetActive(channels ...string) { active.Store(&channels) }

// Active reports whether channel is configured.
func Active(channel string) bool {
	p := active.Load()
	if p == nil {
		return false
	}
	for _, c := range *p {
		if c == channel {
			return true
		}
	}
	return false
}

// enqueueBatch is how many rows one INSERT writes: 11 columns each, well
// under either engine's limit on parameters.
const enqueueBatch = 100

// Enqueue writes msgs in the caller's transaction as pending, due at their
// NextAt (now when zero). IDs, statuses and times are set by it.
func Enqueue(ctx context.Context, q db.Querier, msgs ...Message) error {
	at := time.Now().UTC().Truncate(time.Microsecond)
	for len(msgs) > 0 {
		n := min(len(msgs), enqueueBatch)
		var sb strings.Builder
		sb.WriteString(`INSERT INTO outbox (channel, account_id, address, kind, lang, ref, subject, body, link,
			status, next_at, created_at) VALUES `)
		args := make([]any, 0, n*11+1)
		args = append(args, at)
		for i, m := range msgs[:n] {
			if err := m.check(); err != nil {
				return err
			}
			next := m.NextAt
			if next.IsZero() {
				next = at
			}
			if i > 0 {
				sb.WriteString(", ")
			}
			k := len(args)
			sb.WriteString("(")
			for j := range 9 {
				sb.WriteString("$" + strconv.Itoa(k+j+1) + ", ")
			}
			sb.WriteString("'pending', $" + strconv.Itoa(k+10) + ", $1)")
			lang := m.Lang
			if lang == "" {
				lang = "id"
			}
			args = append(args, m.Channel, m.AccountID, m.Address, m.Kind, lang, m.Ref, m.Subject, m.Body, m.Link,
				next.UTC().Truncate(time.Microsecond))
		}
		if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("outbox: enqueue: %w", err)
		}
		msgs = msgs[n:]
	}
	return nil
}

// check refuses a message no channel could send: a programming mistake,
// not a user's, since callers give known channels and checked addresses.
func (m Message) check() error {
	switch {
	case m.Channel != Email && m.Channel != SMS && m.Channel != WhatsApp:
		return fmt.Errorf("outbox: unknown channel %q", m.Channel)
	case m.Address == "":
		return fmt.Errorf("outbox: %s message %q without an address", m.Channel, m.Kind)
	case m.Body == "":
		return fmt.Errorf("outbox: %s message %q without a body", m.Channel, m.Kind)
	}
	return nil
}
