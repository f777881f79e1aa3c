package auth

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service holds the rules for accounts, sign-in, sessions and API tokens.
type Service struct {
	db          *db.DB
	hasher      *Hasher
	org         *org.Service
	cfg         config.Config
	limiter     Limiter // failures per email and client address, and for password changes
	addrLimiter Limiter // failures per client address, any email
	tokens      *tokenCache
	now         func() time.Time
}

// NewService returns the service. cfg supplies SessionTTL and SignInLimit;
// people are created through people, the org service. Failed sign-ins are
// counted in the database (DBLimiter), so every node holds back the same
// clients: pairs (one email from one address) after cfg.SignInLimit
// failures, addresses (any email) after addressLimitFactor times that.
func NewService(d *db.DB, h *Hasher, people *org.Service, cfg config.Config) *Service {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = config.Default().SessionTTL
	}
	s := &Service{
		db: d, hasher: h, org: people, cfg: cfg,
		limiter:     NewDBLimiter(d, cfg.SignInLimit),
		addrLimiter: NewDBLimiter(d, addressLimitFactor*max(1, cfg.SignInLimit)),
		tokens:      newTokenCache(),
		now:         func() time.Time { return time.Now().UTC() },
	}
	s.subscribeTokens()
	return s
}

// Hasher returns the service's password hasher.
func (s *Service) Hasher() *Hasher { return s.hasher }

// LoadActor returns the actor for an account: the account, its person and
// its grants. An account or person no longer active is Unauthorized.
func (s *Service) LoadActor(ctx context.Context, accountID int64) (*policy.Actor, error) {
	act, err := queryActor(ctx, s.db.R, "", "accounts a", "a.id = $1", []any{accountID})
	if errors.Is(err, errNoActor) {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	return act, err
}

// actorsPerQuery bounds the account ids one ActorsIn query binds.
const actorsPerQuery = 500

// ActorsIn is LoadActor for many accounts at once (the people a post
// tells, say), read in q: the transaction that acts, so that it holds no
// second connection while it waits for one. It returns the actors by
// account id, a query per actorsPerQuery of them; an account or person no
// longer active is missing.
func ActorsIn(ctx context.Context, q db.Querier, accountIDs []int64) (map[int64]*policy.Actor, error) {
	found := make(map[int64]*policy.Actor, len(accountIDs))
	for chunk := range slices.Chunk(accountIDs, actorsPerQuery) {
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		list, err := queryActors(ctx, q, "", "accounts a", "a.id IN ("+strings.Join(marks, ", ")+")", args)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			found[a.AccountID] = a
		}
	}
	return found, nil
}
