package kannel

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/web"
)

// Handler is where Kannel calls Lontara: its sms-service hands over each
// SMS that came in (MO), and its delivery reports tell what became of the
// SMS the outbox handed to sendsms.
type Handler struct {
	db     *db.DB
	texts  *inbound.Texts
	secret []byte
}

// NewHandler returns the endpoints of Kannel's calls, which must present
// secret (an empty secret refuses every call).
func NewHandler(d *db.DB, texts *inbound.Texts, secret string) *Handler {
	return &Handler{db: d, texts: texts, secret: []byte(secret)}
}

// Routes registers the endpoints kannel.conf names:
//
//	sms-service get-url: /channels/sms/kannel?secret=…&from=%p&to=%P&text=%b&id=%I
//	dlr-url (set by the sender): /channels/sms/kannel/dlr?secret=…&id=<outbox id>&status=%d
func (h *Handler) Routes(rt *web.Router) {
	rt.Gateway("GET /channels/sms/kannel", 8<<10, h.receive)
	rt.Gateway("GET /channels/sms/kannel/dlr", 8<<10, h.report)
}

// allowed checks the caller's secret in constant time; a refusal is
// logged (without what was presented) and answered 403.
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request) bool {
	got := []byte(r.URL.Query().Get("secret"))
	if len(h.secret) > 0 && subtle.ConstantTimeCompare(got, h.secret) == 1 {
		return true
	}
	slog.Warn("kannel: call refused: wrong or missing secret", "path", r.URL.Path, "ip", web.ClientIP(r),
		"secret_given", len(got) > 0)
	http.Error(w, "forbidden", http.StatusForbidden)
	return false
}

// receive takes one SMS from Kannel's sms-service. Kannel's answer is
// 200 with an empty body whatever became of the text (kannel.conf has
// max-messages = 0: our answer goes out through the outbox, not this
// body); only a failure of our own (the database) is a 500, which makes
// Kannel deliver the SMS again, and the message's id keeps that second
// delivery from acting twice.
func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	q := r.URL.Query()
	t := inbound.Text{Channel: outbox.SMS, ExternalID: q.Get("id"), From: q.Get("from"), To: q.Get("to"),
		Body: q.Get("text")}
	if t.ExternalID == "" {
		// Without Kannel's %I a redelivery could not be told apart.
		slog.Warn("kannel: SMS refused: no id (the get-url lacks id=%I)", "from", t.From)
		http.Error(w, "id (%I) is required", http.StatusBadRequest)
		return
	}
	res, err := h.texts.Receive(r.Context(), t)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			slog.Warn("kannel: SMS refused", "id", t.ExternalID, "err", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		slog.Error("kannel: SMS not taken, Kannel will deliver it again", "id", t.ExternalID, "err", err)
		http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
		return
	}
	slog.Info("kannel: SMS received", "id", t.ExternalID, "status", res.Status, "ticket", res.Ticket,
		"duplicate", res.Duplicate)
	w.WriteHeader(http.StatusOK)
}

// Kannel's delivery report types (%d), as dlr-mask 27 asks for them.
const (
	dlrDelivered = 1
	dlrFailed    = 2
	dlrBuffered  = 4
	dlrAccepted  = 8
	dlrRejected  = 16
)

// report takes a delivery report for one part of an outbox message. A
// long message is several SMS, each reporting under the message's id, and
// the message's state is kept simple: a part that failed (or the SMSC
// rejected) fails the message, and no later report undoes that; else the
// first part delivered marks it delivered. "Buffered" and "accepted by the
// SMSC" are steps on the way and leave it sent. A report for an unknown
// message is answered 200 and logged: Kannel has nothing to retry.
func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r) {
		return
	}
	q := r.URL.Query()
	id, errID := strconv.ParseInt(q.Get("id"), 10, 64)
	kind, errKind := strconv.Atoi(q.Get("status"))
	if errID != nil || errKind != nil {
		slog.Warn("kannel: delivery report without a valid id or status", "id", q.Get("id"), "status", q.Get("status"))
		http.Error(w, "id and status must be numbers", http.StatusBadRequest)
		return
	}
	var delivered bool
	switch kind {
	case dlrDelivered:
		delivered = true
	case dlrFailed, dlrRejected:
	case dlrBuffered, dlrAccepted: // steps on the way: still sent
		w.WriteHeader(http.StatusOK)
		return
	default:
		slog.Warn("kannel: delivery report of a type not asked for", "id", id, "status", kind)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.record(r.Context(), id, delivered, kind); err != nil {
		slog.Error("kannel: delivery report not recorded", "id", id, "err", err)
		http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// record hands a report of one part to the outbox, which settles the order
// of reports (a failed part fails the message; a delivered one never
// undoes that). A report for a message that is not ours is logged.
func (h *Handler) record(ctx context.Context, id int64, delivered bool, kind int) error {
	return h.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := h.known(ctx, tx, id, kind); errors.Is(err, errUnknown) {
			return nil
		} else if err != nil {
			return err
		}
		detail := "kannel: failed"
		if kind == dlrRejected {
			detail = "kannel: rejected by the SMSC"
		}
		return outbox.Report(ctx, tx, outbox.SMS, id, delivered, detail)
	})
}

var errUnknown = errors.New("kannel: unknown message")

// known checks that id is an SMS of the outbox; a report for any other is
// logged and answers errUnknown.
func (h *Handler) known(ctx context.Context, q db.Querier, id int64, kind int) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE id = $1 AND channel = 'sms'`, id).
		Scan(&n); err != nil {
		return fmt.Errorf("kannel: report: %w", err)
	}
	if n == 0 {
		slog.Warn("kannel: delivery report for an unknown message", "id", id, "status", kind)
		return errUnknown
	}
	return nil
}
