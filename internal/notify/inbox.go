package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Inbox is each person's in-app inbox: their notifications, the unread
// count the header shows, and marking them read.
//
// An inbox is its owner's alone, by construction rather than by a policy
// rule: every query is bound to the reader's own account, so a
// notification of someone else is not found (404) — for the superadmin
// too, who may do anything to the city's data but has no business reading
// another person's messages. Marking a message read changes nothing but
// the reader's own view, so it leaves no audit record.
type Inbox struct{ db *db.DB }

// NewInbox returns the inbox over d.
func NewInbox(d *db.DB) *Inbox { return &Inbox{db: d} }

// Filter narrows an inbox listing.
type Filter struct {
	Unread bool // only notifications not read yet
}

// reader returns the account whose inbox the actor reads: a signed-in
// person or a token, never the command line (which has no inbox).
func reader(actor *policy.Actor) (int64, error) {
	if actor == nil || actor.AccountID == 0 {
		return 0, errs.New(errs.Unauthorized, "unauthorized")
	}
	return actor.AccountID, nil
}

const notificationColumns = `id, kind, args, link, created_at, read_at`

func scanNotification(row interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var args string
	var read sql.NullTime
	if err := row.Scan(&n.ID, &n.Kind, &args, &n.Link, &n.CreatedAt, &read); err != nil {
		return n, err
	}
	if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
		return n, fmt.Errorf("notify: arguments of %d: %w", n.ID, err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	if read.Valid {
		t := read.Time.UTC()
		n.ReadAt = &t
	}
	return n, nil
}

// List returns one page of the actor's notifications, newest first, and
// the next page's cursor ("" on the last page). The texts are not filled
// in: the caller renders them in the reader's language.
func (b *Inbox) List(ctx context.Context, actor *policy.Actor, f Filter, p db.Page) ([]Notification, string, error) {
	account, err := reader(actor)
	if err != nil {
		return nil, "", err
	}
	where, args := `account_id = $1`, []any{account}
	if f.Unread {
		where += ` AND read_at IS NULL`
	}
	if p.After != "" {
		var last int64
		if err := db.ParseCursor(p.After, &last); err != nil {
			return nil, "", err
		}
		args = append(args, last)
		where += fmt.Sprintf(` AND id < $%d`, len(args))
	}
	size := p.Size()
	args = append(args, size+1)
	rows, err := b.db.R.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE `+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("notify: list: %w", err)
	}
	defer rows.Close()
	list := []Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, "", fmt.Errorf("notify: list: %w", err)
		}
		list = append(list, n)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("notify: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[size-1].ID)
	}
	return list, next, nil
}

// UnreadCount returns how many of the actor's notifications are unread:
// one count over the partial index of unread rows, cheap enough for every
// page's header.
func (b *Inbox) UnreadCount(ctx context.Context, actor *policy.Actor) (int, error) {
	account, err := reader(actor)
	if err != nil {
		return 0, err
	}
	var n int
	err = b.db.R.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`,
		account).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notify: unread count: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the actor's notifications read and returns it. A
// notification read before keeps the time it was first read; someone
// else's is NotFound.
func (b *Inbox) MarkRead(ctx context.Context, actor *policy.Actor, id int64) (Notification, error) {
	account, err := reader(actor)
	if err != nil {
		return Notification{}, err
	}
	var n Notification
	err = b.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1
			WHERE id = $2 AND account_id = $3 AND read_at IS NULL`, now(), id, account); err != nil {
			return fmt.Errorf("notify: mark read: %w", err)
		}
		n, err = scanNotification(tx.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications
			WHERE id = $1 AND account_id = $2`, id, account))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "notify.not_found")
		}
		return err
	})
	return n, err
}

// MarkAllRead marks every unread notification of the actor read and
// returns how many it marked.
func (b *Inbox) MarkAllRead(ctx context.Context, actor *policy.Actor) (int, error) {
	account, err := reader(actor)
	if err != nil {
		return 0, err
	}
	var n int64
	err = b.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL`,
			now(), account)
		if err != nil {
			return fmt.Errorf("notify: mark all read: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// now is the time of a change, at the microsecond both engines store.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
