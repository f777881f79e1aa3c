package notify_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/notify"
)

func TestSendStoresWithTheChangeAndRollsBackWithIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
		_, lead := dbtest.Person(t, d, agency, "Andi Dottoro'ta", "andi@example.go.id")
		msg := notify.Message{AccountID: lead, Kind: "test.kind", Args: []string{"T-000001", "Ä"}, Link: "/layanan/T-000001"}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return notify.Send(ctx, tx, msg) }); err != nil {
			t.Fatal(err)
		}
		failed := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := notify.Send(ctx, tx, msg); err != nil {
				return err
			}
			return sql.ErrNoRows // the change the notification tells of failed
		})
		if failed == nil {
			t.Fatal("the failing transaction succeeded")
		}
		var n int
		var args, link string
		if err := d.R.QueryRowContext(ctx, `SELECT count(*), max(args), max(link) FROM notifications WHERE account_id = $1`,
			lead).Scan(&n, &args, &link); err != nil {
			t.Fatal(err)
		}
		if n != 1 || args != `["T-000001","Ä"]` || link != msg.Link {
			t.Fatalf("stored %d notifications, args %s, link %q; want 1 with the message's", n, args, link)
		}
	})
}

// BenchmarkSendToMany is an announcement's inbox: 5,000 messages in one
// transaction (no channel configured, so no outbox rows), 51 a statement
// (db.InsertRows).
func BenchmarkSendToMany(b *testing.B) {
	ctx := context.Background()
	for _, d := range dbtest.Both(b) {
		agency := dbtest.Agency(b, d, "DKF", "Dinas Kominfo", "dinas")
		_, account := dbtest.Person(b, d, agency, "Andi Dottoro'ta", "andi@example.go.id")
		msgs := make([]notify.Message, 5000)
		for i := range msgs {
			msgs[i] = notify.Message{AccountID: account, Kind: "test.kind", Args: []string{"T-000001"}, Link: "/layanan/T-000001"}
		}
		b.Run(string(d.Engine()), func(b *testing.B) {
			for b.Loop() {
				if err := d.Tx(ctx, func(tx *sql.Tx) error { return notify.Send(ctx, tx, msgs...) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
