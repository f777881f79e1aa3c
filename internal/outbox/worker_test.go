package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
)

// gateway answers by address: "bad" is refused for good, "down" fails
// until up is set, anything else is accepted.
type gateway struct {
	mu   sync.Mutex
	up   bool
	sent []string
}

func (g *gateway) Send(_ context.Context, m outbox.Message) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case m.Address == "bad":
		return "", outbox.Permanent(errors.New("unknown number"))
	case m.Address == "down" && !g.up:
		return "", errors.New("connection refused")
	}
	g.sent = append(g.sent, m.Address)
	return "gw-" + m.Address, nil
}

func statusOf(t *testing.T, d *db.DB, address string) (status string, attempts int) {
	t.Helper()
	if err := d.R.QueryRow(`SELECT status, attempts FROM outbox WHERE address = $1`, address).
		Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	return status, attempts
}

func TestWorkerDeliversRetriesAndGivesUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var msgs []outbox.Message
			for _, a := range []string{"ok", "bad", "down"} {
				msgs = append(msgs, outbox.Message{Channel: outbox.SMS, Address: a, Kind: "reply", Body: "halo"})
			}
			return outbox.Enqueue(ctx, tx, msgs...)
		})
		if err != nil {
			t.Fatal(err)
		}
		g := &gateway{}
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
		if n, err := w.RunOnce(ctx); err != nil || n != 3 {
			t.Fatalf("first run claimed %d, %v; want 3", n, err)
		}
		if s, _ := statusOf(t, d, "ok"); s != outbox.Sent {
			t.Errorf("accepted message is %s, want sent", s)
		}
		if s, _ := statusOf(t, d, "bad"); s != outbox.Dead {
			t.Errorf("refused message is %s, want dead at once", s)
		}
		if s, a := statusOf(t, d, "down"); s != outbox.Pending || a != 1 {
			t.Errorf("failed message is %s after %d attempts, want pending after 1", s, a)
		}
		// Not due again until its backoff ends: nothing to claim now.
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("a message in backoff was claimed again")
		}
		// The last attempt fails: dead.
		w.MaxAttempts = 2
		if _, err := d.W.Exec(`UPDATE outbox SET next_at = $1 WHERE address = 'down'`, time.Now().UTC().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		w.RunOnce(ctx)
		if s, a := statusOf(t, d, "down"); s != outbox.Dead || a != 2 {
			t.Errorf("message is %s after %d attempts, want dead after 2", s, a)
		}
		// The admin retries it once the gateway is back.
		var id int64
		d.R.QueryRow(`SELECT id FROM outbox WHERE address = 'down'`).Scan(&id)
		g.up = true
		if ok, err := outbox.Retry(ctx, d.W, id); !ok || err != nil {
			t.Fatalf("retry: %v, %v", ok, err)
		}
		w.RunOnce(ctx)
		if s, _ := statusOf(t, d, "down"); s != outbox.Sent {
			t.Errorf("retried message is %s, want sent", s)
		}
		if ok, _ := outbox.Retry(ctx, d.W, id); ok {
			t.Errorf("a sent message was put back in line")
		}
		// The delivery report, by the gateway's id.
		if err := outbox.ReportProvider(ctx, d.W, outbox.SMS, "gw-down", true, ""); err != nil {
			t.Fatal(err)
		}
		if s, _ := statusOf(t, d, "down"); s != outbox.Delivered {
			t.Errorf("reported message is %s, want delivered", s)
		}
		if len(g.sent) != 2 {
			t.Errorf("gateway got %v, want each good message once", g.sent)
		}
	})
}

func TestWorkerTakesOverAMessageWhoseLeaseRanOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := outbox.Enqueue(ctx, d.W, outbox.Message{Channel: outbox.Email, Address: "a@example.test",
			Kind: "reply", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		// A worker that claimed it and died: sending, lease over.
		if _, err := d.W.Exec(`UPDATE outbox SET status = 'sending', attempts = 1, next_at = $1`,
			time.Now().UTC().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		g := &gateway{}
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.Email: g})
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("claimed %d, %v; want the abandoned message", n, err)
		}
		if s, a := statusOf(t, d, "a@example.test"); s != outbox.Sent || a != 2 {
			t.Errorf("message is %s after %d attempts, want sent after 2", s, a)
		}
	})
}

func TestWorkerKeepsNoGatewayPasswordInAFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := outbox.Enqueue(ctx, d.W, outbox.Message{Channel: outbox.SMS, Address: "+6281100000001",
			Kind: "reply", Body: "halo"}); err != nil {
			t.Fatal(err)
		}
		// What net/http answers when Kannel is down: the whole address.
		g := senderFunc(func(context.Context, outbox.Message) (string, error) {
			return "", fmt.Errorf("kannel: %w", &url.Error{Op: "Get",
				URL: "http://lontara:s3cr3t-pw@127.0.0.1:13013/cgi-bin/sendsms?username=lontara&password=s3cr3t-pw&dlr-url=x%3Fsecret%3Ds3cr3t-pw",
				Err: errors.New("connection refused")})
		})
		w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: g})
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		var last string
		if err := d.R.QueryRow(`SELECT last_error FROM outbox`).Scan(&last); err != nil {
			t.Fatal(err)
		}
		want := `kannel: Get "http://127.0.0.1:13013/cgi-bin/sendsms": connection refused`
		if last != want {
			t.Errorf("last error %q, want %q", last, want)
		}
	})
}
