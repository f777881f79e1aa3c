// Package kannel speaks to Kannel, the SMS gateway: messages go out through
// its smsbox's sendsms interface, and its sms-service and delivery reports
// call back into Lontara (handler.go).
package kannel

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/outbox"
)

// Config is how Lontara reaches Kannel and how Kannel reaches Lontara.
type Config struct {
	SendSMSURL string // smsbox's sendsms address, http://host:13013/cgi-bin/sendsms
	User       string // a sendsms-user of kannel.conf
	Password   string
	Sender     string // the sender id messages go out with
	Secret     string // what Kannel presents when it calls us (secret=…)
	// BaseURL is the address Kannel reaches this server at, for the
	// delivery reports (…/channels/sms/kannel/dlr).
	BaseURL string
}

// Sender hands SMS to Kannel's sendsms interface.
type Sender struct {
	cfg    Config
	client *http.Client
}

// NewSender returns a sender to the Kannel cfg names. Its client keeps
// connections open: the outbox hands over many messages at once.
func NewSender(cfg Config) *Sender {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &Sender{cfg: cfg, client: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// Send hands one message to Kannel, in parts when it is long (Split); each
// part asks for a delivery report naming the message's id. The id is what
// Send returns.
//
// A part that Kannel does not take once a part before it was taken makes
// the error permanent: the outbox's retry would send the whole message
// again, parts already on the person's phone included, and there is no
// record of which parts went to resume from. The message goes dead with
// the parts sent named in its error; an admin's retry (outbox.Retry) sends
// every part again, knowingly. Separate parts are kept rather than one
// sendsms call that Kannel concatenates (see Split): only the first part's
// failure, with nothing sent, is retried as before.
func (s *Sender) Send(ctx context.Context, m outbox.Message) (string, error) {
	parts := Split(Text(m, s.cfg.BaseURL))
	for i, part := range parts {
		if err := s.sendPart(ctx, m, part); err != nil {
			if i > 0 {
				err = outbox.Permanent(fmt.Errorf("part %d of %d not taken after %d sent "+
					"(not retried, so the parts sent are not sent twice): %w", i+1, len(parts), i, err))
			}
			return "", err
		}
	}
	return strconv.FormatInt(m.ID, 10), nil
}

func (s *Sender) sendPart(ctx context.Context, m outbox.Message, text string) error {
	dlr := strings.TrimRight(s.cfg.BaseURL, "/") + "/channels/sms/kannel/dlr?" + url.Values{
		"secret": {s.cfg.Secret}, "id": {strconv.FormatInt(m.ID, 10)}}.Encode() + "&status=%d"
	q := url.Values{
		"to": {m.Address}, "text": {text}, "charset": {"UTF-8"},
		"dlr-mask": {"27"}, // delivered, failed, accepted by the SMSC, rejected by it
		"dlr-url":  {dlr},
	}
	// The user may be in the sendsms address already (as scripts/
	// kannel-start.sh prints it) or given apart.
	if s.cfg.User != "" {
		q.Set("username", s.cfg.User)
		q.Set("password", s.cfg.Password)
	}
	if s.cfg.Sender != "" {
		q.Set("from", s.cfg.Sender)
	}
	if !GSM(text) {
		q.Set("coding", "2") // UCS-2: what a GSM-7 SMS cannot carry
	}
	sep := "?"
	if strings.Contains(s.cfg.SendSMSURL, "?") {
		sep = "&"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.SendSMSURL+sep+q.Encode(), nil)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("kannel: %w", err))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("kannel: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	// Kannel answers 202 "0: Accepted for delivery" (200 when it was
	// queued); 403 a wrong user, 400 a message it will never take, 503
	// a bearerbox it cannot reach for now.
	switch {
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusAccepted:
		return nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return outbox.Permanent(fmt.Errorf("kannel: %s: %s", resp.Status, strings.TrimSpace(string(body))))
	}
	return fmt.Errorf("kannel: %s: %s", resp.Status, strings.TrimSpace(string(body)))
}

// Text is what an SMS of m says: its body, and the page it links to when
// there is one and the server's address is known.
func Text(m outbox.Message, baseURL string) string {
	text := m.Body
	if m.Kind == "reply" && m.Ref != "" {
		text = m.Ref + ": " + text
	}
	if m.Link != "" && baseURL != "" && m.Kind != "reply" {
		text += " " + strings.TrimRight(baseURL, "/") + m.Link
	}
	return text
}
