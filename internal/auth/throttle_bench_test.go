package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// BenchmarkLimiter is what a failed sign-in costs the limiter: the two
// attempts taken (the pair and the address) before the password is
// verified, and made failures after it.
//
//	go test -run x -bench Limiter -benchtime 1000x ./internal/auth/
func BenchmarkLimiter(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			d := e.open(b)
			benchLimiter(b, NewDBLimiter(d, 10), NewDBLimiter(d, 100))
		})
	}
}

func benchLimiter(b *testing.B, pairs, addresses Limiter) {
	ctx := context.Background()
	now := time.Now()
	b.ResetTimer()
	for i := range b.N {
		addr := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		keys := []throttleKey{{pairs, "pair:" + addr + " andi@makassarkota.go.id"}, {addresses, "ip:" + addr}}
		taken, err := takeKeys(ctx, now, keys)
		if err != nil {
			b.Fatal(err)
		}
		if err := failKeys(ctx, keys, taken); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyWrongPassword is the rest of a failed sign-in: the
// argon2id verification of a wrong password, for the limiter's share.
//
//	go test -run x -bench VerifyWrong -benchtime 20x ./internal/auth/
func BenchmarkVerifyWrongPassword(b *testing.B) {
	h := NewHasher(2)
	hash, err := h.Hash(context.Background(), testPassword)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if ok, err := h.Verify(context.Background(), hash, "wrong-password"); ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
