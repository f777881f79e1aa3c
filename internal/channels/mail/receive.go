package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/outbox"
)

// KindReceived is the outbox kind of the answer to a mail that opened a
// ticket: its number, and that a reply reaches the help desk.
const KindReceived = "mail.received"

// Inbox acts on the mail that comes in: a reply naming a ticket lands in
// it, any other mail opens one, automatic mail (bounces, auto-replies, our
// own) is kept and never answered, and a sender who writes too much is
// kept but not acted on. Each mail is acted on in one transaction with
// its entry in the inbound log, whose UNIQUE Message-ID makes a mail
// delivered twice a no-op.
type Inbox struct {
	db   *db.DB
	desk *helpdesk.Service
	from string // the help desk's address, lower case
	// domain is from's domain: only Message-IDs and thread ids there are
	// ours.
	domain string
	// Limit mails per sender in Window are acted on; more are throttled:
	// kept in the log (status throttled), not acted on, not answered. The
	// count is taken again inside the transaction that acts on a mail,
	// under inbound.LockSender's lock, so that a flood over parallel
	// connections, to one node or several, cannot pass Limit.
	Limit  int
	Window time.Duration
	// TrustedAuthServ is the authserv-id of the mail server in front
	// (--smtp-trusted-authserv): a mail counts as from its From: address
	// only when that server's Authentication-Results headers say DMARC
	// passed for it (authenticated); else as from an outside contact. Empty: the From:
	// header is taken as it is, for a server in front that refuses mail
	// whose sender fails its checks.
	TrustedAuthServ string
}

// NewInbox returns the inbox of the help desk's address from over d.
func NewInbox(d *db.DB, desk *helpdesk.Service, from string) *Inbox {
	return &Inbox{db: d, desk: desk, from: addressOf(from), domain: strings.ToLower(domainOf(from)),
		Limit: 10, Window: 10 * time.Minute}
}

// Outcome is what became of one mail.
type Outcome struct {
	Status    string
	Ticket    string
	Reason    string
	Duplicate bool
}

// Receive acts on one mail, raw as it came, from the envelope sender
// envFrom ("" for the null sender <>). ErrNoFrom and ErrUnreadable are the
// mail's fault (refuse it); any other error is ours (the sender's server
// should retry).
func (x *Inbox) Receive(ctx context.Context, envFrom string, raw []byte) (Outcome, error) {
	p, err := Parse(raw)
	if err != nil {
		return Outcome{}, err
	}
	if seen, err := inbound.Seen(ctx, x.db.R, outbox.Email, p.ID); err != nil || seen {
		return Outcome{Duplicate: seen}, err
	}
	e := inbound.Entry{Channel: outbox.Email, ExternalID: p.ID, Sender: p.From.Address,
		Subject: clip(p.Subject, 200), Body: clip(p.Text, 20000)}
	if reason := x.automatic(envFrom, p); reason != "" {
		e.Status, e.Reason = inbound.Ignored, reason
		return x.log(ctx, e, func(tx *sql.Tx) error { return x.bounced(ctx, tx, envFrom, p) })
	}
	// A first count outside any transaction spares a flood the work of
	// filing; flooded checks it again where it counts.
	n, err := inbound.Since(ctx, x.db.R, outbox.Email, p.From.Address, time.Now().Add(-x.Window))
	if err != nil {
		return Outcome{}, err
	}
	out, err := Outcome{}, errFlood
	if n < x.Limit {
		out, err = x.act(ctx, p, e)
	}
	switch {
	case errors.Is(err, errFlood):
		e.Status, e.Reason = inbound.Throttled, fmt.Sprintf("more than %d mails in %s", x.Limit, x.Window)
		return x.log(ctx, e, nil)
	case errors.Is(err, inbound.ErrSeen):
		return Outcome{Duplicate: true}, nil
	case errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.NotFound:
		// The help desk would not take it as it is: keep it, say why.
		e.Status, e.Reason = inbound.Refused, err.Error()
		slog.Warn("mail: refused", "from", p.From.Address, "message_id", p.ID, "err", err)
		return x.log(ctx, e, nil)
	}
	return out, err
}

// errFlood is what flooded answers, in the transaction that acts on a
// mail, when its sender is over the limit: the action rolls back and the
// mail is kept as throttled.
var errFlood = errors.New("mail: sender over the flood limit")

// flooded counts, in the transaction q that acts on a mail from sender,
// the mails acted on within the window, under the sender's lock, and
// answers errFlood when they reached the limit.
func (x *Inbox) flooded(ctx context.Context, q db.Querier, sender string) error {
	if err := inbound.LockSender(ctx, q, x.db.Engine(), outbox.Email, sender); err != nil {
		return err
	}
	n, err := inbound.Since(ctx, q, outbox.Email, sender, time.Now().Add(-x.Window))
	if err != nil {
		return err
	}
	if n >= x.Limit {
		return errFlood
	}
	return nil
}

// log records e alone (with more done in its transaction).
func (x *Inbox) log(ctx context.Context, e inbound.Entry, more func(*sql.Tx) error) (Outcome, error) {
	err := x.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := inbound.Record(ctx, tx, e); err != nil {
			return err
		}
		if more != nil {
			return more(tx)
		}
		return nil
	})
	if errors.Is(err, inbound.ErrSeen) {
		return Outcome{Duplicate: true}, nil
	}
	return Outcome{Status: e.Status, Reason: e.Reason}, err
}

