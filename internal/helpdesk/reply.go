package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// maxTimeSpent bounds the minutes one reply may record: a day.
const maxTimeSpent = 24 * 60

// AddReply adds a public reply or, for the help desk, an internal note. A
// closed ticket takes no more replies. The first public reply of an agent
// answers the ticket (first_responded_at, and a new ticket becomes open);
// the reporter's side answering a pending or resolved ticket reopens it.
func (s *Service) AddReply(ctx context.Context, actor *policy.Actor, number string, in ReplyInput) (Message, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Message{}, err
	}
	in.Body = strings.TrimSpace(in.Body)
	var v errs.Validation
	text(&v, "body", in.Body, maxBody, len(in.Attachments) == 0)
	if in.TimeSpentMinutes < 0 || in.TimeSpentMinutes > maxTimeSpent {
		v.Add("time_spent_minutes", "ticket.time_spent", maxTimeSpent)
	}
	files := s.checkFiles(&v, in.Attachments)
	if err := v.Err(); err != nil {
		return Message{}, err
	}
	var m Message
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Replies take turns on their ticket: each saves it with the
		// version it read, and two read at once would make one stale (409).
		if err := db.HoldRow(ctx, tx, "tickets", id); err != nil {
			return err
		}
		before, err := s.visible(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		agent := policy.Can(actor, policy.TicketWork, target(before))
		switch {
		case in.Internal && !agent:
			return errs.New(errs.Forbidden, "ticket.note_forbidden")
		case !agent && in.TimeSpentMinutes != 0:
			return errs.FieldErr("time_spent_minutes", "ticket.time_spent_agent")
		}
		if err := policy.Check(actor, policy.TicketReply, target(before)); err != nil {
			return err
		}
		if before.Status == StatusClosed {
			return errs.New(errs.Conflict, "ticket.closed")
		}
		at := now()
		m = Message{AuthorID: accountOf(actor), Author: authorName(actor), Body: in.Body, Internal: in.Internal,
			TimeSpentMinutes: in.TimeSpentMinutes, CreatedAt: at}
		if err := insertMessage(ctx, tx, before.ID, &m); err != nil {
			return fmt.Errorf("helpdesk: reply: %w", err)
		}
		if m.Attachments, err = storeFiles(ctx, tx, actor, before, &m, files, at); err != nil {
			return err
		}
		t, events := before, []Event{{Actor: authorName(actor), Kind: kindOf(m), New: strconv.FormatInt(m.ID, 10), At: at}}
		reopen := !agent && slices.Contains([]string{StatusPending, StatusResolved}, t.Status)
		answer := agent && !in.Internal
		if answer && t.FirstRespondedAt == nil {
			t.FirstRespondedAt = &at
			events = append(events, Event{Actor: authorName(actor), Kind: "first_response", New: at.Format(time.RFC3339), At: at})
		}
		if reopen || answer && t.Status == StatusNew {
			old := t.Status
			cal, err := s.pauseCalendar(ctx, tx, t)
			if err != nil {
				return err
			}
			if err := transition(&t, StatusOpen, at, cal); err != nil {
				return err
			}
			events = append(events, Event{Actor: authorName(actor), Kind: "status", Old: old, New: t.Status, At: at})
		}
		t.UpdatedAt = at
		if err := s.save(ctx, tx, actor, before, t, events); err != nil {
			return err
		}
		if answer {
			if err := channelReply(ctx, tx, t, m); err != nil {
				return err
			}
		}
		agency := deref(t.AgencyID)
		if m.Internal {
			agency = deskOnly
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: kindOf(m), Entity: "ticket", EntityID: t.ID,
			AgencyID: agency, After: m}); err != nil {
			return err
		}
		if in.After != nil {
			return in.After(ctx, tx, t, m)
		}
		return nil
	})
	return m, err
}

func kindOf(m Message) string {
	if m.Internal {
		return "note"
	}
	return "reply"
}

// authorName is how replies and the history name who acted: the person's
// name, not their email, which reporters may not see (UU 27/2022).
func authorName(a *policy.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Who()
}
