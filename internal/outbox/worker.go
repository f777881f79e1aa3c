package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Worker delivers the outbox: it claims due messages, hands each to its
// channel's Sender and records what came of it. Every node of a deployment
// runs one; a claim is a lease, so two workers never hold the same message
// and a message whose worker died is claimed again when its lease ends.
// That is the one way a message goes out twice: it was handed to the
// gateway and the worker died before recording it, so a crash can repeat
// at most the messages claimed at that moment (a batch a lane).
type Worker struct {
	db      *db.DB
	senders map[string]Sender
	// Batch is how many messages one claim takes; Concurrency how many are
	// handed to gateways at once. Lanes is how many batches are in hand at
	// once: while one lane claims or records, another's sends keep the
	// gateways busy (they share Concurrency).
	Batch       int
	Concurrency int
	Lanes       int
	// Lease is how long a claim holds. A batch's sends are cut off a
	// quarter of it before it ends, so that its outcomes are recorded
	// while the claim is still the worker's: another worker never takes
	// over a message that is still being sent. It must be longer than the
	// slowest single send, so that cut-off is only for a gateway that
	// hangs: Kannel's client gives up after 30 s a part and a message has
	// at most 6 parts (3 min), SMTP after 30 s to connect and 2 min of
	// session (2.5 min); 5 min leaves both whole within 3¾.
	Lease time.Duration
	// Drain is how long a stopping worker gives its in-flight batch to
	// finish, so that a normal restart sends nothing twice; what has not
	// begun by then is given back untried, and a send still waiting for
	// its gateway is cut off as a failed try (sent again if the gateway
	// had taken it, as after a gateway's timeout).
	Drain time.Duration
	// MaxAttempts is how many tries a message gets before it goes dead.
	MaxAttempts int
	// Idle is the pause when nothing is due.
	Idle time.Duration
}

// NewWorker returns a worker over d delivering the channels of senders;
// messages of other channels wait. Batch and Concurrency are what
// BenchmarkSMSToKannel found keeps Kannel busy without queuing at it.
func NewWorker(d *db.DB, senders map[string]Sender) *Worker {
	return &Worker{db: d, senders: senders, Batch: 500, Concurrency: 32, Lanes: 2, Lease: 5 * time.Minute,
		Drain: 20 * time.Second, MaxAttempts: 8, Idle: time.Second}
}

// Run delivers until ctx ends: in each lane, batch after batch while
// messages are due, else a pause of Idle. When ctx ends it claims nothing
// more, lets the batches in hand finish (for at most Drain) and records
// them before it returns: the caller waits for it on shutdown.
func (w *Worker) Run(ctx context.Context) {
	if len(w.senders) == 0 {
		return
	}
	sem := make(chan struct{}, max(w.Concurrency, 1))
	var wg sync.WaitGroup
	for range max(w.Lanes, 1) {
		wg.Go(func() { w.lane(ctx, sem) })
	}
	wg.Wait()
}

// lane is one of Run's loops; sem bounds the sends of all of them.
func (w *Worker) lane(ctx context.Context, sem chan struct{}) {
	for ctx.Err() == nil {
		n, err := w.runOnce(ctx, sem)
		if err != nil {
			slog.Error("outbox: delivering", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(w.Idle):
		}
	}
}

// RunOnce claims one batch of due messages, delivers them and records the
// outcomes; it returns how many it claimed. Once claimed, a batch is sent
// and recorded even when ctx ends meanwhile (for at most Drain more).
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	return w.runOnce(ctx, make(chan struct{}, max(w.Concurrency, 1)))
}

// runOnce is RunOnce with sem bounding the sends.
func (w *Worker) runOnce(ctx context.Context, sem chan struct{}) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	// The claim itself is not cut short by ctx: a stop racing its commit
	// could leave it committed with the worker none the wiser, its
	// messages held unsent for a whole lease.
	now := time.Now().UTC()
	batch, err := w.claim(context.WithoutCancel(ctx), now)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	sendCtx, cancel := context.WithDeadline(context.WithoutCancel(ctx), now.Add(w.Lease-w.Lease/4))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(w.Drain, cancel) })
	defer stop()
	outcomes := make([]outcome, len(batch))
	var wg sync.WaitGroup
	for i, m := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			outcomes[i].msg = m
			if sendCtx.Err() != nil {
				outcomes[i].untried = true
				return
			}
			outcomes[i].providerID, outcomes[i].err = send(sendCtx, w.senders[m.Channel], m)
		})
	}
	wg.Wait()
	// The batch went to the gateways: a record that fails (a dropped
	// database connection) is tried again while the claim is still ours,
	// or the whole batch would go out a second time when the lease ends.
	var rerr error
	for try := 0; ; try++ {
		if rerr = w.record(context.WithoutCancel(ctx), outcomes); rerr == nil ||
			time.Now().Add(time.Second<<try).After(now.Add(w.Lease)) {
			return len(batch), rerr
		}
		slog.Warn("outbox: recording a batch failed, trying again", "err", rerr)
		time.Sleep(time.Second << try)
	}
}

