package inbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
)

// Text is one text message that came in by SMS or WhatsApp.
type Text struct {
	Channel    string // "sms" or "whatsapp"
	ExternalID string // the gateway's id for it
	From       string // the sender's number as the gateway gave it
	To         string // the number it was sent to
	Body       string
}

// Result is what became of a text: its status in the log, the ticket it
// opened or went to, and the answer written to the outbox.
type Result struct {
	Status    string `json:"status"`
	Ticket    string `json:"ticket,omitempty"`
	Reply     string `json:"reply,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// Texts answers the texts that come in by SMS and WhatsApp: a command
// (STATUS, BANTUAN/HELP, NILAI/RATE) is answered, any other text opens a
// ticket for the employee whose phone it came from, or for an outside
// contact, and is answered with the ticket's number.
type Texts struct {
	db   *db.DB
	desk *helpdesk.Service
}

// NewTexts returns the conversation over d and the help desk.
func NewTexts(d *db.DB, desk *helpdesk.Service) *Texts { return &Texts{db: d, desk: desk} }

// Flood control: a sender whose texts were acted on (a ticket, a reply, a
// command, a refusal answered) more than throttleLimit times within
// throttleWindow has the next ones kept but not acted on, and hears so once
// a window. Ten in ten minutes is far above a person typing on a phone,
// and far below a script filling the desk with tickets.
const (
	throttleWindow = 10 * time.Minute
	throttleLimit  = 10
)

// Limits of what a text becomes: the ticket's subject is its first words,
// the whole text its body (the help desk keeps 20,000 characters; the log
// keeps the text whole).
const (
	subjectRunes = 60
	bodyRunes    = 20000
)

// sender is who a text came from.
type sender struct {
	phone   string // +62…
	account *int64 // the one active person with an account on that phone
	lang    string // their language; Indonesian for an outside contact
	shared  int    // how many such people share the phone (more than one: none is assumed)
}

// Receive acts on one text: it is logged, acted on and answered (the
// answer written to the outbox on the text's own channel) in one
// transaction. A text already received answers Duplicate and does nothing.
func (x *Texts) Receive(ctx context.Context, t Text) (Result, error) {
	if t.Channel != outbox.SMS && t.Channel != outbox.WhatsApp {
		return Result{}, fmt.Errorf("inbound: texts by %q", t.Channel)
	}
	if t.ExternalID == "" {
		return Result{}, errs.FieldErr("id", "required")
	}
	t.Body = Clean(strings.TrimSpace(t.Body))
	if seen, err := Seen(ctx, x.db.R, t.Channel, t.ExternalID); err != nil || seen {
		return Result{Duplicate: seen}, err
	}
	e := Entry{Channel: t.Channel, ExternalID: t.ExternalID, Sender: clip(t.From, 200), Body: t.Body,
		ReceivedAt: time.Now()}
	phone, ok := org.NormalizePhone(t.From)
	if !ok {
		// Nobody to answer, and no one to file it for: kept, refused.
		slog.Warn("inbound: text from an unparseable number refused", "channel", t.Channel, "id", t.ExternalID,
			"from", e.Sender)
		e.Status, e.Reason = Refused, "unparseable sender"
		err := x.db.Tx(ctx, func(tx *sql.Tx) error { return Record(ctx, tx, e) })
		return result(e, nil, "", err)
	}
	e.Sender = phone
	who, err := x.sender(ctx, phone)
	if err != nil {
		return Result{}, err
	}
	e.AccountID = who.account
	// A sender over the limit already is throttled at once; the count
	// that decides is the one inside the acting transaction (record), so
	// texts that come in at the same moment cannot all pass this one.
	if acted, _, err := x.recent(ctx, x.db.R, e, false); err != nil {
		return Result{}, err
	} else if acted >= throttleLimit {
		return x.throttle(ctx, e, who)
	}
	r, err := x.act(ctx, e, who, t.Body)
	if errors.Is(err, errFlood) {
		// The action was rolled back: the text is kept as throttled.
		return x.throttle(ctx, e, who)
	}
	return r, err
}

// act does what the text asks: a command, a reply to a ticket, or a new
// ticket.
func (x *Texts) act(ctx context.Context, e Entry, who sender, body string) (Result, error) {
	c := parse(body, who.lang)
	reply := func(key string, args ...any) *outbox.Message {
		return x.message(e, who, c.lang, i18n.T(c.lang, key, args...))
	}
	switch c.verb {
	case verbHelp:
		e.Status = Commanded
		if body == "" {
			e.Status, e.Reason = Refused, "empty"
		}
		return x.answer(ctx, e, reply("sms.help"), "")
	case verbUnknown:
		e.Status, e.Reason = Refused, "unknown command"
		return x.answer(ctx, e, x.message(e, who, c.lang,
			i18n.T(c.lang, "sms.unknown", clip(body, 30))+" "+i18n.T(c.lang, "sms.help")), "")
	case verbUsage:
		e.Status, e.Reason = Refused, "malformed command"
		return x.answer(ctx, e, reply(c.usage), "")
	case verbStatus:
		return x.status(ctx, e, who, c)
	case verbRate:
		return x.rate(ctx, e, who, c)
	case verbReply:
		return x.reply(ctx, e, who, c)
	}
	return x.ticket(ctx, e, who, body)
}

// message is an answer to the text's sender, on the text's channel.
func (x *Texts) message(e Entry, who sender, lang, body string) *outbox.Message {
	return &outbox.Message{Channel: e.Channel, AccountID: who.account, Address: who.phone, Kind: "command",
		Lang: lang, Body: body}
}

// answer logs e and writes m (if any) to the outbox in one transaction.
func (x *Texts) answer(ctx context.Context, e Entry, m *outbox.Message, ticket string) (Result, error) {
	err := x.db.Tx(ctx, func(tx *sql.Tx) error { return x.record(ctx, tx, e, m) })
	return result(e, m, ticket, err)
}

// errFlood is what record answers, in the transaction that acts on a text,
// when its sender is over the flood limit: the caller rolls the action
// back and Receive keeps the text as throttled instead.
var errFlood = errors.New("inbound: sender over the flood limit")

// record logs e and writes m (if any) to the outbox in the caller's
// transaction, the one that acts on the text. Unless e is throttled, it
// first counts its sender's recent texts in that same transaction and
// answers errFlood when they reached the limit: the count and the action
// are one step, so texts that come in at once cannot all pass it.
func (x *Texts) record(ctx context.Context, q db.Querier, e Entry, m *outbox.Message) error {
	if e.Status != Throttled {
		acted, _, err := x.recent(ctx, q, e, true)
		if err != nil {
			return err
		}
		if acted >= throttleLimit {
			return errFlood
		}
	}
	if err := Record(ctx, q, e); err != nil {
		return err
	}
	if m == nil {
		return nil
	}
	return outbox.Enqueue(ctx, q, *m)
}

// result is what Receive answers once e is logged (err nil), was logged
// before (ErrSeen), or could not be.
func result(e Entry, m *outbox.Message, ticket string, err error) (Result, error) {
	if errors.Is(err, ErrSeen) {
		return Result{Duplicate: true}, nil
	}
	if err != nil {
		return Result{}, err
	}
	r := Result{Status: e.Status, Ticket: ticket}
	if m != nil {
		r.Reply = m.Body
	}
	return r, nil
}

// sender finds who a phone belongs to: the one active person with an
// active account whose phone it is. A phone several such people share
// (a front desk's, a family's) is nobody's: the text is an outside
// contact's, as is one from a phone nobody has.
func (x *Texts) sender(ctx context.Context, phone string) (sender, error) {
	return lookupSender(ctx, x.db.R, phone)
}

// AccountByPhone is the account a message from phone (+62…) comes from,
// by the rule of the texts (nil for an outside contact or a shared
// phone), and the language to answer in: for a channel's own answers
// (WhatsApp's to a photo).
func AccountByPhone(ctx context.Context, q db.Querier, phone string) (*int64, string, error) {
	s, err := lookupSender(ctx, q, phone)
	return s.account, s.lang, err
}

func lookupSender(ctx context.Context, q db.Querier, phone string) (sender, error) {
	s := sender{phone: phone, lang: i18n.ID}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.locale FROM employees e
		JOIN accounts a ON a.employee_id = e.id AND a.active = TRUE
		WHERE e.phone = $1 AND e.active = TRUE ORDER BY a.id LIMIT 3`, phone)
	if err != nil {
		return s, fmt.Errorf("inbound: sender: %w", err)
	}
	defer rows.Close()
	var id int64
	var lang string
	for rows.Next() {
		if err := rows.Scan(&id, &lang); err != nil {
			return s, fmt.Errorf("inbound: sender: %w", err)
		}
		s.shared++
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("inbound: sender: %w", err)
	}
	if s.shared == 1 {
		s.account, s.lang = &id, i18n.Valid(lang)
	}
	return s, nil
}

