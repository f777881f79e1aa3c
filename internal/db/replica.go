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
	"net/url"
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
// finds it well again. A watcher checks it every replicaCheckEvery, on a
// connection of its own so that reports filling the replica's pool do not
// look like an outage, and leaves it after two failed checks in a row. A
// statement the replica fails for a reason of its own (no connection, a
// shutdown, a cancellation by the replay of the primary's changes) runs
// again on the primary at once, and but for a cancellation, which is about
// one statement and not the replica, the replica is left until a check
// finds it well. A failure in the middle of reading a result's rows is the
// caller's error: the rows already handed on cannot be taken back.
type Reads struct {
	primary *sql.DB
	replica *sql.DB // nil: none, every read is on the primary
	watcher *sql.DB // one connection to the replica, the watcher's
	maxLag  time.Duration
	// off is why reads are on the primary although there is a replica
	// ("unreachable", "lagging"); nil while they go to the replica.
	off  atomic.Pointer[string]
	lag  atomic.Int64 // the replica's lag at the last check that reached it, in nanoseconds
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

// replicaConnectTimeout is the replica's connect_timeout when its URL sets
// none: a replica host that drops packets would otherwise hold a report's
// connection attempt until the request ends, instead of failing it over.
const replicaConnectTimeout = "5"

// OpenReplica sends the reads that may lag (d.Replica: dashboards and
// reports) to the read replica at dsn, pools of its own, while it trails
// the primary by at most maxLag (see Reads); writes and every other read
// stay on the primary. Only PostgreSQL has replicas: a SQLite database or a
// dsn that is not a postgres:// URL is refused, and so is a replica that
// does not answer now. It reports whether the replica is a standby in
// recovery (pg_is_in_recovery()); the caller decides what a server that is
// not one means (see cli's serve). Reads start on the replica once it has
// replayed the primary's WAL as it is now, which a streaming replica does
// in a moment; one that has not within a second starts on the primary and
// stays there until it has (its lag is unknown until then).
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
	if u, perr := url.Parse(dsn); perr == nil && !u.Query().Has("connect_timeout") {
		// Appended as it is: encoding the query again would turn the
		// %20 of an options= into a +, which pgx does not read as a space.
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += "connect_timeout=" + replicaConnectTimeout
		dsn = u.String()
	}
	reads := &Reads{primary: d.R, maxLag: maxLag, done: make(chan struct{})}
	for _, pool := range []**sql.DB{&reads.replica, &reads.watcher} {
		r, err := openPostgres(dsn)
		if err != nil {
			reads.closePools()
			return false, err
		}
		*pool = r.W
	}
	reads.watcher.SetMaxOpenConns(1)
	if inRecovery, err = reads.InRecovery(ctx); err != nil {
		reads.closePools()
		return false, err
	}
	st := reads.start(ctx)
	var watch context.Context
	watch, reads.stop = context.WithCancel(context.Background())
	go reads.watch(watch, st)
	d.Replica = reads
	return inRecovery, nil
}

// watchState is what the watcher carries from one check to the next.
type watchState struct {
	marks  []walMark // the primary's WAL positions noted, oldest first
	failed int       // checks in a row that did not reach the replica
	// start is the primary's position when the replica was opened, until
	// the replica has replayed it: before that its lag is unknown (at
	// least the time since), and reads stay on the primary.
	start *walMark
}

// start notes the primary's WAL position and waits a second at most for
// the replica to replay it; a replica that did not is left, lagging, until
// it has.
func (r *Reads) start(ctx context.Context) watchState {
	lsn, err := r.primaryLSN(ctx)
	if err != nil {
		r.leave(ReplicaLagging, "lag", "unknown: the primary's WAL position could not be read", "err", err)
		return watchState{}
	}
	st := watchState{marks: []walMark{{at: time.Now(), lsn: lsn}}}
	for deadline := time.Now().Add(time.Second); ; time.Sleep(20 * time.Millisecond) {
		if replay, err := r.replay(ctx); err == nil && replay.lagOf(st.marks) == 0 {
			return st
		}
		if time.Now().After(deadline) {
			first := st.marks[0]
			st.start = &first
			r.leave(ReplicaLagging, "lag", "unknown: it has not replayed the primary's WAL of its start within a second")
			return st
		}
	}
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
	if err := r.watcher.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&in); err != nil {
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

// errNotARead is ExecContext's answer.
var errNotARead = errors.New("db: a statement run for its effect through Replica, which is for reads only")

// ExecContext refuses: Reads is a Querier so that code reading either R or
// Replica takes both, but a statement run for its effect is a write, which
// a replica refuses and the primary's readers must not be handed this way.
func (r *Reads) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, errNotARead
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
// did not answer or refused the connection is left until the watcher finds
// it well. The caller's end (ctx) and the statement's own errors, which the
// primary would give too, are not.
func (r *Reads) failedOver(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var connErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &connErr): // whatever the server said, no connection: "too many clients", starting up…
	case errors.As(err, &pgErr):
		switch pgErr.Code {
		case "40001": // on a standby: cancelled by a conflict with the replay
			return true
		case "57P01", "57P02", "57P03": // shutting down, crashed, starting up
		default:
			return false
		}
	case !unanswered(err):
		return false
	}
	r.leave(ReplicaUnreachable, "err", err)
	return true
}

