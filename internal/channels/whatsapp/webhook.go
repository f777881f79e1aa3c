package whatsapp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/web"
)

// MaxBody is the largest webhook post taken. Meta batches at most a few
// messages and statuses in one; a text is at most 4,096 characters.
const MaxBody = 1 << 20

// HookConfig is what Meta's webhook is checked against.
type HookConfig struct {
	// VerifyToken is what the verification handshake must present
	// (hub.verify_token), as entered in the app's webhook settings.
	VerifyToken string
	// AppSecret signs every post (X-Hub-Signature-256).
	AppSecret string
	// PhoneID is this deployment's business phone number id: changes for
	// other numbers of the same business account are not ours. Empty
	// takes every number's.
	PhoneID string
}

// Receiver acts on a text that came in: inbound.Texts.
type Receiver interface {
	Receive(ctx context.Context, t inbound.Text) (inbound.Result, error)
}

// Handler is Meta's webhook for WhatsApp: the handshake that registers
// it, and the posts of messages and statuses.
type Handler struct {
	db    *db.DB
	texts Receiver
	cfg   HookConfig
}

// NewHandler returns the webhook over d, handing texts to texts.
func NewHandler(d *db.DB, texts Receiver, cfg HookConfig) *Handler {
	return &Handler{db: d, texts: texts, cfg: cfg}
}

// Routes registers the webhook as a gateway: Meta calls it without a
// session, proving itself with the verify token and the signature.
func (h *Handler) Routes(rt *web.Router) {
	rt.Gateway("GET /channels/whatsapp/webhook", 4<<10, h.verify)
	rt.Gateway("POST /channels/whatsapp/webhook", MaxBody, h.receive)
}

// verify answers the handshake Meta makes when the webhook is registered:
// the challenge back, as plain text, when the token is ours.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || h.cfg.VerifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(h.cfg.VerifyToken)) != 1 {
		slog.Warn("whatsapp: webhook verification refused", "mode", q.Get("hub.mode"), "ip", web.ClientIP(r))
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	challenge := q.Get("hub.challenge")
	if challenge == "" || len(challenge) > 256 {
		http.Error(w, "hub.challenge is missing", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.WriteString(w, challenge)
}

// receive takes one post: checked by its signature before anything is
// read from it, then every message and status in it acted on. It answers
// 200 once all are stored, 5xx only when storing failed (Meta posts again,
// and what was stored already is not acted on twice).
func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			slog.Warn("whatsapp: webhook post too large", "limit", MaxBody, "ip", web.ClientIP(r))
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	if !h.signed(r.Header.Get("X-Hub-Signature-256"), body) {
		slog.Warn("whatsapp: webhook post refused: bad or missing signature", "ip", web.ClientIP(r),
			"signed", r.Header.Get("X-Hub-Signature-256") != "", "bytes", len(body))
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		slog.Warn("whatsapp: webhook post refused: not the Cloud API's JSON", "err", err, "ip", web.ClientIP(r))
		http.Error(w, "malformed JSON", http.StatusBadRequest)
		return
	}
	if err := h.handle(r.Context(), p); errors.Is(err, errNotYet) {
		slog.Info("whatsapp: a status came before its message was recorded; Meta will post it again")
		http.Error(w, "not yet", http.StatusServiceUnavailable)
		return
	} else if err != nil {
		slog.Error("whatsapp: webhook post not stored; Meta will post it again", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok")
}

// signed reports whether header is the HMAC-SHA256 of body under the app
// secret, compared in constant time.
func (h *Handler) signed(header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || h.cfg.AppSecret == "" {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(h.cfg.AppSecret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// payload is a webhook post: changes to a business account, of which the
// "messages" field carries messages people sent and statuses of ours.
type payload struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type value struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Messages []incoming `json:"messages"`
	Statuses []status   `json:"statuses"`
}

// incoming is a message a person sent: its wamid, their number in digits,
// its type, and for a text its body.
type incoming struct {
	ID   string `json:"id"`
	From string `json:"from"`
	Type string `json:"type"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
}

// status is what became of a message we sent, by its wamid.
type status struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"errors"`
}

// handle acts on every message and status of p, stopping at the first
// that could not be stored.
func (h *Handler) handle(ctx context.Context, p payload) error {
	if p.Object != "whatsapp_business_account" {
		slog.Info("whatsapp: webhook post for another object ignored", "object", p.Object)
		return nil
	}
	for _, e := range p.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			v := c.Value
			if h.cfg.PhoneID != "" && v.Metadata.PhoneNumberID != h.cfg.PhoneID {
				slog.Info("whatsapp: change for another phone number ignored", "phone_id", v.Metadata.PhoneNumberID)
				continue
			}
			for _, m := range v.Messages {
				if err := h.message(ctx, m, v.Metadata.DisplayPhoneNumber); err != nil {
					return err
				}
			}
			for _, s := range v.Statuses {
				if err := h.status(ctx, s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// message hands a text to the conversation; any other kind of message is
// logged and answered that only text is read.
func (h *Handler) message(ctx context.Context, m incoming, to string) error {
	if m.ID == "" || Digits(m.From) != m.From || m.From == "" {
		slog.Warn("whatsapp: message without an id or a sender's number skipped", "id", m.ID, "type", m.Type)
		return nil
	}
	if m.Type != "text" || m.Text == nil {
		return h.notText(ctx, m)
	}
	_, err := h.texts.Receive(ctx, inbound.Text{Channel: "whatsapp", ExternalID: m.ID, From: "+" + m.From,
		To: to, Body: m.Text.Body})
	if err != nil {
		return fmt.Errorf("whatsapp: message %s: %w", m.ID, err)
	}
	return nil
}

// errNotYet is a status of a message that is not recorded as sent yet:
// Meta can report a delivery before the worker has written the wamid.
var errNotYet = errors.New("whatsapp: a status came before its message was recorded")

// status records what Meta says became of a message we sent: delivered
// (and read, which is delivered) or failed with Meta's error; sent is
// what the worker recorded already.
func (h *Handler) status(ctx context.Context, s status) error {
	if s.Status != "delivered" && s.Status != "read" && s.Status != "failed" {
		return nil
	}
	inFlight, err := h.sending(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp: status %s of %s: %w", s.Status, s.ID, err)
	}
	current, err := h.outboxStatus(ctx, s.ID)
	switch {
	case err != nil:
		return fmt.Errorf("whatsapp: status %s of %s: %w", s.Status, s.ID, err)
	case current == "" && inFlight > 0:
		return errNotYet
	case current == "":
		slog.Debug("whatsapp: status of a message not ours", "wamid", s.ID)
		return nil
	}
	delivered, detail := s.Status != "failed", ""
	if !delivered {
		detail = "failed"
		if len(s.Errors) > 0 {
			e := s.Errors[0]
			detail = fmt.Sprintf("(#%d) %s", e.Code, e.Title)
			if e.ErrorData.Details != "" && e.ErrorData.Details != e.Title {
				detail += ": " + e.ErrorData.Details
			}
		}
		slog.Warn("whatsapp: message failed", "wamid", s.ID, "detail", detail)
	}
	if err := outbox.ReportProvider(ctx, h.db.W, outbox.WhatsApp, s.ID, delivered, detail); err != nil {
		return fmt.Errorf("whatsapp: status %s of %s: %w", s.Status, s.ID, err)
	}
	return nil
}