// recent counts, in q, the texts e's sender sent within the window before
// e that were acted on, and those throttled. With lock (q a transaction)
// it first takes LockSender's lock, so the transactions of one sender
// count one after the other (inside db.Group's shared transaction on
// SQLite, after the actions before it).
func (x *Texts) recent(ctx context.Context, q db.Querier, e Entry, lock bool) (acted, warned int, err error) {
	if lock {
		if err := LockSender(ctx, q, x.db.Engine(), e.Channel, e.Sender); err != nil {
			return 0, 0, err
		}
	}
	err = q.QueryRowContext(ctx, `SELECT
			COUNT(CASE WHEN status IN ('ticket', 'reply', 'command', 'refused') THEN 1 END),
			COUNT(CASE WHEN status = 'throttled' THEN 1 END)
		FROM inbound_messages WHERE channel = $1 AND sender = $2 AND received_at >= $3`,
		e.Channel, e.Sender, e.ReceivedAt.Add(-throttleWindow).UTC()).Scan(&acted, &warned)
	if err != nil {
		return 0, 0, fmt.Errorf("inbound: throttle: %w", err)
	}
	return acted, warned, nil
}

// throttle keeps e, from a sender over the limit, without acting on it,
// and answers once a window that they are flooding: the count of the
// answers already given is taken under the same lock as record's, so
// texts throttled at the same moment answer once between them.
func (x *Texts) throttle(ctx context.Context, e Entry, who sender) (Result, error) {
	slog.Warn("inbound: text throttled", "channel", e.Channel, "id", e.ExternalID, "sender", e.Sender)
	e.Status, e.Reason = Throttled, fmt.Sprintf("more than %d messages in %s", throttleLimit, throttleWindow)
	e.TicketID = nil
	var m *outbox.Message
	err := x.db.Tx(ctx, func(tx *sql.Tx) error {
		_, warned, err := x.recent(ctx, tx, e, true)
		if err != nil {
			return err
		}
		if warned == 0 {
			m = x.message(e, who, who.lang, i18n.T(who.lang, "sms.throttled", int(throttleWindow/time.Minute)))
		}
		return x.record(ctx, tx, e, m)
	})
	return result(e, m, "", err)
}