// unanswered reports whether err says the connection broke rather than
// that the server refused the statement.
func unanswered(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// leave sends the reads to the primary for why, logging the change once.
// While the replica is unreachable the watcher connects afresh for each
// check: its own connection may stand while new ones are refused (too many
// clients, a changed password), and reads would come back only to fail.
func (r *Reads) leave(why string, attrs ...any) {
	if why == ReplicaUnreachable {
		r.watcher.SetMaxIdleConns(0)
	}
	if old := r.off.Swap(&why); old == nil || *old != why {
		slog.Warn("db: dashboards and reports read the primary: the read replica is "+why, attrs...)
	}
}

// back sends the reads to the replica again, logging the change once.
func (r *Reads) back() {
	r.watcher.SetMaxIdleConns(1)
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
func (r *Reads) watch(ctx context.Context, st watchState) {
	defer close(r.done)
	tick := time.NewTicker(replicaCheckEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			r.check(ctx, &st)
		}
	}
}

// check notes the primary's WAL position, measures the replica's lag
// (replicaReplay.lagOf) and sends the reads where they belong: to the
// primary after the second failed check in a row or while the lag is above
// maxLag or unknown (st.start), else to the replica. Marks older than
// maxLag and two checks are dropped: the lag is measured up to that.
func (r *Reads) check(ctx context.Context, st *watchState) {
	lsn, err := r.primaryLSN(ctx)
	if err != nil {
		// The primary did not answer: every other read fails too, and
		// nothing is learnt about the replica.
		return
	}
	now := time.Now()
	st.marks = append(st.marks, walMark{at: now, lsn: lsn})
	for len(st.marks) > 1 && now.Sub(st.marks[0].at) > r.maxLag+2*replicaCheckEvery {
		st.marks = st.marks[1:]
	}
	replay, err := r.replay(ctx)
	switch {
	case ctx.Err() != nil: // closing: the check was cut short, not failed
		return
	case err != nil:
		if st.failed++; st.failed >= 2 {
			r.leave(ReplicaUnreachable, "err", err)
		}
		return
	}
	st.failed = 0
	lag := replay.lagOf(st.marks)
	r.lag.Store(int64(lag))
	if st.start != nil && replay.lagOf([]walMark{*st.start}) > 0 {
		return // still short of where the primary was at the start
	}
	st.start = nil
	if lag > r.maxLag {
		r.leave(ReplicaLagging, "lag", lag.Round(time.Second), "max", r.maxLag)
	} else {
		r.back()
	}
}

// primaryLSN is the primary's WAL flushed so far, the most a replica can
// have received: the insert position can stand past a page header that no
// record follows while the primary is idle, which the replica never
// replays.
func (r *Reads) primaryLSN(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckEvery)
	defer cancel()
	var lsn int64
	err := r.primary.QueryRowContext(ctx, `SELECT CAST(pg_current_wal_flush_lsn() - '0/0' AS BIGINT)`).Scan(&lsn)
	return lsn, err
}

// replicaReplay is how far the replica has replayed the primary's WAL.
type replicaReplay struct {
	inRecovery bool
	replayed   sql.NullInt64
}

// replay asks the replica, on the watcher's connection, how far it has
// replayed.
func (r *Reads) replay(ctx context.Context) (replicaReplay, error) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckEvery)
	defer cancel()
	var p replicaReplay
	err := r.watcher.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), CAST(pg_last_wal_replay_lsn() - '0/0' AS BIGINT)`).
		Scan(&p.inRecovery, &p.replayed)
	return p, err
}

// lagOf is the age of the oldest of marks the replica has not replayed
// yet, 0 when it has them all: so an idle primary does not look far ahead
// of its replica, and the figure is as coarse as the checks. A server not
// in recovery replays nothing, its rows are its own: lag 0.
func (p replicaReplay) lagOf(marks []walMark) time.Duration {
	if !p.inRecovery || !p.replayed.Valid {
		return 0
	}
	for _, m := range marks {
		if m.lsn > p.replayed.Int64 {
			return time.Since(m.at)
		}
	}
	return 0
}

// close stops the watcher and closes the replica's pools.
func (r *Reads) close() error {
	if r.replica == nil {
		return nil
	}
	r.stop()
	<-r.done
	return r.closePools()
}

func (r *Reads) closePools() error {
	var err error
	for _, pool := range []*sql.DB{r.replica, r.watcher} {
		if pool != nil {
			err = errors.Join(err, pool.Close())
		}
	}
	return err
}
