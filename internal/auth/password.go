// Package auth is who may sign in and as whom: accounts and their roles,
// password hashing, sign-in with throttling, server-side sessions and API
// tokens. What an actor may then do is decided in internal/policy.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"github.com/lontara-id/lontara/internal/auth/commonpw"
	"github.com/lontara-id/lontara/internal/errs"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultParams are OWASP's first recommended argon2id setting: 19 MiB, two
// passes, one thread. Memory is what bounds a burst of sign-ins, hence the
// Hasher's semaphore.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher hashes and verifies passwords with argon2id. At most a fixed number
// of hashes run at once — each holds Params.Memory — so a burst of sign-ins
// queues instead of exhausting memory; a queued caller gives up when its
// context ends.
type Hasher struct {
	params Params
	sem    chan struct{}

	dummyOnce sync.Once
	dummy     string
}

// NewHasher returns a Hasher with DefaultParams running at most concurrency
// hashes at once (at least one).
func NewHasher(concurrency int) *Hasher {
	return &Hasher{params: DefaultParams, sem: make(chan struct{}, max(1, concurrency))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("auth: waiting to hash a password: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns password hashed in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.Memory, h.params.Threads, keyLen)
	return encodePHC(h.params, salt, key), nil
}

// Verify reports whether password matches encoded. A malformed encoded hash
// (an account without a password has "") never matches, but still costs one
// hash, so the time taken does not tell which accounts have passwords.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	p, salt, want, err := decodePHC(encoded)
	if err != nil {
		_, err := h.Verify(ctx, h.dummyHash(), password)
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is a hash of no one's password, verified against when the email
// is unknown so that a wrong email takes as long as a wrong password. It is
// computed on first use so start-up stays fast.
func (h *Hasher) dummyHash() string {
	h.dummyOnce.Do(func() {
		salt := make([]byte, saltLen)
		_, _ = rand.Read(salt)
		key := argon2.IDKey([]byte("lontara-dummy"), salt, h.params.Time, h.params.Memory, h.params.Threads, keyLen)
		h.dummy = encodePHC(h.params, salt, key)
	})
	return h.dummy
}

// NeedsRehash reports whether encoded was made with other parameters than
// the Hasher's, so a successful sign-in should store a fresh hash.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, _, key, err := decodePHC(encoded)
	return err != nil || p != h.params || len(key) != keyLen
}

var b64 = base64.RawStdEncoding

func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decodePHC(s string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("auth: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("auth: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("auth: bad argon2 parameters %q", parts[3])
	}
	if p.Memory == 0 || p.Memory > 1<<22 || p.Time == 0 || p.Time > 64 || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("auth: argon2 parameters out of range %q", parts[3])
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("auth: bad salt: %w", err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("auth: bad hash")
	}
	return p, salt, key, nil
}

// MinPasswordLen is the shortest password accepted: ASVS 2.1.1 asks for
// at least 12 characters.
const MinPasswordLen = 12

// maxPasswordLen keeps a megabyte "password" from being hashed; ASVS 2.1.2
// asks that at least 64 characters be allowed.
const maxPasswordLen = 256

// ValidatePassword checks password against the rules: at least
// MinPasswordLen characters, not one character repeated, not the email,
// and not a common or breached password (commonpw, ASVS 2.1.7). There are
// no rules of composition (ASVS 2.1.9): a few plain words make a good
// password. It returns an Invalid error on the field "password".
func ValidatePassword(password, email string) error {
	n := len([]rune(password))
	switch {
	case n < MinPasswordLen:
		return errs.FieldErr("password", "auth.password_short", MinPasswordLen)
	case n > maxPasswordLen:
		return errs.FieldErr("password", "too_long", maxPasswordLen)
	case strings.Trim(password, string([]rune(password)[:1])) == "":
		return errs.FieldErr("password", "auth.password_repeated")
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return errs.FieldErr("password", "auth.password_is_email")
	case commonpw.Contains(password):
		return errs.FieldErr("password", "auth.password_common")
	}
	return nil
}

// passwordAlphabet leaves out characters that are easy to misread (0/O,
// 1/l/I) since generated passwords are read off a terminal and typed in.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a new random password for the demo and the CLI:
// four groups of four readable characters joined by dashes (about 93 bits).
func GeneratePassword() string {
	// Bytes at or above limit are skipped so every character is equally likely.
	limit := 256 - 256%len(passwordAlphabet)
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 16; {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails on supported platforms
		if int(buf[0]) >= limit {
			continue
		}
		if n > 0 && n%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[int(buf[0])%len(passwordAlphabet)])
		n++
	}
	return b.String()
}