// ticket opens a ticket from the text, for its sender, answered with the
// ticket's number; the log entry and the answer are written in the
// ticket's own transaction.
func (x *Texts) ticket(ctx context.Context, e Entry, who sender, body string) (Result, error) {
	in := helpdesk.TicketInput{Subject: subjectOf(body), Body: clip(body, bodyRunes), Category: "other",
		Channel: e.Channel}
	if who.account != nil {
		in.ReporterID = who.account
	} else {
		in.ContactPhone = who.phone
		if who.shared > 1 {
			e.Reason = fmt.Sprintf("phone shared by %d people: filed for an outside contact", who.shared)
			in.Body += "\n\n" + i18n.T(i18n.ID, "sms.shared_phone")
		}
	}
	var m *outbox.Message
	in.After = func(ctx context.Context, tx db.Querier, t helpdesk.Ticket) error {
		e.Status, e.TicketID = Ticketed, &t.ID
		m = x.message(e, who, who.lang, i18n.T(who.lang, "sms.ticket", t.Number, t.Number))
		m.Ref = t.Number
		return x.record(ctx, tx, e, m)
	}
	actor := policy.SystemActor(e.Channel)
	actor.Name = "Lontara (" + strings.ToUpper(e.Channel) + ")"
	t, err := x.desk.CreateTicket(ctx, actor, in)
	if !errors.Is(err, ErrSeen) && errs.Refused(err) {
		// The help desk refused it (a rule, not a failure): kept, and
		// the sender hears how to write instead.
		slog.Warn("inbound: text refused by the help desk", "channel", e.Channel, "id", e.ExternalID, "err", err)
		e.Status, e.Reason = Refused, clip(err.Error(), 200)
		return x.answer(ctx, e, x.message(e, who, who.lang, i18n.T(who.lang, "sms.help")), "")
	}
	return result(e, m, t.Number, err)
}

