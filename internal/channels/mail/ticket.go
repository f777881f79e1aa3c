package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// party is the ticket side a mail's sender was matched to.
type party struct {
	reporter *int64 // the reporter's account
	name     string
	closed   bool
}

// reply adds the mail to ticket number when its sender is the ticket's
// reporter (their employee address) or its outside contact. ok is false
// when it is not theirs (someone else quoting the number: a new ticket)
// or the ticket does not exist; a closed ticket gets a new one that
// names it.
func (x *Inbox) reply(ctx context.Context, p *Parsed, e inbound.Entry, number string) (Outcome, bool, error) {
	id, err := helpdesk.ParseNumber(number)
	if err != nil {
		return Outcome{}, false, nil
	}
	var reporter sql.NullInt64
	var contact, contactName, status, employeeEmail, employeeName string
	err = x.db.R.QueryRowContext(ctx, `SELECT t.reporter_account_id, t.contact_email, t.contact_name, t.status,
			COALESCE(e.email, ''), COALESCE(e.name, '')
		FROM tickets t LEFT JOIN accounts a ON a.id = t.reporter_account_id
		LEFT JOIN employees e ON e.id = a.employee_id WHERE t.id = $1`, id).
		Scan(&reporter, &contact, &contactName, &status, &employeeEmail, &employeeName)
	if errors.Is(err, sql.ErrNoRows) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, fmt.Errorf("mail: ticket %s: %w", number, err)
	}
	from := helpdesk.InboundSender{Address: p.From.Address}
	switch {
	case reporter.Valid && strings.EqualFold(employeeEmail, p.From.Address):
		from.AccountID, from.Name = &reporter.Int64, employeeName
	case contact != "" && strings.EqualFold(contact, p.From.Address):
		from.Name = contactName
		if from.Name == "" {
			from.Name = nameOf(p)
		}
	default:
		return Outcome{}, false, nil
	}
	if status == helpdesk.StatusClosed {
		out, err := x.open(ctx, p, e, number, true)
		return out, true, err
	}
	e.AccountID, e.Status = from.AccountID, inbound.Replied
	files, refused := x.files(p)
	body := p.Text
	if body == "" && len(files) == 0 {
		body = p.Subject
	}
	in := helpdesk.ReplyInput{Body: clip(body, 20000), Attachments: files,
		After: func(ctx context.Context, tx db.Querier, t helpdesk.Ticket, _ helpdesk.Message) error {
			e.TicketID = &t.ID
			if err := x.flooded(ctx, tx, e.Sender); err != nil {
				return err
			}
			if err := inbound.Record(ctx, tx, e); err != nil {
				return err
			}
			return refusedNote(ctx, tx, t, refused)
		}}
	_, err = x.desk.AddInboundReply(ctx, number, from, in)
	if ce := errs.As(err); ce != nil && ce.Key == "ticket.closed" { // closed in between
		out, err := x.open(ctx, p, e, number, true)
		return out, true, err
	}
	if err != nil {
		return Outcome{}, true, err
	}
	return Outcome{Status: inbound.Replied, Ticket: number}, true, nil
}

