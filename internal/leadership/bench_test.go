package leadership_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/policy"
)

// BenchmarkPostToTheCity posts an announcement to every one of a city's
// 15,000 people (recipients resolved and each notified in one
// transaction) and reads its receipts per agency, on SQLite:
//
//	go test -run '^$' -bench PostToTheCity -benchtime 3x ./internal/leadership/
func BenchmarkPostToTheCity(b *testing.B) {
	ctx, d := context.Background(), dbtest.SQLite(b)
	const people, agencies = 15_000, 60
	ids := make([]int64, agencies)
	for i := range ids {
		ids[i] = dbtest.Agency(b, d, fmt.Sprintf("OPD%02d", i), fmt.Sprintf("OPD %02d", i), "dinas")
	}
	at := time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range people {
			emp, err := db.InsertID(ctx, tx, `INSERT INTO employees (agency_id, name, email, employment_type, created_at, updated_at)
				VALUES ($1, $2, $3, 'contract', $4, $4) RETURNING id`, ids[i%agencies], fmt.Sprintf("Pegawai %d", i),
				fmt.Sprintf("p%d@makassarkota.go.id", i), at)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (employee_id, created_at, updated_at) VALUES ($1, $2, $2)`,
				emp, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	exec := &policy.Actor{AccountID: 1, EmployeeID: 1, AgencyID: ids[0], Grants: []policy.Grant{{Role: policy.Executive}}}
	svc := leadership.NewService(d, time.UTC)
	b.ResetTimer()
	for range b.N {
		n, err := svc.Post(ctx, exec, leadership.AnnouncementInput{Title: "Kota yang terus belajar", Body: "Untuk semua"})
		if err != nil || n.Recipients != people-1 {
			b.Fatalf("post = %d, %v", n.Recipients, err)
		}
		seen, err := svc.Announcement(ctx, exec, n.ID, false)
		if err != nil || len(seen.Receipts) != agencies {
			b.Fatalf("receipts = %d, %v", len(seen.Receipts), err)
		}
	}
}
