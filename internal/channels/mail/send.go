// Package mail is email in and out: mail leaves through an SMTP relay
// (STARTTLS when the relay offers it, AUTH when a user is configured) and
// comes in through a built-in SMTP listener (listen.go).
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
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
	if err := s.deliver(ctx, m.Address, msg); err != nil {
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
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return classify(err)
		}
	}
	if s.cfg.User != "" {
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
	return c.Quit()
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

func domainOf(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		from = a.Address
	}
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		return d
	}
	return "lontara.invalid"
}

// Compose writes the message m as mail: UTF-8 text, quoted-printable,
// marked Auto-Submitted so that auto-responders do not answer it, threaded
// on m.Ref.
func Compose(cfg Config, m outbox.Message, id string) ([]byte, error) {
	if _, err := mail.ParseAddress(m.Address); err != nil {
		return nil, fmt.Errorf("mail: address %q: %w", m.Address, err)
	}
	subject := m.Subject
	if m.Ref != "" {
		subject = "[" + m.Ref + "] " + subject
	}
	body := m.Body
	if m.Link != "" && cfg.BaseURL != "" {
		body += "\n\n" + strings.TrimRight(cfg.BaseURL, "/") + m.Link
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", cfg.From)
	h("To", m.Address)
	h("Subject", mime.QEncoding.Encode("utf-8", subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("Message-ID", id)
	if m.Ref != "" {
		t := ThreadID(m.Ref, cfg.From)
		h("In-Reply-To", t)
		h("References", t)
	}
	h("Auto-Submitted", "auto-generated")
	h("MIME-Version", "1.0")
	h("Content-Type", `text/plain; charset="utf-8"`)
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