// open files the mail as a new ticket: for the employee whose address it
// came from (an active account) when known says its sender is who the
// address says, else for an outside contact by address and name. A known
// sender is answered by mail with the ticket's number, in the same
// transaction. closed names the closed ticket a reply was meant for.
func (x *Inbox) open(ctx context.Context, p *Parsed, e inbound.Entry, closed string, known bool) (Outcome, error) {
	var account int64
	lang := i18n.ID
	if known {
		err := x.db.R.QueryRowContext(ctx, `SELECT a.id, a.locale FROM employees e JOIN accounts a ON a.employee_id = e.id
			WHERE e.email = $1 AND a.active = TRUE ORDER BY a.id LIMIT 1`, p.From.Address).Scan(&account, &lang)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Outcome{}, fmt.Errorf("mail: sender: %w", err)
		}
	}
	files, refused := x.files(p)
	subject := p.Subject
	if subject == "" {
		subject = i18n.T(i18n.ID, "mail.no_subject")
	}
	body := p.Text
	if closed != "" {
		body = i18n.T(i18n.ID, "mail.followup", closed) + "\n\n" + body
	}
	in := helpdesk.TicketInput{Subject: clip(subject, 200), Body: clip(body, 20000), Category: "other",
		Channel: outbox.Email, Attachments: files}
	if account != 0 {
		in.ReporterID, e.AccountID = &account, &account
	} else {
		in.ContactEmail, in.ContactName = p.From.Address, clip(nameOf(p), 200)
		// An outside contact is answered in the language they wrote in,
		// where their mail program says it (Content-Language).
		if l := strings.ToLower(p.Header.Get("Content-Language")); strings.HasPrefix(l, i18n.EN) {
			lang = i18n.EN
		}
	}
	e.Status = inbound.Ticketed
	var number string
	in.After = func(ctx context.Context, tx db.Querier, t helpdesk.Ticket) error {
		number, e.TicketID = t.Number, &t.ID
		if err := x.flooded(ctx, tx, e.Sender); err != nil {
			return err
		}
		if err := inbound.Record(ctx, tx, e); err != nil {
			return err
		}
		if err := refusedNote(ctx, tx, t, refused); err != nil {
			return err
		}
		if !known {
			// No receipt for a sender not authenticated: it would carry the
			// subject they wrote, from the city's address, to whatever
			// address they put in From:. The desk's answer still goes there.
			return nil
		}
		l := i18n.Valid(lang)
		return outbox.Enqueue(ctx, tx, outbox.Message{Channel: outbox.Email, AccountID: e.AccountID,
			Address: p.From.Address, Kind: KindReceived, Lang: l, Ref: t.Number,
			Subject: i18n.T(l, "mail.received.subject", t.Subject),
			Body:    i18n.T(l, "mail.received.body", t.Number, t.Number), Link: "/bantuan/" + t.Number})
	}
	if _, err := x.desk.CreateTicket(ctx, policy.SystemActor("email"), in); err != nil {
		return Outcome{}, err
	}
	return Outcome{Status: inbound.Ticketed, Ticket: number}, nil
}

// nameOf is the sender's display name, else the address's local part.
func nameOf(p *Parsed) string {
	if n := strings.TrimSpace(p.From.Name); n != "" {
		return n
	}
	local, _, _ := strings.Cut(p.From.Address, "@")
	return local
}

// files sorts a mail's attachments by the help desk's upload rules (the
// same limits and type sniffing as the web): those it keeps, and a line
// for each it does not, for the note on the ticket: at most MaxFiles+5
// lines, then how many more (the parts past maxParts among them).
func (x *Inbox) files(p *Parsed) ([]upload.File, []string) {
	lim := upload.Limits(x.desk.FileLimits())
	var keep []upload.File
	var refused []string
	for _, f := range p.Files {
		var v errs.Validation
		upload.Check(&v, "file", []upload.File{f}, lim)
		var why string
		if e := errs.As(v.Err()); e != nil && len(e.Fields) > 0 {
			why = e.Fields[0].Message(i18n.ID)
		} else if len(keep) == lim.MaxFiles {
			why = i18n.T(i18n.ID, "err.attach.too_many", lim.MaxFiles, len(p.Files))
		}
		if why != "" {
			refused = append(refused, "- "+why)
			continue
		}
		keep = append(keep, f)
	}
	if most := lim.MaxFiles + 5; len(refused) > most || p.Unread > 0 {
		more := p.Unread
		if len(refused) > most {
			more += len(refused) - most
			refused = refused[:most]
		}
		refused = append(refused, "- "+i18n.T(i18n.ID, "mail.refused_more", more))
	}
	return keep, refused
}

// refusedNote tells the help desk, in a note on the ticket, which
// attachments were not kept.
func refusedNote(ctx context.Context, q db.Querier, t helpdesk.Ticket, refused []string) error {
	if len(refused) == 0 {
		return nil
	}
	return helpdesk.AddNoteTx(ctx, q, t, "email", i18n.T(i18n.ID, "mail.refused_files", strings.Join(refused, "\n")))
}