// automatic says why a mail is one a machine sent, which must never be
// answered (two auto-responders answering each other forever), or "".
func (x *Inbox) automatic(envFrom string, p *Parsed) string {
	h := p.Header
	local, _, _ := strings.Cut(p.From.Address, "@")
	switch {
	case p.Report:
		return "delivery report (multipart/report)"
	case p.From.Address == x.from:
		return "from our own address"
	case envFrom == "":
		return "null envelope sender <>"
	case strings.EqualFold(local, "mailer-daemon") || strings.EqualFold(local, "postmaster"):
		return "from " + local
	}
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	switch v := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); v {
	case "bulk", "junk", "list":
		return "Precedence: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond"} {
		if h.Get(k) != "" {
			return k
		}
	}
	return ""
}

// ourIDs finds Message-IDs of our form (<lontara.ID@domain>); ourID
// keeps those of our domain.
var ourIDs = regexp.MustCompile(`<lontara\.(\d{1,19})@([^<>\s]+)>`)

// maxBounced bounds the messages one delivery report marks failed: a
// real bounce names one.
const maxBounced = 10

// ourID is the outbox id in m, a match of ourIDs, when it is of our
// domain and a valid id.
func (x *Inbox) ourID(m []string) (int64, bool) {
	if !strings.EqualFold(m[2], x.domain) {
		return 0, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	return id, err == nil
}

// failedAction is a delivery status saying delivery failed for good (not
// "delayed", not "delivered").
var failedAction = regexp.MustCompile(`(?im)^Action:\s*failed\s*$`)

// bounced marks failed the email outbox messages a delivery report of
// failure names. Only such a report from the null sender <> counts (an
// auto-reply or a read receipt also names our Message-ID, and says
// nothing of delivery; a mail server sends its reports from <>), only
// for Message-IDs we gave (of our domain, the provider id of an email
// row), at most maxBounced of them.
func (x *Inbox) bounced(ctx context.Context, q db.Querier, envFrom string, p *Parsed) error {
	if envFrom != "" || !p.Report || p.ReportType != "delivery-status" || !failedAction.Match(p.Raw) {
		return nil
	}
	seen := map[int64]bool{}
	for _, m := range ourIDs.FindAllSubmatch(p.Raw, -1) {
		id, ok := x.ourID([]string{"", string(m[1]), string(m[2])})
		if !ok || seen[id] {
			continue
		}
		if len(seen) == maxBounced {
			break
		}
		seen[id] = true
		err := outbox.ReportProvider(ctx, q, outbox.Email, MessageID(id, x.from), false, clip("bounced: "+p.Subject, 200))
		if err != nil {
			return err
		}
	}
	return nil
}

// ticketNumber finds "[T-000123]" in a subject.
var ticketNumber = regexp.MustCompile(`(?i)\[(T-\d{1,12})\]`)

// linkTicket finds a ticket's number in a page's path (/bantuan/T-000123).
var linkTicket = regexp.MustCompile(`T-\d{1,12}`)

// threadRef finds a thread id <t-000123@domain> in a reference; it is
// ours when of our domain.
var threadRef = regexp.MustCompile(`(?i)^<(t-\d{1,12})@([^<>\s]+)>$`)

// act files the mail: as a reply on the ticket it names when it comes
// from that ticket's reporter or contact, else as a new ticket. A mail
// whose sender is not authenticated (see TrustedAuthServ) is a new ticket
// of an outside contact at its address: it neither writes in someone's
// ticket nor is filed as an employee's.
func (x *Inbox) act(ctx context.Context, p *Parsed, e inbound.Entry) (Outcome, error) {
	if x.TrustedAuthServ != "" && !authenticated(p.Header["Authentication-Results"], x.TrustedAuthServ, p.From.Address) {
		e.Reason = "sender not authenticated: filed as an outside contact"
		return x.open(ctx, p, e, "", false)
	}
	if number, err := x.named(ctx, p); err != nil {
		return Outcome{}, err
	} else if number != "" {
		out, ok, err := x.reply(ctx, p, e, number)
		if ok || err != nil {
			return out, err
		}
	}
	return x.open(ctx, p, e, "", true)
}

// named returns the number of the ticket a mail answers: the subject's
// [T-…], else our thread id or one of our Message-IDs in its references.
func (x *Inbox) named(ctx context.Context, p *Parsed) (string, error) {
	if m := ticketNumber.FindStringSubmatch(p.Subject); m != nil {
		return strings.ToUpper(m[1]), nil
	}
	for _, ref := range p.Refs {
		if m := threadRef.FindStringSubmatch(ref); m != nil && strings.EqualFold(m[2], x.domain) {
			return strings.ToUpper(m[1]), nil
		}
		if m := ourIDs.FindStringSubmatch(ref); m != nil {
			id, ok := x.ourID(m)
			if !ok {
				continue
			}
			// One of our mails: its ticket is its ref, or the ticket its
			// link opens (a notification about a ticket).
			var number, link string
			err := x.db.R.QueryRowContext(ctx, `SELECT ref, link FROM outbox WHERE id = $1 AND channel = 'email'`,
				id).Scan(&number, &link)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return "", fmt.Errorf("mail: reference: %w", err)
			}
			if number == "" {
				number = linkTicket.FindString(link)
			}
			if strings.HasPrefix(number, "T-") {
				return number, nil
			}
		}
	}
	return "", nil
}
