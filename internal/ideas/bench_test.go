package ideas_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/policy"
)

// BenchmarkIdeaListAndWaits reads a page of the list in each order and the
// answer figures of a year over 5,000 ideas with 50,000 votes on SQLite:
//
//	go test -run - -bench IdeaList -benchtime 2s ./internal/ideas/
func BenchmarkIdeaListAndWaits(b *testing.B) {
	d := dbtest.SQLite(b)
	ctx := context.Background()
	agencies := make([]int64, 20)
	for i := range agencies {
		agencies[i] = dbtest.Agency(b, d, "OPD"+string(rune('A'+i)), "Dinas "+string(rune('A'+i)), "dinas")
	}
	var voters []int64
	var author int64
	for i := range 100 {
		e, acc := dbtest.Person(b, d, agencies[i%20], "Pegawai", "p"+string(rune('a'+i/26))+string(rune('a'+i%26))+"@x.go.id")
		voters, author = append(voters, acc), e
	}
	now := time.Now().UTC()
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 5000 {
			created := now.Add(-time.Duration(i) * time.Hour)
			var answered any
			if i%3 == 0 {
				answered = created.Add(time.Duration(i%60) * 24 * time.Hour)
			}
			id, err := db.InsertID(ctx, tx, `INSERT INTO ideas (agency_id, topic, procedure_name, title, author_id, status,
				answered_at, votes, created_at, updated_at) VALUES ($1, 'procedure', 'Cuti', 'Ide', $2, 'new', $3, 10, $4, $4)
				RETURNING id`, agencies[i%20], author, answered, created)
			if err != nil {
				return err
			}
			for v := range 10 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO idea_votes (idea_id, account_id, created_at) VALUES ($1, $2, $3)`,
					id, voters[(i+v)%100], created); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	svc := ideas.NewService(d, time.UTC)
	actor := &policy.Actor{AccountID: voters[0], EmployeeID: author, Grants: []policy.Grant{{Role: policy.Executive}}}
	b.ResetTimer()
	for b.Loop() {
		for _, sort := range ideas.Sorts {
			if list, _, err := svc.List(ctx, actor, ideas.Filter{Sort: sort}, db.Page{}); err != nil || len(list) != 50 {
				b.Fatal(err, len(list))
			}
		}
		if _, err := ideas.AnswerStats(ctx, d.R, nil, now.AddDate(-1, 0, 0), now, now); err != nil {
			b.Fatal(err)
		}
	}
}
