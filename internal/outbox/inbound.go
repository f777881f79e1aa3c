package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// InboundStatuses are the states of a message that came in (internal/inbound
// names them; this package cannot import it, since the help desk it uses
// writes to the outbox).
var InboundStatuses = []string{"received", "ticket", "reply", "command", "refused", "throttled", "ignored"}

// Inbound is one message of the inbound log as the admin sees it.
type Inbound struct {
	ID         int64     `json:"id"`
	Channel    string    `json:"channel"`
	ExternalID string    `json:"external_id"`
	Sender     string    `json:"sender"`
	AccountID  *int64    `json:"account_id"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason"`
	Ticket     string    `json:"ticket,omitempty"` // the ticket's number (T-000123) it opened or went to
	ReceivedAt time.Time `json:"received_at"`
}

// InboundFilter narrows the inbound log.
type InboundFilter struct {
	Channel *string
	Status  *string
}

// Inbound returns one page of the inbound log, newest first.
func (a *Admin) Inbound(ctx context.Context, actor *policy.Actor, f InboundFilter, p db.Page) ([]Inbound, string, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return nil, "", err
	}
	var v errs.Validation
	if f.Channel != nil && !slices.Contains(Channels, *f.Channel) {
		v.Add("channel", "outbox.channel")
	}
	if f.Status != nil && !slices.Contains(InboundStatuses, *f.Status) {
		v.Add("status", "outbox.status")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Channel != nil {
		where = append(where, "channel = "+arg(*f.Channel))
	}
	if f.Status != nil {
		where = append(where, "status = "+arg(*f.Status))
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		where = append(where, "id < "+arg(after))
	}
	q := `SELECT id, channel, external_id, sender, account_id, subject, body, status, reason, ticket_id, received_at
		FROM inbound_messages`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT " + arg(p.Size()+1)
	rows, err := a.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("outbox: inbound log: %w", err)
	}
	defer rows.Close()
	out := []Inbound{}
	for rows.Next() {
		var e Inbound
		var account, ticket sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Channel, &e.ExternalID, &e.Sender, &account, &e.Subject, &e.Body, &e.Status,
			&e.Reason, &ticket, &e.ReceivedAt); err != nil {
			return nil, "", fmt.Errorf("outbox: inbound log: %w", err)
		}
		if account.Valid {
			e.AccountID = &account.Int64
		}
		if ticket.Valid {
			e.Ticket = fmt.Sprintf("T-%06d", ticket.Int64) // helpdesk.Number, which this package cannot import
		}
		e.ReceivedAt = e.ReceivedAt.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("outbox: inbound log: %w", err)
	}
	next := ""
	if len(out) > p.Size() {
		out = out[:p.Size()]
		next = db.Cursor(out[len(out)-1].ID)
	}
	return out, next, nil
}
