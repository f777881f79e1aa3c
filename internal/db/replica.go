package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// replicaCheckTimeout bounds the start-up check of a replica, so a host
// that drops packets makes `serve` fail with a clear error instead of
// hanging on the connection.
const replicaCheckTimeout = 15 * time.Second

// Reads is where the reads that may lag the writes go (DB.Replica): the
// read replica of --db-read while it answers and keeps within its
// greatest lag of the primary, else the primary's readers (DB.R). Without
// a replica every read is on the primary.
//
// So a replica that is down, restarting or far behind (a report holding up
// its replay, a broken link to the primary) makes the dashboards and
// reports read the primary, which has every row, instead of failing or
// showing old figures; they go back to the replica at the first check that
// finds it well again. A watcher checks it every replicaCheckEvery. A
// statement the replica fails for a reason of its own (no connection, a
// shutdown, a cancellation by the replay of the primary's changes) runs
// again on the primary at once; the replica is then left alone until a
// check finds it well, except after a cancellation, which is about one
// statement and not the replica. A failure in the middle of reading a
// result's rows is the caller's error: the rows already handed on cannot be
// taken back.
type Reads struct {
	primary *sql.DB
	replica *sql.DB // nil: none, every read is on the primary
	maxLag  time.Duration
	// off is why reads are on the primary although there is a replica
	// ("unreachable", "lagging"); nil while they go to the replica.
	off  atomic.Pointer[string]
	lag  atomic.Int64 // the replica's lag at the last check, in nanoseconds
	stop context.CancelFunc
	done chan struct{}
}

// replicaCheckEvery is how often the watcher checks the replica; the lag it
// measures is as coarse.
const replicaCheckEvery = 2 * time.Second

// Why reads are on the primary although there is a replica.
const (
	ReplicaUnreachable = "unreachable"
	ReplicaLagging     = "lagging"
)

// DefaultReplicaMaxLag is how far a replica may trail the primary before
// the reads leave it: far beyond a healthy replica's usual lag (well under
// a second), short of figures an executive would call stale.
const DefaultReplicaMaxLag = 30 * time.Second

// OpenReplica sends the reads that may lag (d.Replica: dashboards and
// reports) to the read replica at dsn, a pool of its own, while it trails
// the primary by at most maxLag (see Reads); writes and every other read
// stay on the primary. Only PostgreSQL has replicas: a SQLite database or a
// dsn that is not a postgres:// URL is refused, and so is a replica that
// does not answer now. It reports whether the replica is a standby in
// recovery (pg_is_in_recovery()); the caller decides what a server that is
// not one means (see cli's serve).
func (d *DB) OpenReplica(ctx context.Context, dsn string, maxLag time.Duration) (inRecovery bool, err error) {
	if d.Engine() != Postgres {
		return false, errors.New("db: a read replica (--db-read) needs PostgreSQL: the database (--db) is SQLite, " +
			"whose readers already run beside its writer")
	}
	if !IsPostgres(dsn) {
		return false, errors.New("db: the read replica (--db-read) must be a postgres:// URL")
	}
	if d.HasReplica() {
		return false, errors.New("db: a read replica is already open")
	}
	if maxLag <= 0 {
		return false, errors.New("db: the read replica's greatest lag (--db-read-max-lag) must be above 0")
	}
	r, err := openPostgres(dsn)
	if err != nil {
		return false, err
	}
	reads := &Reads{primary: d.R, replica: r.W, maxLag: maxLag, done: make(chan struct{})}
	if inRecovery, err = reads.InRecovery(ctx); err != nil {
		r.W.Close()
		return false, err
	}
	var watch context.Context
	watch, reads.stop = context.WithCancel(context.Background())
	go reads.watch(watch)
	d.Replica = reads
	return inRecovery, nil
}

// HasReplica reports whether reads that may lag go to a replica of their
// own (OpenReplica) rather than to the primary.
func (d *DB) HasReplica() bool { return d.Replica.replica != nil }

// primaryReads are the reads of a database without a replica.
func primaryReads(primary *sql.DB) *Reads { return &Reads{primary: primary} }

// InRecovery asks the replica whether it is a standby replaying the
// primary's WAL; an error means it did not answer within ctx and
// replicaCheckTimeout.
func (r *Reads) InRecovery(ctx context.Context) (bool, error) {
	if r.replica == nil {
		return false, errors.New("db: no read replica")
	}
	ctx, cancel := context.WithTimeout(ctx, replicaCheckTimeout)
	defer cancel()
	var in bool
	if err := r.replica.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&in); err != nil {
		return false, fmt.Errorf("db: the read replica (--db-read) does not answer: %w", err)
	}
	return in, nil
}

// OnPrimary returns why the reads are on the primary although there is a
// replica (ReplicaUnreachable, ReplicaLagging), "" while they go to the
// replica or there is none; and the replica's lag at the last check that
// reached it.
func (r *Reads) OnPrimary() (why string, lag time.Duration) {
	if p := r.off.Load(); p != nil {
		why = *p
	}
	return why, time.Duration(r.lag.Load())
}

