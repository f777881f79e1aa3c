package auth

import (
	"context"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
)

// TopicTokens is the change event that drops cached API tokens on every
// node (db.Changes). Its key names whose: "token:ID", "account:ID",
// "person:ID" (an employee), or "all".
const TopicTokens = "auth.tokens"

// subscribeTokens has the token cache drop what every TopicTokens event
// names, and everything when events may have been missed.
func (s *Service) subscribeTokens() {
	s.db.Changes.Subscribe([]string{TopicTokens}, func(_, key string) {
		s.tokens.forget(tokenMatch(key))
	}, func() { s.tokens.forget(nil) })
}

// tokenMatch is the test for the entries key names; nil (all of them) for
// "all" or a key it cannot read, as dropping too much only costs a look-up.
func tokenMatch(key string) func(*cachedToken) bool {
	kind, n, _ := strings.Cut(key, ":")
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return nil
	}
	switch kind {
	case "token":
		return func(e *cachedToken) bool { return e.id == id }
	case "account":
		return func(e *cachedToken) bool { return e.actor.AccountID == id }
	case "person":
		return func(e *cachedToken) bool { return e.actor.EmployeeID == id }
	}
	return nil
}

// forgetAccount drops the account's cached tokens on every node once tx
// commits, so a change to its roles or credentials is seen everywhere at
// once.
func (s *Service) forgetAccount(ctx context.Context, tx db.Querier, accountID int64) error {
	return ForgetAccount(ctx, s.db, tx, accountID)
}

// ForgetAccount is forgetAccount for another service that changed the
// account's roles in tx (apps' operators).
func ForgetAccount(ctx context.Context, d *db.DB, tx db.Querier, accountID int64) error {
	return d.Changes.Publish(ctx, tx, TopicTokens, "account:"+strconv.FormatInt(accountID, 10))
}

// ForgetPerson drops the cached tokens of the person employeeID (0:
// everyone's) on every node once tx commits, after another service
// changed them in the database in tx (org's deactivation, transfer, edits
// and imports, through org.Service.SetPersonChangedHook): their tokens
// stop working, or act with the new name and agency, everywhere at once.
func (s *Service) ForgetPerson(ctx context.Context, tx db.Querier, employeeID int64) error {
	return ForgetPersonIn(ctx, s.db, tx, employeeID)
}

// ForgetPersonIn is ForgetPerson for a command that changes people beside
// the running nodes (`lontara import employees`) without an auth.Service.
func ForgetPersonIn(ctx context.Context, d *db.DB, tx db.Querier, employeeID int64) error {
	key := "person:" + strconv.FormatInt(employeeID, 10)
	if employeeID == 0 {
		key = "all"
	}
	return d.Changes.Publish(ctx, tx, TopicTokens, key)
}