// send hands m to sender; a sender that panics fails the message for good
// rather than taking the server down, and with it again at every restart.
func send(ctx context.Context, sender Sender, m Message) (id string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("outbox: %s sender panicked: %v", m.Channel, p))
		}
	}()
	return sender.Send(ctx, m)
}

// outcome is what a gateway answered for one message; untried is a
// message the batch had no time left for.
type outcome struct {
	msg        Message
	providerID string
	err        error
	untried    bool
}

// claim takes up to Batch due messages of the channels the worker sends:
// pending ones whose time has come and sending ones whose lease ran out. It
// marks them sending until the lease ends and counts the attempt. On
// PostgreSQL SKIP LOCKED lets the workers of several nodes claim at once
// without waiting on each other; SQLite has one writer.
func (w *Worker) claim(ctx context.Context, now time.Time) ([]Message, error) {
	channels := make([]string, 0, len(w.senders))
	for c := range w.senders {
		channels = append(channels, c)
	}
	in, args := db.InListFrom(4, channels)
	lock := ""
	if w.db.Engine() == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	args = append([]any{now.Add(w.Lease), now, w.Batch}, args...)
	var out []Message
	err := w.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_at = $1,
			delivered_at = NULL
			WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_at <= $2
				AND channel IN (`+in+`) ORDER BY next_at, id LIMIT $3`+lock+`)
			RETURNING `+columns, args...)
		if err != nil {
			return fmt.Errorf("outbox: claim: %w", err)
		}
		out, err = scanMessages(rows)
		return err
	})
	return out, err
}

// columns are a message's columns in the order scanMessages reads them.
const columns = `id, channel, account_id, address, kind, lang, ref, subject, body, link, status, attempts, next_at,
	provider_id, last_error, created_at, sent_at, delivered_at`

// scanMessages reads rows of columns and closes them.
func scanMessages(rows *sql.Rows) ([]Message, error) {
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		var account sql.NullInt64
		var sent, delivered sql.NullTime
		if err := rows.Scan(&m.ID, &m.Channel, &account, &m.Address, &m.Kind, &m.Lang, &m.Ref, &m.Subject, &m.Body,
			&m.Link, &m.Status, &m.Attempts, &m.NextAt, &m.ProviderID, &m.LastError, &m.CreatedAt, &sent,
			&delivered); err != nil {
			return nil, fmt.Errorf("outbox: read: %w", err)
		}
		if account.Valid {
			m.AccountID = &account.Int64
		}
		if sent.Valid {
			m.SentAt = &sent.Time
		}
		if delivered.Valid {
			m.DeliveredAt = &delivered.Time
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// record writes the outcomes of a batch in one transaction: the sent ones
// in a statement a few hundred at a time, the rest one by one. Each update
// holds only while the message is still the worker's claim (sending, with
// the attempt it claimed): a delivery report that came first, or another
// worker that took the message over after the lease, wins.
func (w *Worker) record(ctx context.Context, outcomes []outcome) error {
	at := time.Now().UTC().Truncate(time.Microsecond)
	var sent []outcome
	var failed []outcome
	defer func() {
		// One line a batch: a gateway that is down fails them all.
		if len(failed) > 0 {
			slog.Warn("outbox: sends failed, retrying later", "failed", len(failed), "of", len(outcomes),
				"first_id", failed[0].msg.ID, "channel", failed[0].msg.Channel, "err", errText(failed[0].err))
		}
	}()
	return w.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, o := range outcomes {
			m := o.msg
			var err error
			switch {
			case o.untried:
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = attempts - 1,
					next_at = $1 WHERE id = $2 AND status = 'sending' AND attempts = $3`, at, m.ID, m.Attempts)
			case o.err == nil:
				sent = append(sent, o)
				if len(sent) == recordBatch {
					err = recordSent(ctx, tx, at, sent)
					sent = sent[:0]
				}
			case IsPermanent(o.err) || m.Attempts >= w.MaxAttempts:
				slog.Warn("outbox: message dead", "id", m.ID, "channel", m.Channel, "attempts", m.Attempts,
					"err", errText(o.err))
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'dead', last_error = $1
					WHERE id = $2 AND status = 'sending' AND attempts = $3`, errText(o.err), m.ID, m.Attempts)
			default:
				failed = append(failed, o)
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', next_at = $1, last_error = $2
					WHERE id = $3 AND status = 'sending' AND attempts = $4`,
					at.Add(Backoff(m.Attempts)), errText(o.err), m.ID, m.Attempts)
			}
			if err != nil {
				return fmt.Errorf("outbox: record %d: %w", m.ID, err)
			}
		}
		if len(sent) > 0 {
			return recordSent(ctx, tx, at, sent)
		}
		return nil
	})
}

