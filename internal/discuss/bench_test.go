package discuss_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
)

// BenchmarkReply measures one reply on SQLite as people write it: a
// mention to resolve and notify, followers to tell, the search document,
// the audit record, all in one transaction. The issue asks indexing to
// keep up with 200 new posts a second; this is the discussion's share.
//
//	go test ./internal/discuss -run '^$' -bench Reply -benchtime 2000x
func BenchmarkReply(b *testing.B) {
	c, th := busyThread(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.svc.Reply(context.Background(), c.budi, th.ID, discuss.PostInput{Body: fmt.Sprintf("Balasan %d untuk @nur.aini", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// busyThread is a thread of a city forum on SQLite, for the benchmarks.
func busyThread(b *testing.B) (*city, discuss.Thread) {
	d := dbtest.SQLite(b)
	c := newCity(b, d)
	ctx := context.Background()
	room, err := c.svc.CreateSpace(ctx, c.expert, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
	if err != nil {
		b.Fatal(err)
	}
	th, _, err := c.svc.CreateThread(ctx, c.nur, room.ID, discuss.ThreadInput{Title: "Utas ramai", Body: "mulai"})
	if err != nil {
		b.Fatal(err)
	}
	return c, th
}

// BenchmarkFollowersTold measures a reply to a thread 2,000 people follow
// (a busy city forum), on SQLite: whether each may still read the space
// is decided for all of them at once, inside the writer's transaction.
//
//	go test ./internal/discuss -run '^$' -bench FollowersTold -benchtime 20x
func BenchmarkFollowersTold(b *testing.B) {
	c, th := busyThread(b)
	for i := range 2000 {
		_, acc := dbtest.Person(b, c.d, c.diskes, fmt.Sprintf("Pengikut %d", i), fmt.Sprintf("ikut%d@makassarkota.go.id", i))
		dbtest.Grant(b, c.d, acc, string(policy.Employee), c.diskes)
		if _, err := c.d.W.Exec(`INSERT INTO thread_follows (thread_id, account_id, following, created_at)
			VALUES ($1, $2, TRUE, CURRENT_TIMESTAMP)`, th.ID, acc); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.svc.Reply(context.Background(), c.budi, th.ID, discuss.PostInput{Body: fmt.Sprintf("Balasan %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
