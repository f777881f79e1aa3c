package inbound

import (
	"context"
	"errors"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
)

// Text is one text message that came in by SMS or WhatsApp.
type Text struct {
	Channel    string // "sms" or "whatsapp"
	ExternalID string // the gateway's id for it
	From       string // the sender's number as the gateway gave it
	To         string // the number it was sent to
	Body       string
}

// Result is what became of a text: its status in the log, the ticket it
// opened or went to, and the answer written to the outbox.
type Result struct {
	Status    string `json:"status"`
	Ticket    string `json:"ticket,omitempty"`
	Reply     string `json:"reply,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// Texts answers the texts that come in by SMS and WhatsApp: a command
// (STATUS, BANTUAN/HELP, NILAI/RATE) is answered, any other text opens a
// ticket for the employee whose phone it came from, or for an outside
// contact, and is answered with the ticket's number.
type Texts struct {
	db   *db.DB
	desk *helpdesk.Service
}

// NewTexts returns the conversation over d and the help desk.
func NewTexts(d *db.DB, desk *helpdesk.Service) *Texts { return &Texts{db: d, desk: desk} }

// Receive acts on one text: it is logged, acted on and answered (the
// answer written to the outbox on the text's own channel) in one
// transaction. A text already received answers Duplicate and does nothing.
func (x *Texts) Receive(ctx context.Context, t Text) (Result, error) {
	return Result{}, errors.New("inbound: texts are not handled yet")
}