// QueryContext runs a query on the replica or the primary (see Reads).
func (r *Reads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	pool, onReplica := r.pool()
	rows, err := pool.QueryContext(ctx, query, args...)
	if onReplica && r.failedOver(ctx, err) {
		return r.primary.QueryContext(ctx, query, args...)
	}
	return rows, err
}

// QueryRowContext runs a query of one row on the replica or the primary.
func (r *Reads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	pool, onReplica := r.pool()
	row := pool.QueryRowContext(ctx, query, args...)
	if onReplica && r.failedOver(ctx, row.Err()) {
		return r.primary.QueryRowContext(ctx, query, args...)
	}
	return row
}

// ExecContext runs a statement on the replica or the primary; it is here
// for Querier, and what runs through it must be a read like the others.
func (r *Reads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	pool, onReplica := r.pool()
	res, err := pool.ExecContext(ctx, query, args...)
	if onReplica && r.failedOver(ctx, err) {
		return r.primary.ExecContext(ctx, query, args...)
	}
	return res, err
}

// pool is where a read goes now, and whether that is the replica.
func (r *Reads) pool() (*sql.DB, bool) {
	if r.replica == nil || r.off.Load() != nil {
		return r.primary, false
	}
	return r.replica, true
}

// failedOver reports whether err, from the replica, is the replica's own
// failure, so the statement is to run again on the primary; a replica that
// did not answer is left until the watcher finds it well. The caller's
// end (ctx) and the statement's own errors, which the primary would give
// too, are not.
func (r *Reads) failedOver(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001": // on a standby: cancelled by a conflict with the replay
			return true
		case "57P01", "57P02", "57P03": // shutting down, crashed, starting up
		default:
			return false
		}
	} else if !unanswered(err) {
		return false
	}
	r.leave(ReplicaUnreachable, "err", err)
	return true
}

// unanswered reports whether err says the server could not be reached or
// the connection broke, rather than that it refused the statement.
func unanswered(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connErr) || errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// leave sends the reads to the primary for why, logging the change once.
func (r *Reads) leave(why string, attrs ...any) {
	if old := r.off.Swap(&why); old == nil || *old != why {
		slog.Warn("db: dashboards and reports read the primary: the read replica is "+why, attrs...)
	}
}

// back sends the reads to the replica again, logging the change once.
func (r *Reads) back() {
	if old := r.off.Swap(nil); old != nil {
		slog.Info("db: dashboards and reports read the replica again", "was", *old)
	}
}

// walMark is the primary's WAL position at a moment.
type walMark struct {
	at  time.Time
	lsn int64
}

// watch checks the replica every replicaCheckEvery until ctx ends.
func (r *Reads) watch(ctx context.Context) {
	defer close(r.done)
	tick := time.NewTicker(replicaCheckEvery)
	defer tick.Stop()
	var marks []walMark
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			marks = r.check(ctx, marks)
		}
	}
}

// check notes the primary's WAL position, asks the replica how far it has
// replayed and sends the reads where they belong. The lag is the age of
// the oldest noted position the replica has not replayed yet (0 when it
// has them all), so an idle primary does not look far ahead of its
// replica, and the figure is as coarse as the checks. Marks older than
// maxLag and two checks are dropped: the lag is measured up to that.
func (r *Reads) check(ctx context.Context, marks []walMark) []walMark {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckEvery)
	defer cancel()
	var lsn int64
	if err := r.primary.QueryRowContext(ctx, `SELECT CAST(pg_current_wal_insert_lsn() - '0/0' AS BIGINT)`).Scan(&lsn); err != nil {
		// The primary did not answer: every other read fails too, and
		// nothing is learnt about the replica.
		return marks
	}
	now := time.Now()
	marks = append(marks, walMark{at: now, lsn: lsn})
	for len(marks) > 1 && now.Sub(marks[0].at) > r.maxLag+2*replicaCheckEvery {
		marks = marks[1:]
	}
	var inRecovery bool
	var replayed sql.NullInt64
	err := r.replica.QueryRowContext(ctx,
		`SELECT pg_is_in_recovery(), CAST(pg_last_wal_replay_lsn() - '0/0' AS BIGINT)`).Scan(&inRecovery, &replayed)
	if err != nil {
		r.leave(ReplicaUnreachable, "err", err)
		return marks
	}
	lag := time.Duration(0)
	if inRecovery && replayed.Valid { // a server not in recovery replays nothing: its rows are its own
		for _, m := range marks {
			if m.lsn > replayed.Int64 {
				lag = now.Sub(m.at)
				break
			}
		}
	}
	r.lag.Store(int64(lag))
	if lag > r.maxLag {
		r.leave(ReplicaLagging, "lag", lag.Round(time.Second), "max", r.maxLag)
	} else {
		r.back()
	}
	return marks
}

// close stops the watcher and closes the replica's pool.
func (r *Reads) close() error {
	if r.replica == nil {
		return nil
	}
	r.stop()
	<-r.done
	return r.replica.Close()
}
