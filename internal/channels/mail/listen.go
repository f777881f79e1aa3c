package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Listener is the built-in SMTP server mail comes in by. We chose a
// listener over polling a mailbox by IMAP: mail arrives the moment it is
// sent, with no password to a mailbox kept here, and the sending server
// hears our answer in the SMTP session itself (a refused or too large mail
// bounces to its sender, a temporary failure is retried by their server),
// so nothing is lost between two polls. A city points the MX of a
// subdomain at it, a forwarding rule of its mail server, or puts Postfix
// in front (relay_domains + transport to this port) for spam filtering
// and TLS.
type Listener struct {
	srv   *smtp.Server
	inbox *Inbox
	// domain is the part after @ of the help desk's address: mail to any
	// address there is taken (bantuan@, helpdesk@ …), to others refused.
	domain string
	// sem bounds the mails parsed and acted on at once: parsing copies a
	// mail's parts, so memory grows with each mail handled in parallel.
	sem chan struct{}
}

// maxParallel is how many mails are parsed at once; the others wait.
const maxParallel = 4

// ListenConfig bounds what the listener takes.
type ListenConfig struct {
	// MaxMessageBytes is the largest mail taken: the help desk's largest
	// request with files, plus two fifths for base64 and its line
	// breaks (552 past it).
	MaxMessageBytes int64
	MaxRecipients   int
	// Timeout bounds each read and write of a session: a client that
	// stalls is dropped.
	Timeout time.Duration
}

// NewListener returns the listener of inbox. Its limits come from the help
// desk's file limits unless cfg sets them.
func NewListener(inbox *Inbox, cfg ListenConfig) *Listener {
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = inbox.desk.FileLimits().Request() * 7 / 5
	}
	if cfg.MaxRecipients == 0 {
		cfg.MaxRecipients = 20
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	l := &Listener{inbox: inbox, sem: make(chan struct{}, maxParallel)}
	if _, d, ok := strings.Cut(inbox.from, "@"); ok {
		l.domain = d
	}
	s := smtp.NewServer(l)
	s.Domain = l.domain
	s.MaxMessageBytes = cfg.MaxMessageBytes
	s.MaxRecipients = cfg.MaxRecipients
	s.ReadTimeout, s.WriteTimeout = cfg.Timeout, cfg.Timeout
	s.ErrorLog = slogLogger{}
	l.srv = s
	return l
}

// Serve answers connections on ln until Shutdown.
func (l *Listener) Serve(ln net.Listener) error {
	err := l.srv.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking connections and waits for the sessions under way
// (each mail is acted on in one transaction) until ctx ends.
func (l *Listener) Shutdown(ctx context.Context) error { return l.srv.Shutdown(ctx) }

// Listen starts a listener of inbox on addr. It stops when ctx ends or
// stop is called; stop waits for the sessions under way (up to 10 s) and
// for the listener to have stopped.
func Listen(ctx context.Context, addr string, inbox *Inbox) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	l := NewListener(inbox, ListenConfig{})
	slog.Info("mail: SMTP listener", "addr", ln.Addr().String(), "domain", l.domain)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := l.Serve(ln); err != nil {
			slog.Error("mail: SMTP listener", "err", err)
		}
	}()
	var once sync.Once
	shutdown := func() {
		once.Do(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := l.Shutdown(sctx); err != nil {
				_ = l.srv.Close()
			}
		})
	}
	go func() {
		select {
		case <-ctx.Done():
			shutdown()
		case <-done:
		}
	}()
	return func() { shutdown(); <-done }, nil
}

// NewSession starts an SMTP session (go-smtp's Backend).
func (l *Listener) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{l: l, remote: c.Conn().RemoteAddr().String()}, nil
}

// session is one SMTP conversation: any number of mails.
type session struct {
	l       *Listener
	remote  string
	envFrom string // "" for the null sender <>
}

func (s *session) Reset()        { s.envFrom = "" }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.envFrom = strings.ToLower(from)
	return nil
}

// Rcpt takes mail for the help desk's domain only: the listener is no
// relay.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	_, d, _ := strings.Cut(strings.ToLower(to), "@")
	if d == "" || d != s.l.domain {
		slog.Info("mail: refused recipient", "remote", s.remote, "to", to)
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "No such user here: this server takes mail for " + s.l.domain + " only"}
	}
	return nil
}

// Data reads the mail and acts on it before answering, so that 250 means
// it is stored.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // the size limit: go-smtp answers 552 5.3.4
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	select {
	case s.l.sem <- struct{}{}:
		defer func() { <-s.l.sem }()
	case <-ctx.Done():
		slog.Warn("mail: busy, deferred", "remote", s.remote)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 2},
			Message: "Too busy to take the message now; try again later"}
	}
	out, err := s.l.inbox.Receive(ctx, s.envFrom, raw)
	switch {
	case errors.Is(err, ErrNoFrom):
		slog.Warn("mail: refused, no valid From", "remote", s.remote, "envelope_from", s.envFrom)
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 7},
			Message: "Message has no valid From address; it was not accepted"}
	case errors.Is(err, ErrUnreadable):
		slog.Warn("mail: refused, unreadable", "remote", s.remote, "err", err)
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "Message header cannot be read; it was not accepted"}
	case err != nil:
		slog.Error("mail: receiving", "remote", s.remote, "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Temporary failure storing the message; try again later"}
	}
	slog.Info("mail: received", "remote", s.remote, "status", out.Status, "ticket", out.Ticket,
		"duplicate", out.Duplicate, "reason", out.Reason)
	return nil
}

// slogLogger sends go-smtp's own complaints (a broken connection) to the
// log.
type slogLogger struct{}

func (slogLogger) Printf(format string, v ...any) {
	slog.Debug("mail: smtp", "msg", fmt.Sprintf(format, v...))
}
func (slogLogger) Println(v ...any) { slog.Debug("mail: smtp", "msg", fmt.Sprint(v...)) }
