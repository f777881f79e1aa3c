package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// DecodeJSON reads a JSON request body into v. The body must be
// application/json (415 otherwise) and at most 1 MiB (413); a field v does
// not have, or a value of the wrong type, is a 422 naming the field.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readJSON(w, r, "application/json")
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, body, v)
	}
	if dec.More() {
		return errs.New(errs.Invalid, "json_trailing")
	}
	return nil
}

// DecodePatch reads a JSON merge patch (RFC 7396): the members present, each
// still raw so a handler can tell a null (clear the field) from an absent
// member (leave it). Members not in allowed are a 422 naming them.
func DecodePatch(w http.ResponseWriter, r *http.Request, allowed ...string) (map[string]json.RawMessage, error) {
	body, err := readJSON(w, r, "application/merge-patch+json", "application/json")
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, jsonError(err, body, nil)
	}
	if m == nil { // the body was null: a merge patch must be an object
		return nil, errs.New(errs.Invalid, "json_object")
	}
	var v errs.Validation
	for k := range m {
		if !contains(allowed, k) {
			v.Add(k, "unknown_field")
		}
	}
	return m, v.Err()
}

// PatchMember decodes member name of a merge patch into *dst and reports
// whether it was present. A value of the wrong type is a field error in v;
// a null sets *dst to the zero value (which the patch types read as
// "clear") when the field is nullable, and is a "required" error when it is
// not — never a silent "leave it".
func PatchMember[T any](m map[string]json.RawMessage, v *errs.Validation, name string, dst **T, nullable bool) bool {
	present, err := PatchValue(m, name, dst)
	switch {
	case err != nil:
		v.Add(name, "json_type")
	case present && *dst == nil && nullable:
		*dst = new(T)
	case present && *dst == nil:
		v.Add(name, "required")
	}
	return present
}

// PatchValue decodes member name of a merge patch into dst, reporting
// whether it was present. A type mismatch is a 422 naming the member.
func PatchValue(m map[string]json.RawMessage, name string, dst any) (bool, error) {
	raw, ok := m[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return true, errs.FieldErr(name, valueError(err))
	}
	return true, nil
}

func readJSON(w http.ResponseWriter, r *http.Request, types ...string) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !contains(types, mt) {
		return nil, errs.New(badMediaType, "content_type", types[0])
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errs.New(tooLarge, "body_too_large", "1 MiB")
	}
	if err != nil {
		return nil, errs.New(errs.Invalid, "json_unread")
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD and \u0000 into a
	// NUL that PostgreSQL refuses: both are refused here instead.
	if !utf8.Valid(body) || bytes.Contains(body, []byte(`\u0000`)) {
		return nil, errText
	}
	return body, nil
}

// jsonError words an error decoding body into v (nil: a merge patch's map)
// for people: a field error naming the member where it can, never the
// decoder's own English.
func jsonError(err error, body []byte, v any) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return errs.FieldErr(typeErr.Field, "json_type")
	case errors.As(err, &typeErr): // the body as a whole: an array, a string
		return errs.New(errs.Invalid, "json_object")
	case errors.As(err, &syntaxErr):
		return errs.New(errs.Invalid, "json_syntax", syntaxErr.Offset)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return errs.New(errs.Invalid, "json_syntax", len(body))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return errs.FieldErr(strings.Trim(name, `"`), "unknown_field")
	}
	// A value's own decoding failed (a time that is no RFC 3339 time):
	// encoding/json does not say whose, so each member is tried alone.
	key := valueError(err)
	if name := blame(body, v, key); name != "" {
		return errs.FieldErr(name, key)
	}
	return errs.New(errs.Invalid, "invalid")
}

