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
	req := reqctx.From(ctx)
	var accountID, agencyID any
	if actor != nil && actor.AccountID != 0 {
		accountID = actor.AccountID
	}
	if e.AgencyID != 0 {
		agencyID = e.AgencyID
	}
	who := "anonymous"
	if actor != nil {
		who = actor.Who()
	}
	before, err := encode(e.Before)
	if err != nil {
		return err
	}
	after, err := encode(e.After)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_account_id, actor, action, entity, entity_id, agency_id, before_json, after_json, request_id, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		time.Now().UTC(), accountID, who, e.Action, e.Entity, strconv.FormatInt(e.EntityID, 10), agencyID,
		before, after, req.ID, req.IP)
	return err
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
