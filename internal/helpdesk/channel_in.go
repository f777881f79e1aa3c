package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// InboundSender is who wrote a message that came in by a channel on a
// ticket's reporter side: the reporter's account, or the outside contact
// (no account) by name and address.
type InboundSender struct {
	AccountID *int64
	Name      string
	Address   string // the email address or phone it came from, for the audit log
}

// AddInboundReply adds body as the public reply of the ticket's reporter
// side, arrived by a channel (an email answering the help desk's mail).
// The channel has matched the sender to the ticket's reporter or contact;
// the reply is theirs whatever roles they hold, so it never counts as the
// help desk's answer: it reopens a pending or resolved ticket and tells the
// assignee, as a reporter's reply on the web does. A closed ticket answers
// Conflict "ticket.closed". in.After runs in the reply's transaction.
func (s *Service) AddInboundReply(ctx context.Context, number string, from InboundSender, in ReplyInput) (Message, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Message{}, err
	}
	in.Body = strings.TrimSpace(in.Body)
	var v errs.Validation
	text(&v, "body", in.Body, maxBody, len(in.Attachments) == 0)
	files := s.checkFiles(&v, in.Attachments)
	if err := v.Err(); err != nil {
		return Message{}, err
	}
	// An actor without grants: the reporter's side, never an agent.
	actor := &policy.Actor{AccountID: deref(from.AccountID), Name: from.Name, Email: from.Address}
	var m Message
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.HoldRow(ctx, tx, "tickets", id); err != nil { // as AddReply
			return err
		}
		before, err := findTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		_, m, err = s.inboundReply(ctx, tx, actor, before, in, files)
		return err
	})
	return m, err
}

// inboundReply adds in.Body (and files) in tx as the public reply of
// actor, the reporter's side of ticket before, that came in by a channel
// (AddInboundReply, ReplyByPhone): it never counts as the help desk's
// answer; a pending or resolved ticket reopens and the assignee is told,
// as for a reporter's reply on the web; a closed ticket takes none
// (Conflict "ticket.closed"). in.After runs last.
func (s *Service) inboundReply(ctx context.Context, tx *sql.Tx, actor *policy.Actor, before Ticket, in ReplyInput,
	files []checked) (Ticket, Message, error) {
	if before.Status == StatusClosed {
		return Ticket{}, Message{}, errs.New(errs.Conflict, "ticket.closed")
	}
	at := now()
	m := Message{AuthorID: accountOf(actor), Author: authorName(actor), Body: in.Body, CreatedAt: at}
	if err := insertMessage(ctx, tx, before.ID, &m); err != nil {
		return Ticket{}, Message{}, fmt.Errorf("helpdesk: reply: %w", err)
	}
	var err error
	if m.Attachments, err = storeFiles(ctx, tx, actor, before, &m, files, at); err != nil {
		return Ticket{}, Message{}, err
	}
	t := before
	events := []Event{{Actor: m.Author, Kind: "reply", New: strconv.FormatInt(m.ID, 10), At: at}}
	if slices.Contains([]string{StatusPending, StatusResolved}, t.Status) {
		cal, err := s.pauseCalendar(ctx, tx, t)
		if err != nil {
			return Ticket{}, Message{}, err
		}
		if err := transition(&t, StatusOpen, at, cal); err != nil {
			return Ticket{}, Message{}, err
		}
		events = append(events, Event{Actor: m.Author, Kind: "status", Old: before.Status, New: t.Status, At: at})
	}
	t.UpdatedAt = at
	if err := s.save(ctx, tx, actor, before, t, events); err != nil {
		return Ticket{}, Message{}, err
	}
	if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "reply", Entity: "ticket", EntityID: t.ID,
		AgencyID: deref(t.AgencyID), After: m}); err != nil {
		return Ticket{}, Message{}, err
	}
	if in.After != nil {
		if err := in.After(ctx, tx, t, m); err != nil {
			return Ticket{}, Message{}, err
		}
	}
	return t, m, nil
}

// AddNoteTx adds an internal note by author (a channel, such as "email")
// to ticket t in the caller's transaction: what a channel tells the help
// desk about a message it acted on, such as the attachments it could not
// keep.
func AddNoteTx(ctx context.Context, q db.Querier, t Ticket, author, body string) error {
	m := Message{Author: author, Body: body, Internal: true, CreatedAt: now()}
	if err := insertMessage(ctx, q, t.ID, &m); err != nil {
		return fmt.Errorf("helpdesk: note: %w", err)
	}
	ev := []Event{{Actor: author, Kind: "note", New: strconv.FormatInt(m.ID, 10), At: m.CreatedAt}}
	if err := insertEvents(ctx, q, t.ID, nil, ev); err != nil {
		return fmt.Errorf("helpdesk: history: %w", err)
	}
	return nil
}