// blame returns the first member of the JSON object body (in name order)
// that a fresh value of v's type cannot take on its own, for the same kind
// of reason (valueError's key), "" if none can be found.
func blame(body []byte, v any, key string) string {
	var m map[string]json.RawMessage
	if v == nil || json.Unmarshal(body, &m) != nil {
		return ""
	}
	t := reflect.TypeOf(v)
	if t.Kind() != reflect.Pointer {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		one, err := json.Marshal(map[string]json.RawMessage{name: m[name]})
		if err != nil {
			continue
		}
		if err := json.Unmarshal(one, reflect.New(t.Elem()).Interface()); err != nil && valueError(err) == key {
			return name
		}
	}
	return ""
}

// valueError is the message key for a value that did not decode: a time
// has a format of its own to name.
func valueError(err error) string {
	var timeErr *time.ParseError
	if errors.As(err, &timeErr) || strings.HasPrefix(err.Error(), "Time.UnmarshalJSON") {
		return "json_time"
	}
	return "json_type"
}

// ListPage reads the limit and cursor of a list request. A limit that is
// not a number, below 1 or over 500 is a 422.
func ListPage(r *http.Request) (db.Page, error) {
	p := db.Page{Limit: db.DefaultLimit, After: r.URL.Query().Get("cursor")}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > db.MaxLimit {
			return p, errs.FieldErr("limit", "limit_range", db.MaxLimit)
		}
		p.Limit = n
	}
	return p, nil
}

// QueryID reads an optional numeric query parameter (agency_id=…).
func QueryID(r *http.Request, name string) (*int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return nil, errs.FieldErr(name, "number")
	}
	return &n, nil
}

// QueryString reads an optional text query parameter.
func QueryString(r *http.Request, name string) *string {
	if s := strings.TrimSpace(r.URL.Query().Get(name)); s != "" {
		return &s
	}
	return nil
}

// PathID reads a numeric path value ({id}); anything else is a 404, since
// no resource has that name.
func PathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, errs.New(errs.NotFound, "not_found")
	}
	return n, nil
}

// IfMatch reads the version a change is made against from If-Match, which
// carries the resource's ETag ("7" or W/"7"), or * for whatever version is
// current (version 0). present is false without the header; a header that
// is neither gives version -1, for the caller to refuse.
func IfMatch(r *http.Request) (version int, present bool) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	switch v {
	case "":
		return 0, false
	case "*":
		return 0, true
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil || n < 1 {
		return -1, true
	}
	return n, true
}

// PathValue is a ServeList filter that reads the numeric path value name
// ({id}): the list of one resource's children.
func PathValue(name string) func(*http.Request) (int64, error) {
	return func(r *http.Request) (int64, error) { return PathID(r, name) }
}

// NoFilter is the ServeList filter of a list that takes none.
func NoFilter(*http.Request) (struct{}, error) { return struct{}{}, nil }

// ServeList answers a list request of the API: filter reads the
// capability's filters from the query, list fetches one page of what the
// caller may see. Bad filters, a bad page and the service's refusals all
// answer as problems.
func ServeList[F, T any](w http.ResponseWriter, r *http.Request, filter func(*http.Request) (F, error),
	list func(ctx context.Context, f F, p db.Page) ([]T, string, error)) {
	f, err := filter(r)
	if err != nil {
		WriteProblem(w, r, err)
		return
	}
	p, err := ListPage(r)
	if err != nil {
		WriteProblem(w, r, err)
		return
	}
	items, next, err := list(r.Context(), f, p)
	if err != nil {
		WriteProblem(w, r, err)
		return
	}
	WriteList(w, items, next)
}

// List is the shape of every list the API answers.
type List[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// WriteList answers with one page of a list; next "" means the last page.
func WriteList[T any](w http.ResponseWriter, items []T, next string) {
	l := List[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	if next != "" {
		l.Next = &next
	}
	WriteJSON(w, http.StatusOK, l)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// String summarises a problem: status, detail and the fields at fault.
func (p Problem) String() string {
	names := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		names[i] = e.Field
	}
	return fmt.Sprintf("%d %s %v", p.Status, p.Detail, names)
}
