package db

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// replicaCheckTimeout bounds the start-up check of a replica, so a host
// that drops packets makes `serve` fail with a clear error instead of
// hanging on the connection.
const replicaCheckTimeout = 15 * time.Second

// OpenReplica sends the reads that may lag (d.Replica: dashboards and
// reports) to the read replica at dsn, a pool of its own; writes and every
// other read stay on the primary. Only PostgreSQL has replicas: a SQLite
// database or a dsn that is not a postgres:// URL is refused, and so is a
// replica that does not answer. It reports whether the replica is a standby
// in recovery (pg_is_in_recovery()); the caller decides what a server that
// is not one means (see cli's serve).
func (d *DB) OpenReplica(ctx context.Context, dsn string) (inRecovery bool, err error) {
	if d.Engine() != Postgres {
		return false, errors.New("db: a read replica (--db-read) needs PostgreSQL: the database (--db) is SQLite, " +
			"whose readers already run beside its writer")
	}
	if !IsPostgres(dsn) {
		return false, errors.New("db: the read replica (--db-read) must be a postgres:// URL")
	}
	if d.Replica != d.R {
		return false, errors.New("db: a read replica is already open")
	}
	r, err := openPostgres(dsn)
	if err != nil {
		return false, err
	}
	d.Replica = r.W
	if inRecovery, err = d.ReplicaInRecovery(ctx); err != nil {
		d.Replica = d.R
		r.W.Close()
		return false, err
	}
	return inRecovery, nil
}

// HasReplica reports whether reads that may lag go to a replica of their
// own (OpenReplica) rather than to the primary.
func (d *DB) HasReplica() bool { return d.Replica != d.R }

// ReplicaInRecovery asks the replica whether it is a standby replaying the
// primary's WAL; an error means it did not answer.
func (d *DB) ReplicaInRecovery(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckTimeout)
	defer cancel()
	var in bool
	if err := d.Replica.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&in); err != nil {
		return false, fmt.Errorf("db: the read replica (--db-read) does not answer: %w", err)
	}
	return in, nil
}
