package auth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/errs"
)

func TestHashRoundTrip(t *testing.T) {
	h := NewHasher(2)
	ctx := context.Background()
	for _, pw := range []string{testPassword, "Nur'aini Dottoro'ta"} {
		enc, err := h.Hash(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("hash %q is not in the PHC format with the default parameters", enc)
		}
		if ok, err := h.Verify(ctx, enc, pw); !ok || err != nil {
			t.Errorf("Verify(right password) = %v, %v", ok, err)
		}
		if ok, _ := h.Verify(ctx, enc, pw+"x"); ok {
			t.Error("Verify accepted a wrong password")
		}
		if h.NeedsRehash(enc) {
			t.Error("NeedsRehash on a fresh hash")
		}
	}
	weaker := "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43)
	if !h.NeedsRehash(weaker) {
		t.Error("NeedsRehash false for other parameters")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$a$b"} {
		if ok, err := h.Verify(ctx, bad, "x"); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", bad, ok, err)
		}
	}
}

// TestHasherBoundsConcurrency fills the hasher's slots and checks that a
// further hash waits for one, and gives up when its context ends.
func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(2)
	if cap(h.sem) != 2 {
		t.Fatalf("semaphore holds %d, want 2", cap(h.sem))
	}
	ctx := context.Background()
	for range 2 {
		if err := h.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := h.Hash(cctx, "queued-password"); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued hash after cancel: %v, want context.Canceled", err)
	}
	if n := len(h.sem); n != 2 {
		t.Fatalf("a cancelled waiter changed the count to %d", n)
	}
	go func() { _, err := h.Hash(ctx, "queued-password"); done <- err }()
	h.release()
	if err := <-done; err != nil {
		t.Fatalf("hash after a slot freed: %v", err)
	}
	if n := len(h.sem); n != 1 {
		t.Fatalf("%d slots held after the hash returned, want 1", n)
	}
	if NewHasher(0).sem == nil || cap(NewHasher(0).sem) != 1 {
		t.Error("a concurrency of 0 should still allow one hash")
	}
}

func TestValidatePassword(t *testing.T) {
	for _, c := range []struct {
		pw, email, key string
	}{
		{"kopi-toraja-2121", "andi@makassarkota.go.id", ""},
		{"short", "", "auth.password_short"},
		{"kopi-toraja", "", "auth.password_short"},      // 11: ASVS 2.1.1 asks for 12
		{strings.Repeat("kata ", 12) + "sandi", "", ""}, // 65: ASVS 2.1.2 asks for 64 to be allowed
		{"1qaz2wsx3edc", "", "auth.password_common"},
		{"QwertyUiop123", "", "auth.password_common"}, // any case, stretched with digits
		{"Password2024!", "", "auth.password_common"},
		{"aaaaaaaaaaaa", "", "auth.password_repeated"},
		{"ääääääääääää", "", "auth.password_repeated"},
		{"Andi@Makassarkota.go.id", "andi@makassarkota.go.id", "auth.password_is_email"},
		{strings.Repeat("ab", 200), "", "too_long"},
	} {
		err := ValidatePassword(c.pw, c.email)
		if c.key == "" {
			if err != nil {
				t.Errorf("%q: %v", c.pw, err)
			}
			continue
		}
		e := errs.As(err)
		if e == nil || len(e.Fields) != 1 || e.Fields[0].Name != "password" || e.Fields[0].Key != c.key {
			t.Errorf("%q: got %v, want password %s", c.pw, err, c.key)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	a, b := GeneratePassword(), GeneratePassword()
	if a == b {
		t.Fatal("two generated passwords are equal")
	}
	if len(a) != 19 || strings.Count(a, "-") != 3 || strings.ContainsAny(a, "0O1lI") {
		t.Errorf("generated %q: want 4 dash-separated groups of 4 readable characters", a)
	}
	if err := ValidatePassword(a, "x@y.id"); err != nil {
		t.Errorf("generated password fails the rules: %v", err)
	}
}
