package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// The listener's timing: how long it waits for a notification before it
// checks that the connection still answers (a connection cut without a
// word would otherwise wait forever), and its backoff between attempts to
// reconnect, doubling from the first to the last.
const (
	listenPing       = 30 * time.Second
	listenRetryFirst = 100 * time.Millisecond
	listenRetryLast  = 30 * time.Second
)

// listen keeps one connection listening for the other nodes' events until
// ctx ends, reconnecting with backoff when it is lost.
func (c *Changes) listen(ctx context.Context) {
	wait := listenRetryFirst
	for {
		started := time.Now()
		err := c.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > listenRetryLast {
			wait = listenRetryFirst // it had been up a while: a fresh failure
		}
		slog.Warn("db: change listener lost its connection; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryLast)
	}
}

// listenOnce connects, listens, flushes every subscriber (events sent
// while this node was not listening are lost) and delivers notifications
// until the connection fails.
func (c *Changes) listenOnce(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(c.d.DSN)
	if err != nil {
		return fmt.Errorf("db: listen: %w", err)
	}
	cfg.RuntimeParams["application_name"] = "lontara changes " + c.node
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("db: listen: %w", err)
	}
	defer func() {
		// A connection already gone must not hold up a reconnect or Close.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(ctx)
	}()
	var channel string
	if err := conn.QueryRow(ctx, `SELECT `+changesChannel).Scan(&channel); err != nil {
		return fmt.Errorf("db: listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("db: listen: %w", err)
	}
	c.flushAll()
	c.mu.Lock()
	select {
	case <-c.listening:
	default:
		close(c.listening)
	}
	c.connected = true
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.connected = false; c.mu.Unlock() }()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			c.receive(n.Payload)
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			if err := ping(ctx, conn); err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// ping checks that the connection still answers, within listenPing.
func ping(ctx context.Context, conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, listenPing)
	defer cancel()
	return conn.Ping(ctx)
}
