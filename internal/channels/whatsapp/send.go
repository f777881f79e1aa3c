// Package whatsapp speaks the WhatsApp Business Cloud API: text messages
// leave through its /{phone-id}/messages endpoint (send.go), and Meta's
// webhook hands over the messages people send and the statuses of ours
// (webhook.go).
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/lontara-id/lontara/internal/outbox"
)

// Config is how Lontara reaches the Cloud API.
type Config struct {
	// APIURL is the Graph API's address with its version,
	// https://graph.facebook.com/v21.0.
	APIURL string
	// PhoneID is the id of the business phone number messages leave from
	// (not the number itself).
	PhoneID string
	// Token is the access token (a system user's, for a deployment).
	Token string
	// BaseURL is the server's public address, for links in messages.
	BaseURL string
}

// MaxText is the longest body the Cloud API takes for a text message, in
// characters (counted here as UTF-16 code units, the stricter reading).
const MaxText = 4096

// Sender hands text messages to the Cloud API.
type Sender struct {
	cfg    Config
	client *http.Client
}

// NewSender returns a sender through the Cloud API cfg names. Its client
// keeps connections open: the outbox hands over many messages at once.
func NewSender(cfg Config) *Sender {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	return &Sender{cfg: cfg, client: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// request is the Cloud API's body for a text message.
type request struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Text             struct {
		PreviewURL bool   `json:"preview_url"`
		Body       string `json:"body"`
	} `json:"text"`
}

// response is what the Cloud API answers a message it took.
type response struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// APIError is the Graph API's error object.
type APIError struct {
	Message   string `json:"message"`
	Type      string `json:"type"`
	Code      int    `json:"code"`
	Subcode   int    `json:"error_subcode,omitempty"`
	ErrorData *struct {
		MessagingProduct string `json:"messaging_product"`
		Details          string `json:"details"`
	} `json:"error_data,omitempty"`
	FBTraceID string `json:"fbtrace_id"`
}

// Send hands m to the Cloud API as a text message and returns its wamid,
// which the statuses on the webhook name.
func (s *Sender) Send(ctx context.Context, m outbox.Message) (string, error) {
	to := Digits(m.Address)
	if to == "" {
		return "", outbox.Permanent(fmt.Errorf("whatsapp: %q is not a phone number", m.Address))
	}
	var in request
	in.MessagingProduct, in.RecipientType, in.To, in.Type = "whatsapp", "individual", to, "text"
	in.Text.Body = Text(m, s.cfg.BaseURL)
	body, err := json.Marshal(in)
	if err != nil {
		return "", outbox.Permanent(fmt.Errorf("whatsapp: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.APIURL+"/"+s.cfg.PhoneID+"/messages",
		bytes.NewReader(body))
	if err != nil {
		return "", outbox.Permanent(fmt.Errorf("whatsapp: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	resp, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("whatsapp: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("whatsapp: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return "", failure(resp.StatusCode, answer)
	}
	var out response
	if err := json.Unmarshal(answer, &out); err != nil || len(out.Messages) == 0 || out.Messages[0].ID == "" {
		// It was taken (2xx) but named no message: sending again could
		// deliver it twice, so the admin decides.
		return "", outbox.Permanent(fmt.Errorf("whatsapp: %s without a message id: %.200s", resp.Status, answer))
	}
	return out.Messages[0].ID, nil
}

// retried are the Graph API's codes worth trying again later whatever the
// HTTP status says: throttling (4, 80007, 130429, 131048, 131056), Meta's
// own trouble (1, 2, 131000, 131016, 133004) and an expired or revoked
// token (190), which the admin renews while the message waits.
var retried = []int{1, 2, 4, 190, 80007, 130429, 131000, 131016, 131048, 131056, 133004}

// failure turns an error answer into the outbox's error: 429, 5xx and the
// retried codes are tried again, any other 4xx (an invalid number, a
// recipient outside the 24-hour window, a message refused) is permanent.
func failure(status int, answer []byte) error {
	var e struct {
		Error *APIError `json:"error"`
	}
	var err error
	if json.Unmarshal(answer, &e) == nil && e.Error != nil {
		err = fmt.Errorf("whatsapp: %d: %w", status, e.Error)
	} else {
		err = fmt.Errorf("whatsapp: %d: %.200s", status, answer)
	}
	switch {
	case status == http.StatusTooManyRequests || status >= 500 || status == http.StatusUnauthorized:
		return err
	case e.Error != nil && slices.Contains(retried, e.Error.Code):
		return err
	}
	return outbox.Permanent(err)
}

// Error is the error as the outbox keeps it: the code, Meta's message and
// details, and the trace id Meta's support asks for.
func (e *APIError) Error() string {
	s := fmt.Sprintf("(#%d) %s", e.Code, e.Message)
	if e.ErrorData != nil && e.ErrorData.Details != "" {
		s += ": " + e.ErrorData.Details
	}
	if e.FBTraceID != "" {
		s += " [fbtrace_id " + e.FBTraceID + "]"
	}
	return s
}

// Digits is a phone number as the Cloud API takes it: digits only, with
// the country code and no +.
func Digits(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text is what the message of m says: a reply names its ticket first, a
// notification ends with the page it links to; a body too long for one
// message is cut short with "…", keeping the ticket and the link.
func Text(m outbox.Message, baseURL string) string {
	head, tail := "", ""
	if m.Kind == "reply" && m.Ref != "" {
		head = m.Ref + ": "
	}
	if m.Link != "" && baseURL != "" && m.Kind != "reply" {
		tail = " " + strings.TrimRight(baseURL, "/") + m.Link
	}
	body := strings.TrimSpace(m.Body)
	room := MaxText - units(head) - units(tail)
	if units(body) > room {
		body = cut(body, room-1) + "…"
	}
	return head + body + tail
}

// units counts s in UTF-16 code units.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

// cut returns the longest start of s of at most n UTF-16 code units.
func cut(s string, n int) string {
	used := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if used+w > n {
			return strings.TrimRight(s[:i], " \n")
		}
		used += w
	}
	return s
}
