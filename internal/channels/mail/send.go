// Package mail is email in and out: mail leaves through an SMTP relay
// (STARTTLS when the relay offers it, AUTH when a user is configured) and
// comes in through a built-in SMTP listener (listen.go).
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/outbox"
)

// Config is how mail leaves and under which address.
type Config struct {
	Relay    string // HOST:PORT
	User     string // AUTH user; empty: no AUTH
	Password string
	From     string // the help desk's address
	// BaseURL is the server's public address, for links in messages.
	BaseURL string
}

// Sender hands mail to the relay, one SMTP session a message.
type Sender struct{ cfg Config }

// NewSender returns a sender through the relay cfg names.
func NewSender(cfg Config) *Sender { return &Sender{cfg: cfg} }

// Send delivers m to the relay and returns its Message-ID.
func (s *Sender) Send(ctx context.Context, m outbox.Message) (string, error) {
	id := MessageID(m.ID, s.cfg.From)
	msg, err := Compose(s.cfg, m, id)
	if err != nil {
		return "", outbox.Permanent(err)
	}
	to, err := mail.ParseAddress(m.Address)
	if err != nil {
		return "", outbox.Permanent(fmt.Errorf("mail: address %q: %w", m.Address, err))
	}
	if err := s.deliver(ctx, to.Address, msg); err != nil {
		return "", err
	}
	return id, nil
}

// deliver runs one SMTP session. A 5xx reply is permanent: the relay
// will not take the message as it is.
func (s *Sender) deliver(ctx context.Context, to string, msg []byte) error {
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Relay)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	host, _, _ := net.SplitHostPort(s.cfg.Relay)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return classify(err)
	}
	defer c.Close()
	secure := false
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return classify(err)
		}
		secure = true
	}
	if s.cfg.User != "" {
		if err := authAllowed(secure, s.cfg.Relay); err != nil {
			return err
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.User, s.cfg.Password, host)); err != nil {
			return classify(err)
		}
	}
	from := s.cfg.From
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.Address
	}
	if err := c.Mail(from); err != nil {
		return classify(err)
	}
	if err := c.Rcpt(to); err != nil {
		return classify(err)
	}
	w, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify(err)
	}
	if err := w.Close(); err != nil {
		return classify(err)
	}
	// The relay said 250 to the message: it is theirs. A failed QUIT
	// after that must not make the worker send it again.
	_ = c.Quit()
	return nil
}

// classify marks a 5xx SMTP reply permanent; everything else (4xx, a
// dropped connection) is worth retrying.
func classify(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return outbox.Permanent(fmt.Errorf("mail: %w", err))
	}
	return fmt.Errorf("mail: %w", err)
}

// MessageID is the Message-ID of outbox message id: stable, so a message
// sent twice (the worker died after the relay took it) is the same
// message to the reader's mail program.
func MessageID(id int64, from string) string {
	return "<lontara." + strconv.FormatInt(id, 10) + "@" + domainOf(from) + ">"
}

// ThreadID is the Message-ID every mail about ref (a ticket's number)
// answers, so mail programs thread them and a reply names the ticket in
// its In-Reply-To and References.
func ThreadID(ref, from string) string {
	return "<" + strings.ToLower(ref) + "@" + domainOf(from) + ">"
}

// authAllowed refuses AUTH over a clear connection to anything but this
// machine, as net/smtp does, in words an operator acts on. The error is
// not Permanent: the fault is the relay's (or a network that strips
// STARTTLS, exactly when the password must not go out), not the
// message's, so every message waits with backoff and goes out once the
// relay offers STARTTLS again, instead of all going dead at once.
func authAllowed(secure bool, relay string) error {
	host, _, _ := net.SplitHostPort(relay)
	if secure || isLocal(host) {
		return nil
	}
	return fmt.Errorf("mail: relay %s offers no STARTTLS: the SMTP password is not sent unencrypted", relay)
}

// isLocal reports whether host is this machine, where net/smtp allows
// AUTH without TLS.
func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func domainOf(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.Address
	}
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		return d
	}
	return "lontara.invalid"
}

// addressOf is the bare address of from ("Name <a@b>" → "a@b"), lower case.
func addressOf(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.Address
	}
	return strings.ToLower(strings.TrimSpace(from))
}
