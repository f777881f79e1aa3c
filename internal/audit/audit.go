// Package audit records every write: who, when, what, the row before and
// after. Entries are written with the change, in the same transaction, so the
// log cannot miss a committed change nor record one that rolled back.
package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/reqctx"
)

// Entry is one change.
type Entry struct {
	Action   string // create, update, delete, transfer, deactivate, grant, …
	Entity   string // agency, employee, app, account, token, …
	EntityID int64
	AgencyID int64 // the agency the entity belongs to, 0 if none
	Before   any   // nil for a create
	After    any   // nil for a delete
}

// Write records e, done by actor, inside the transaction q.
func Write(ctx context.Context, q db.Querier, actor *policy.Actor, e Entry) error {
	return WriteMany(ctx, q, actor, []Entry{e})
}

// columns of an audit row, and how many rows one INSERT carries: SQLite's
// driver binds parameters more slowly as a statement grows, so statements stay
// near a thousand parameters.
const (
	columns      = 11
	rowsPerQuery = 1000 / columns
)

// WriteMany records several entries done by actor in a few multi-row
// INSERTs, for bulk actions such as an import where one statement per row
// would dominate the time on PostgreSQL.
func WriteMany(ctx context.Context, q db.Querier, actor *policy.Actor, entries []Entry) error {
	req := reqctx.From(ctx)
	var accountID any
	who := "anonymous"
	if actor != nil {
		who = actor.Who()
		if actor.AccountID != 0 {
			accountID = actor.AccountID
		}
	}
	now := time.Now().UTC()
	for len(entries) > 0 {
		n := min(len(entries), rowsPerQuery)
		var sb strings.Builder
		sb.WriteString(`INSERT INTO audit_log
		(at, actor_account_id, actor, action, entity, entity_id, agency_id, before_json, after_json, request_id, ip) VALUES `)
		args := make([]any, 0, n*columns)
		for i, e := range entries[:n] {
			before, err := encode(e.Before)
			if err != nil {
				return err
			}
			after, err := encode(e.After)
			if err != nil {
				return err
			}
			var agencyID any
			if e.AgencyID != 0 {
				agencyID = e.AgencyID
			}
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for c := range columns {
				if c > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("$" + strconv.Itoa(len(args)+c+1))
			}
			sb.WriteString(")")
			args = append(args, now, accountID, who, e.Action, e.Entity, strconv.FormatInt(e.EntityID, 10), agencyID,
				before, after, req.ID, req.IP)
		}
		if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// secretish are keys never written to the log, whatever struct they come from.
var secretish = []string{"password", "hash", "token", "secret"}

// encode marshals v to JSON with secret-looking keys removed. Types should
// also keep secrets out with `json:"-"`; this is the second line of defence.
func encode(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return string(b), nil // not an object: nothing to redact
	}
	for k := range m {
		lk := strings.ToLower(k)
		for _, s := range secretish {
			if strings.Contains(lk, s) {
				delete(m, k)
			}
		}
	}
	b, err = json.Marshal(m)
	return string(b), err
}
