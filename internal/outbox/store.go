package outbox

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

// Admin is the delivery admin: the outbox and the inbound log as the
// superadmin looks through them, and the retry of dead messages. Both hold
// the phones and addresses of people across the city, so every method
// checks policy.ChannelManage.
type Admin struct{ db *db.DB }

// NewAdmin returns the delivery admin over d.
func NewAdmin(d *db.DB) *Admin { return &Admin{db: d} }

// Filter narrows the outbox listing. Q finds a message by its address
// (a part of it, any case) or its ref ("T-000123").
type Filter struct {
	Status  *string
	Channel *string
	Kind    *string
	Q       *string
}

// check refuses a status or channel that does not exist: a filter that
// cannot match is a mistake worth saying, not an empty list.
func (f Filter) check() error {
	var v errs.Validation
	if f.Status != nil && !slices.Contains(Statuses, *f.Status) {
		v.Add("status", "outbox.status")
	}
	if f.Channel != nil && !slices.Contains(Channels, *f.Channel) {
		v.Add("channel", "outbox.channel")
	}
	return v.Err()
}

// List returns one page of the outbox, newest first.
func (a *Admin) List(ctx context.Context, actor *policy.Actor, f Filter, p db.Page) ([]Message, string, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return nil, "", err
	}
	if err := f.check(); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != nil {
		where = append(where, "status = "+arg(*f.Status))
	}
	if f.Channel != nil {
		where = append(where, "channel = "+arg(*f.Channel))
	}
	if f.Kind != nil {
		where = append(where, "kind = "+arg(*f.Kind))
	}
	if f.Q != nil {
		q := strings.TrimSpace(*f.Q)
		where = append(where, "("+a.db.Dialect.ContainsFold("address", arg(db.EscapeLike(q)))+
			" OR ref = "+arg(strings.ToUpper(q))+")")
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		where = append(where, "id < "+arg(after))
	}
	q := "SELECT " + columns + " FROM outbox"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT " + arg(p.Size()+1)
	rows, err := a.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("outbox: list: %w", err)
	}
	list, err := scanMessages(rows)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return utc(list), next, nil
}

// utc shows times in UTC whatever the engine returned them in.
func utc(list []Message) []Message {
	for i := range list {
		m := &list[i]
		m.NextAt, m.CreatedAt = m.NextAt.UTC(), m.CreatedAt.UTC()
		if m.SentAt != nil {
			t := m.SentAt.UTC()
			m.SentAt = &t
		}
		if m.DeliveredAt != nil {
			t := m.DeliveredAt.UTC()
			m.DeliveredAt = &t
		}
	}
	return list
}

// Get returns one message, body and all.
func (a *Admin) Get(ctx context.Context, actor *policy.Actor, id int64) (Message, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return Message{}, err
	}
	return get(ctx, a.db.R, id)
}

func get(ctx context.Context, q db.Querier, id int64) (Message, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+columns+" FROM outbox WHERE id = $1", id)
	if err != nil {
		return Message{}, fmt.Errorf("outbox: get %d: %w", id, err)
	}
	list, err := scanMessages(rows)
	if err != nil {
		return Message{}, err
	}
	if len(list) == 0 {
		return Message{}, errs.New(errs.NotFound, "outbox.not_found")
	}
	return utc(list)[0], nil
}

// Count is how many messages of a channel are in a status.
type Count struct {
	Status  string `json:"status"`
	Channel string `json:"channel"`
	Count   int    `json:"count"`
}

// Counts returns how many messages there are per status and channel, with
// one GROUP BY (also what the metrics read at each scrape).
func Counts(ctx context.Context, q db.Querier) ([]Count, error) {
	rows, err := q.QueryContext(ctx, `SELECT status, channel, COUNT(*) FROM outbox GROUP BY status, channel`)
	if err != nil {
		return nil, fmt.Errorf("outbox: counts: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Status, &c.Channel, &c.Count); err != nil {
			return nil, fmt.Errorf("outbox: counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Counts is the package's Counts for the admin page.
func (a *Admin) Counts(ctx context.Context, actor *policy.Actor) ([]Count, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return nil, err
	}
	return Counts(ctx, a.db.R)
}

// retried is what the audit log keeps of a retry: the message's state,
// not its body or address.
type retried struct {
	Status    string `json:"status"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error,omitempty"`
}

// Retry puts one dead or failed message back in line, audited. A message
// in another state is a Conflict: it is on its way or already delivered.
func (a *Admin) Retry(ctx context.Context, actor *policy.Actor, id int64) (Message, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return Message{}, err
	}
	var out Message
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		ok, err := Retry(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "outbox.not_retryable", before.Status)
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "retry", Entity: "outbox", EntityID: id,
			Before: retried{before.Status, before.Attempts, before.LastError}, After: retried{out.Status, out.Attempts, ""}})
	})
	return out, err
}

// retryMany bounds the dead messages one bulk retry puts back in line.
const retryMany = 1000

// RetryDead puts the dead messages of channel back in line, the oldest
// retryMany of them, in one transaction, each audited, and returns how
// many.
func (a *Admin) RetryDead(ctx context.Context, actor *policy.Actor, channel string) (int, error) {
	if err := policy.Check(actor, policy.ChannelManage, policy.Target{}); err != nil {
		return 0, err
	}
	if !slices.Contains(Channels, channel) {
		return 0, errs.FieldErr("channel", "outbox.channel")
	}
	n := 0
	err := a.db.Tx(ctx, func(tx *sql.Tx) error {
		// One statement, so a message another admin retried meanwhile is
		// neither retried twice nor a failure.
		// At most retryMany a click: the writer is not held for a whole
		// day of dead letters at once, and the page shows what is left.
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_at = $1,
				sent_at = NULL, provider_id = ''
			WHERE id IN (SELECT id FROM outbox WHERE status = 'dead' AND channel = $2 ORDER BY id LIMIT $3)
			RETURNING id, last_error`,
			time.Now().UTC().Truncate(time.Microsecond), channel, retryMany)
		if err != nil {
			return fmt.Errorf("outbox: retry dead of %s: %w", channel, err)
		}
		var entries []audit.Entry
		for rows.Next() {
			var id int64
			b := retried{Status: Dead}
			if err := rows.Scan(&id, &b.LastError); err != nil {
				rows.Close()
				return fmt.Errorf("outbox: retry dead of %s: %w", channel, err)
			}
			entries = append(entries, audit.Entry{Action: "retry", Entity: "outbox", EntityID: id, Before: b,
				After: retried{Status: Pending}})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("outbox: retry dead of %s: %w", channel, err)
		}
		n = len(entries)
		if n == 0 {
			return nil
		}
		return audit.WriteMany(ctx, tx, actor, entries)
	})
	return n, err
}
