package db

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
)

// Page asks for one page of a list: at most Limit rows after the cursor
// After ("" for the first page). Lists use keyset pagination — the cursor
// holds the sort key of the last row shown — so a page costs the same at the
// ten-thousandth row as at the first, and rows added meanwhile do not shift it.
type Page struct {
	Limit int
	After string
}

// Default and largest page sizes, the same for every list in the API.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Size returns the page size to fetch: Limit within bounds.
func (p Page) Size() int {
	if p.Limit <= 0 {
		return DefaultLimit
	}
	return min(p.Limit, MaxLimit)
}

// Cursor encodes the sort key of a row as an opaque cursor.
func Cursor(key ...any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor made by Cursor into the pointers in key,
// e.g. ParseCursor(p.After, &name, &id). A malformed cursor is an Invalid
// error on the field "cursor"; so is one whose text holds a NUL, which no
// row's key holds and PostgreSQL refuses in a query (a 500, not the
// client's mistake it is).
func ParseCursor(cursor string, key ...any) error {
	bad := errs.FieldErr("cursor", "cursor")
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return bad
	}
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil || len(raw) != len(key) {
		return bad
	}
	for i := range raw {
		if json.Unmarshal(raw[i], key[i]) != nil {
			return bad
		}
		if s, ok := key[i].(*string); ok && strings.ContainsRune(*s, 0) {
			return bad
		}
	}
	return nil
}
