// Package errs is Lontara's error vocabulary: a handful of codes that services
// return and that the web layer maps, once, to HTTP statuses, pages and
// application/problem+json. Messages are i18n keys, so the same error reads in
// Indonesian in the UI and in the language an API client asks for.
package errs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/i18n"
)

// Code classifies an error; the web layer maps each to one HTTP status.
type Code string

// The codes. Keep the list short: a new code is a new HTTP status.
const (
	Invalid      Code = "invalid"      // 422: the input breaks a rule
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409: duplicate or stale state
	Unauthorized Code = "unauthorized" // 401: no or bad credentials
	Forbidden    Code = "forbidden"    // 403: signed in, not allowed
	TooMany      Code = "too_many"     // 429: throttled
	Precondition Code = "precondition" // 428: a change must name the version it was made against
	// 409 too: the transaction met another at the same rows and was rolled
	// back (db.Tx); unlike a Conflict, the same request again will most
	// likely go through.
	Collided Code = "collided"
	Internal Code = "internal" // 500: our fault, never the user's
)

// Field is a problem with one input field. Key is an i18n message key under
// "err." and Args its arguments.
type Field struct {
	Name string
	Key  string
	Args []any
}

// Error is a Lontara error. Key names the message in the catalogs ("err."
// is prefixed when looking it up).
type Error struct {
	Code   Code
	Key    string
	Args   []any
	Fields []Field
}

// New returns an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Error renders the message in English, for logs and CLI output.
func (e *Error) Error() string { return e.Message(i18n.EN) }

// Message renders the error in lang, followed by its field errors.
func (e *Error) Message(lang string) string {
	msg := i18n.T(lang, "err."+e.Key, e.Args...)
	if len(e.Fields) == 0 {
		return msg
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Name + ": " + f.Message(lang)
	}
	return msg + " (" + strings.Join(parts, "; ") + ")"
}

// Message renders the field error in lang.
func (f Field) Message(lang string) string { return i18n.T(lang, "err."+f.Key, f.Args...) }

// CodeOf returns err's code: Internal for errors that are not *Error.
func CodeOf(err error) Code {
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Refused reports whether err is a rule refusing the request, which the
// same request again meets again: any code but Internal and Collided,
// failures that a retry may get past (a channel's gateway redelivers).
func Refused(err error) bool {
	c := CodeOf(err)
	return err != nil && c != Internal && c != Collided
}

// Validation collects field errors while a service checks its input.
type Validation struct {
	fields []Field
}

// Add records that field name breaks the rule keyed by key.
func (v *Validation) Add(name, key string, args ...any) {
	v.fields = append(v.fields, Field{Name: name, Key: key, Args: args})
}

// Has reports whether field name already has an error.
func (v *Validation) Has(name string) bool {
	for _, f := range v.fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was added, else an Invalid error with the fields.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "invalid", Fields: v.fields}
}

// FieldErr is a shortcut for one invalid field.
func FieldErr(name, key string, args ...any) error {
	var v Validation
	v.Add(name, key, args...)
	return v.Err()
}

// Wrapf annotates an unexpected error, which the web layer reports as Internal.
func Wrapf(err error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, err)...)
}
