package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// TokenPrefix starts every API token, so a leaked one is recognisable
// (secret scanners) and a mistyped header is rejected without a query.
const TokenPrefix = "ltr_"

// Token is an API token as listed; the secret itself is shown only once,
// when it is created, and stored only as its SHA-256.
type Token struct {
	ID         int64      `json:"id"`
	AccountID  int64      `json:"account_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters, to tell tokens apart
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

var errBadToken = errs.New(errs.Unauthorized, "auth.bad_token")

// mayManageTokens asks the policy whether actor may manage the tokens of
// the account: its owner, the superadmin and the command line may.
func mayManageTokens(actor *policy.Actor, accountID int64) error {
	return policy.Check(actor, policy.TokenManage, policy.Target{AccountID: accountID})
}

// CreateToken creates an API token for the account and returns it in plain
// text — the only time it is available — with its listing. expiresAt nil
// means it does not expire.
func (s *Service) CreateToken(ctx context.Context, actor *policy.Actor, accountID int64, name string, expiresAt *time.Time) (string, Token, error) {
	if err := mayManageTokens(actor, accountID); err != nil {
		return "", Token{}, err
	}
	now := s.now()
	name = strings.TrimSpace(name)
	var v errs.Validation
	if len([]rune(name)) > 100 {
		v.Add("name", "too_long", 100)
	}
	if expiresAt != nil && !expiresAt.After(now) {
		v.Add("expires_at", "auth.expiry_past")
	}
	if err := v.Err(); err != nil {
		return "", Token{}, err
	}
	plain := TokenPrefix + randomToken(32)
	t := Token{AccountID: accountID, Name: name, Prefix: plain[:len(TokenPrefix)+6], CreatedAt: now}
	if expiresAt != nil {
		exp := expiresAt.UTC()
		t.ExpiresAt = &exp
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		agencyID, err := activeAccountAgency(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if t.ID, err = insertToken(ctx, tx, t, hashSecret(plain)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "token", EntityID: t.ID, AgencyID: agencyID, After: t})
	})
	if err != nil {
		return "", Token{}, err
	}
	return plain, t, nil
}

// ListTokens lists the account's tokens, newest first, revoked ones included.
func (s *Service) ListTokens(ctx context.Context, actor *policy.Actor, accountID int64) ([]Token, error) {
	if err := mayManageTokens(actor, accountID); err != nil {
		return nil, err
	}
	return listTokens(ctx, s.db.R, accountID)
}

// RevokeToken revokes a token: it stops working on every node at once.
// Someone else's token is NotFound, as a missing one is, so token ids
// cannot be probed for which exist.
func (s *Service) RevokeToken(ctx context.Context, actor *policy.Actor, tokenID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := getToken(ctx, tx, tokenID)
		if err != nil {
			return err
		}
		if err := mayManageTokens(actor, t.AccountID); err != nil {
			if errs.Is(err, errs.Forbidden) {
				return errs.New(errs.NotFound, "not_found")
			}
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		before := t
		now := s.now()
		t.RevokedAt = &now
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, now, tokenID); err != nil {
			return fmt.Errorf("auth: revoke token: %w", err)
		}
		if err := s.db.Changes.Publish(ctx, tx, TopicTokens, "token:"+strconv.FormatInt(tokenID, 10)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "token", EntityID: tokenID, Before: before, After: t})
	})
}

// TokenActor returns the actor a bearer token acts for. It is on the hot
// path of every API request, so a token seen in the last tokenCacheTTL is
// answered from memory (a token unknown to the cache is always looked up,
// so one created a moment ago by the CLI works at once); a change that
// ends or alters it drops it on every node (TopicTokens). last_used_at is
// written at most once a minute per token.
func (s *Service) TokenActor(ctx context.Context, plain string) (*policy.Actor, error) {
	if !strings.HasPrefix(plain, TokenPrefix) || len(plain) > 100 {
		return nil, errBadToken
	}
	now := s.now()
	hash := hashSecret(plain)
	e, ok := s.tokens.get(hash, now)
	if !ok {
		gen := s.tokens.generation()
		var err error
		if e, err = s.lookupToken(ctx, hash, now); err != nil {
			return nil, err
		}
		s.tokens.put(hash, e, now, gen)
	}
	if s.tokens.shouldTouch(hash, now) {
		if _, err := s.db.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, e.id); err != nil {
			return nil, fmt.Errorf("auth: record token use: %w", err)
		}
	}
	return e.actorCopy(), nil
}

func (s *Service) lookupToken(ctx context.Context, hash string, now time.Time) (*cachedToken, error) {
	var e cachedToken
	var lastUsed, expires sql.NullTime
	act, err := queryActor(ctx, s.db.Cached(), "t.id, t.last_used_at, t.expires_at, ",
		"api_tokens t JOIN accounts a ON a.id = t.account_id",
		"t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)",
		[]any{hash, now}, &e.id, &lastUsed, &expires)
	if errors.Is(err, errNoActor) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	e.actor, e.lastUsed = act, lastUsed.Time.UTC()
	e.until = now.Add(tokenCacheTTL)
	if expires.Valid && expires.Time.Before(e.until) {
		e.until = expires.Time.UTC()
	}
	return &e, nil
}
