package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// The help desk as seen from a phone (SMS, WhatsApp): whoever writes from
// the phone a ticket belongs to may follow it, answer it and rate it. The
// phone is what identifies them (as a rating link's secret does on the
// web), so a ticket that is not the phone's is not found, whatever its
// number: numbers reveal nothing.

// ByPhone returns the ticket number names when phone (+62…, as
// org.NormalizePhone gives it) is its outside contact's or its reporter's;
// any other is NotFound.
func (s *Service) ByPhone(ctx context.Context, q db.Querier, number, phone string) (Ticket, error) {
	id, err := ParseNumber(number)
	if err != nil {
		return Ticket{}, err
	}
	t, err := findTicket(ctx, q, id)
	if err != nil {
		return Ticket{}, err
	}
	if p, ok := org.NormalizePhone(t.ContactPhone); ok && p == phone {
		return t, nil
	}
	if t.ReporterID != nil {
		var own string
		err := q.QueryRowContext(ctx, `SELECT COALESCE(e.phone, '') FROM accounts a
			JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, *t.ReporterID).Scan(&own)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Ticket{}, fmt.Errorf("helpdesk: reporter's phone: %w", err)
		}
		if p, ok := org.NormalizePhone(own); ok && p == phone {
			return t, nil
		}
	}
	return Ticket{}, errs.New(errs.NotFound, "ticket.not_found")
}

// phoneActor is who acts for a ticket by its phone: the reporter (by
// their account, with no roles: the reporter's side), or the outside
// contact, named by their name or number.
func phoneActor(t Ticket, phone string) *policy.Actor {
	if t.ReporterID != nil {
		return &policy.Actor{AccountID: *t.ReporterID, EmployeeID: t.ReporterEmployeeID, AgencyID: deref(t.AgencyID),
			Name: t.ReporterName}
	}
	name := t.ContactName
	if name == "" {
		name = phone
	}
	return &policy.Actor{Name: name}
}

// ReplyByPhone adds body as the reporter's side's public reply to the
// ticket number names, written from phone (ByPhone decides whether it
// may): as AddReply does for a reporter, a pending or resolved ticket is
// reopened and the assignee told; a closed one takes no reply (Conflict).
// after runs in the reply's transaction, as ReplyInput.After.
func (s *Service) ReplyByPhone(ctx context.Context, number, phone, body string,
	after func(ctx context.Context, tx db.Querier, t Ticket, m Message) error) (Ticket, Message, error) {
	body = strings.TrimSpace(body)
	var v errs.Validation
	text(&v, "body", body, maxBody, true)
	if err := v.Err(); err != nil {
		return Ticket{}, Message{}, err
	}
	var t Ticket
	var m Message
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if id, err := ParseNumber(number); err == nil { // as AddReply; a bad number ByPhone answers
			if err := db.HoldRow(ctx, tx, "tickets", id); err != nil {
				return err
			}
		}
		before, err := s.ByPhone(ctx, tx, number, phone)
		if err != nil {
			return err
		}
		t, m, err = s.inboundReply(ctx, tx, phoneActor(before, phone), before, ReplyInput{Body: body, After: after}, nil)
		return err
	})
	if err != nil {
		return Ticket{}, Message{}, err
	}
	return t, m, nil
}

// RateByPhone records the rating of the ticket number names, sent from
// phone, in the caller's transaction, by the rules of RateTicket: a score
// of 1–5 (else Invalid on "score"), a resolved or closed ticket not merged
// and not rated yet (else the Conflict rateable says).
func (s *Service) RateByPhone(ctx context.Context, tx db.Querier, number, phone string, score int) (Rating, error) {
	t, err := s.ByPhone(ctx, tx, number, phone)
	if err != nil {
		return Rating{}, err
	}
	if score < 1 || score > 5 {
		return Rating{}, errs.FieldErr("score", "rating.score")
	}
	if err := rateable(ctx, tx, t); err != nil {
		return Rating{}, err
	}
	actor := phoneActor(t, phone)
	r := Rating{Number: t.Number, Score: score, CreatedAt: now()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_ratings (ticket_id, score, comment, account_id, created_at)
		VALUES ($1, $2, '', $3, $4)`, t.ID, r.Score, accountOf(actor), r.CreatedAt); err != nil {
		return Rating{}, fmt.Errorf("helpdesk: rate by phone: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ticket_rating_tokens SET used_at = $1 WHERE ticket_id = $2`,
		r.CreatedAt, t.ID); err != nil {
		return Rating{}, fmt.Errorf("helpdesk: rate by phone: %w", err)
	}
	ev := []Event{{Actor: authorName(actor), Kind: "rating", New: strconv.Itoa(r.Score), At: r.CreatedAt}}
	if err := insertEvents(ctx, tx, t.ID, accountOf(actor), ev); err != nil {
		return Rating{}, fmt.Errorf("helpdesk: history: %w", err)
	}
	return r, audit.Write(ctx, tx, actor, audit.Entry{Action: "rate", Entity: "ticket", EntityID: t.ID,
		AgencyID: deref(t.AgencyID), After: r})
}

// LastChange is when t last changed, in the city's zone: what a text
// answering STATUS tells.
func (s *Service) LastChange(t Ticket) time.Time { return t.UpdatedAt.In(s.zone) }
