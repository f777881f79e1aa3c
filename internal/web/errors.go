package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/lontara-id/lontara/internal/errs"
)

// status maps each error code to its HTTP status, in one place.
func status(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict, errs.Collided:
		return http.StatusConflict
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.Precondition:
		return http.StatusPreconditionRequired
	case tooLarge:
		return http.StatusRequestEntityTooLarge
	case badMediaType:
		return http.StatusUnsupportedMediaType
	case clientGone:
		return statusClientClosed
	}
	return http.StatusInternalServerError
}

// Codes only the web layer produces: they describe the request, not the domain.
const (
	tooLarge     errs.Code = "too_large"
	badMediaType errs.Code = "unsupported_media_type"
	clientGone   errs.Code = "client_closed"
)

// statusClientClosed is what a request the client gave up on is counted
// and logged as (nginx's 499): no one reads the answer, and it is not the
// server's fault, so it must not show in the 5xx an operator watches.
const statusClientClosed = 499

// ProblemField names an offending field in a problem+json body.
type ProblemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem document with Lontara's errors member.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Code      string         `json:"code"`
	Errors    []ProblemField `json:"errors,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
}

// problemOf turns err into a problem in lang. Errors that are not *errs.Error
// are our fault: logged with the request id, shown only as "internal".
func problemOf(r *http.Request, err error, lang string) Problem {
	e := errs.As(err)
	if e == nil && errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled) {
		// The client closed the connection (a browser tab closed, a load
		// generator stopping): the work it asked for was cut short for it.
		e = errs.New(clientGone, "internal")
	}
	if e == nil {
		slog.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		e = errs.New(errs.Internal, "internal")
	}
	st := status(e.Code)
	title := http.StatusText(st)
	if st == statusClientClosed {
		title = "Client Closed Request"
	}
	p := Problem{
		Type:      "about:blank",
		Title:     title,
		Status:    st,
		Detail:    errs.New(e.Code, e.Key, e.Args...).Message(lang),
		Code:      string(e.Code),
		RequestID: RequestID(r.Context()),
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Field: f.Name, Message: f.Message(lang)})
	}
	return p
}

// WriteProblem answers an API request with err as application/problem+json.
func WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(r, err, apiLang(r))
	if e := errs.As(err); e != nil && e.Code == errs.TooMany && len(e.Args) > 0 {
		if secs, ok := e.Args[0].(int); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // don't keep a rare huge answer's buffer alive
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		slog.Error("encode JSON answer", "err", err)
		http.Error(w, `{"status":500}`, http.StatusInternalServerError)
		return
	}
	// Encoding whole before writing lets the answer carry its length and go
	// out in one write; streaming it through the connection's 4 KiB buffer
	// took a write system call per 4 KiB and chunked encoding.
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// jsonBuffers recycles the buffers answers are encoded into.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// WriteCreated answers 201 with the created resource and where it lives,
// as every POST that creates something does.
func WriteCreated(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	WriteJSON(w, http.StatusCreated, v)
}

// errNotFound is the error for a route that does not exist.
var errNotFound = errs.New(errs.NotFound, "not_found")