// recordBatch is how many sent messages one statement records: three
// parameters each, well under either engine's limit.
const recordBatch = 300

// recordSent marks the messages of sent as sent at at, each with its
// gateway's id, in one statement over a VALUES list of (id, attempt,
// provider id): one round trip instead of one a message, which on
// PostgreSQL is most of the cost of recording. Both engines name a VALUES
// list's columns column1, column2…; the casts type PostgreSQL's parameters.
func recordSent(ctx context.Context, tx *sql.Tx, at time.Time, sent []outcome) error {
	var sb strings.Builder
	args := make([]any, 0, 1+3*len(sent))
	args = append(args, at)
	for i, o := range sent {
		if i > 0 {
			sb.WriteString(", ")
		}
		k := len(args)
		fmt.Fprintf(&sb, "(CAST($%d AS BIGINT), CAST($%d AS INTEGER), CAST($%d AS TEXT))", k+1, k+2, k+3)
		args = append(args, o.msg.ID, o.msg.Attempts, o.providerID)
	}
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET
		status = CASE WHEN outbox.delivered_at IS NULL THEN 'sent' ELSE 'delivered' END,
		provider_id = v.column3, sent_at = $1,
		last_error = '' FROM (VALUES `+sb.String()+`) AS v
		WHERE outbox.id = v.column1 AND outbox.attempts = v.column2 AND outbox.status = 'sending'`, args...)
	return err
}

// Backoff is the pause after the given failed attempt: 30 s doubling to
// at most an hour, with a tenth of jitter so that a gateway that was down
// is not hit by every message at once when it comes back.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(max(attempt-1, 0), 7)
	d = min(d, time.Hour)
	return d + time.Duration(rand.Int64N(int64(d/10)+1))
}

// errText is an error as kept on the row and logged: one line, bounded,
// and without the query or user of an address it names. A gateway's HTTP
// client puts the whole request address in its errors, and Kannel's
// sendsms address carries its password and the dlr-url's secret.
func errText(err error) string {
	s := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		short := "(address)"
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.User, u.RawQuery, u.Fragment = nil, "", ""
			short = u.String()
		}
		s = strings.ReplaceAll(s, ue.URL, short)
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

// Report records a gateway's delivery report for the message id of
// channel: delivered or failed, with the gateway's detail when it failed.
// A report for an unknown or dead message changes nothing. The order of
// reports is settled here, for every gateway:
//   - a failure wins at once, whatever came before (a long SMS with one
//     part lost is not delivered);
//   - a delivered report never undoes a failure, and keeps the first
//     delivery's time (WhatsApp's "read" after "delivered");
//   - a delivered report for a message still being sent (the first part
//     of a long SMS arrived, a later one may yet fail) is kept in
//     delivered_at and leaves the claim to the worker, whose record makes
//     it delivered when the send succeeded and sends it again when not.
func Report(ctx context.Context, q db.Querier, channel string, id int64, delivered bool, detail string) error {
	return report(ctx, q, "id", id, channel, delivered, detail)
}

// ReportProvider is Report for a message known by its gateway's id.
func ReportProvider(ctx context.Context, q db.Querier, channel, providerID string, delivered bool, detail string) error {
	if providerID == "" {
		return nil // would name every message not recorded yet
	}
	return report(ctx, q, "provider_id", providerID, channel, delivered, detail)
}

// report is Report with the message named by column = key; column is one
// of the two names above, never input.
func report(ctx context.Context, q db.Querier, column string, key any, channel string, delivered bool,
	detail string) error {
	at := time.Now().UTC().Truncate(time.Microsecond)
	var err error
	if delivered {
		_, err = q.ExecContext(ctx, `UPDATE outbox SET
				status = CASE WHEN status = 'sending' THEN 'sending' ELSE 'delivered' END,
				delivered_at = COALESCE(delivered_at, $1)
			WHERE `+column+` = $2 AND channel = $3 AND status IN ('sending', 'sent', 'delivered')`, at, key, channel)
	} else {
		_, err = q.ExecContext(ctx, `UPDATE outbox SET status = 'failed', delivered_at = NULL, last_error = $1
			WHERE `+column+` = $2 AND channel = $3 AND status IN ('sending', 'sent', 'delivered', 'failed')`,
			detail, key, channel)
	}
	if err != nil {
		return fmt.Errorf("outbox: report: %w", err)
	}
	return nil
}

// Retry puts a dead or failed message back in line, with its attempts
// counted afresh: the admin's answer once the cause is fixed. It reports
// whether there was such a message.
func Retry(ctx context.Context, q db.Querier, id int64) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_at = $1,
		sent_at = NULL, provider_id = '' WHERE id = $2 AND status IN ('dead', 'failed')`, time.Now().UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return false, fmt.Errorf("outbox: retry: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