// status answers STATUS with the ticket's state, for its own phone only.
func (x *Texts) status(ctx context.Context, e Entry, who sender, c command) (Result, error) {
	var m *outbox.Message
	var number string
	err := x.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := x.desk.ByPhone(ctx, tx, c.number, who.phone)
		switch {
		case errs.Is(err, errs.NotFound):
			e.Status, e.Reason = Refused, "ticket not found"
			m = x.message(e, who, c.lang, i18n.T(c.lang, "sms.not_found", c.number))
		case err != nil:
			return err
		default:
			e.Status, e.TicketID, number = Commanded, &t.ID, t.Number
			state := i18n.T(c.lang, "sms.status."+t.Status)
			if t.Status == helpdesk.StatusResolved {
				state = i18n.T(c.lang, "sms.status.resolved", t.Number)
			}
			m = x.message(e, who, c.lang, i18n.T(c.lang, "sms.status", t.Number, clip(t.Subject, 60), state,
				x.desk.LastChange(t).Format("02-01-2006 15:04 MST")))
			m.Ref = t.Number
		}
		return x.record(ctx, tx, e, m)
	})
	return result(e, m, number, err)
}

// rate records NILAI/RATE by the help desk's rating rules and answers
// what became of it.
func (x *Texts) rate(ctx context.Context, e Entry, who sender, c command) (Result, error) {
	var m *outbox.Message
	err := x.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := x.desk.RateByPhone(ctx, tx, c.number, who.phone, c.score)
		key, args := "sms.rate.thanks", []any{r.Score, r.Number}
		e.Status = Commanded
		if err != nil {
			if !errs.Refused(err) {
				return err
			}
			ee := errs.As(err)
			e.Status, e.Reason = Refused, ee.Key
			switch ee.Key {
			case "ticket.not_found":
				key, args = "sms.not_found", []any{c.number}
			case "rating.not_resolved", "rating.done":
				key, args = "sms.rate."+strings.TrimPrefix(ee.Key, "rating."), []any{c.number}
			case "rating.merged":
				key, args = "sms.rate.merged", append([]any{c.number}, ee.Args...)
			default:
				key, args = "sms.rate.range", []any{c.number}
			}
		}
		m = x.message(e, who, c.lang, i18n.T(c.lang, key, args...))
		return x.record(ctx, tx, e, m)
	})
	return result(e, m, "", err)
}

// reply adds "T-000123 <text>" to that ticket as the reporter's reply,
// clipped to what the help desk keeps as a new ticket's text is (the log
// keeps the text whole).
func (x *Texts) reply(ctx context.Context, e Entry, who sender, c command) (Result, error) {
	var m *outbox.Message
	t, _, err := x.desk.ReplyByPhone(ctx, c.number, who.phone, clip(c.text, bodyRunes),
		func(ctx context.Context, tx db.Querier, t helpdesk.Ticket, _ helpdesk.Message) error {
			e.Status, e.TicketID = Replied, &t.ID
			m = x.message(e, who, c.lang, i18n.T(c.lang, "sms.reply_added", t.Number))
			m.Ref = t.Number
			return x.record(ctx, tx, e, m)
		})
	switch {
	case errs.Is(err, errs.NotFound):
		e.Status, e.Reason = Refused, "ticket not found"
		return x.answer(ctx, e, x.message(e, who, c.lang, i18n.T(c.lang, "sms.not_found", c.number)), "")
	case errs.As(err) != nil && errs.As(err).Key == "ticket.closed":
		e.Status, e.Reason = Refused, "ticket closed"
		return x.answer(ctx, e, x.message(e, who, c.lang, i18n.T(c.lang, "sms.closed", c.number)), "")
	case !errors.Is(err, ErrSeen) && errs.Refused(err):
		// Any other rule of the help desk's: kept, refused, and the
		// sender hears how to write, as for a ticket it refuses.
		slog.Warn("inbound: reply by text refused by the help desk", "channel", e.Channel, "id", e.ExternalID,
			"err", err)
		e.Status, e.Reason, e.TicketID = Refused, clip(err.Error(), 200), nil
		return x.answer(ctx, e, x.message(e, who, c.lang, i18n.T(c.lang, "sms.help")), "")
	}
	return result(e, m, t.Number, err)
}

// subjectOf is a ticket's subject from a text: its first words, up to
// subjectRunes, on one line.
func subjectOf(body string) string {
	words := strings.Fields(body)
	var b strings.Builder
	for i, w := range words {
		if i > 0 && utf8.RuneCountInString(b.String())+1+utf8.RuneCountInString(w) > subjectRunes {
			b.WriteString("…")
			break
		}
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(clip(w, subjectRunes))
	}
	return b.String()
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
