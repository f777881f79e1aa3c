package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// send stores n notifications for the account, numbered 1..n in order.
func send(t *testing.T, d *db.DB, account int64, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		msg := notify.Message{AccountID: account, Kind: "ticket.filed_for_you",
			Args: []string{fmt.Sprintf("T-%06d", i), "Nur'aini Dottoro'ta"}, Link: fmt.Sprintf("/bantuan/T-%06d", i)}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return notify.Send(ctx, tx, msg) }); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInboxListsNewestFirstPageByPageAndOnlyTheReadersOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
		_, mine := dbtest.Person(t, d, agency, "Andi", "andi@example.go.id")
		_, other := dbtest.Person(t, d, agency, "Budi", "budi@example.go.id")
		send(t, d, mine, 5)
		send(t, d, other, 2)
		inbox := notify.NewInbox(d)
		me := &policy.Actor{AccountID: mine}
		var got []string
		page := db.Page{Limit: 2}
		for range 4 {
			list, next, err := inbox.List(ctx, me, notify.Filter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range list {
				got = append(got, n.Args[0])
			}
			if next == "" {
				break
			}
			page.After = next
		}
		want := []string{"T-000005", "T-000004", "T-000003", "T-000002", "T-000001"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pages gave %v, want %v", got, want)
		}
		if n, err := inbox.UnreadCount(ctx, me); err != nil || n != 5 {
			t.Fatalf("unread %d, %v; want 5", n, err)
		}
		if _, _, err := inbox.List(ctx, me, notify.Filter{}, db.Page{After: "not-a-cursor"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a bad cursor: %v, want Invalid", err)
		}
		if _, _, err := inbox.List(ctx, policy.SystemActor("cli"), notify.Filter{}, db.Page{}); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("the command line's inbox: %v, want Unauthorized", err)
		}
	})
}

func TestMarkingReadTouchesOnlyTheReadersOwnNotifications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
		_, mine := dbtest.Person(t, d, agency, "Andi", "andi@example.go.id")
		_, other := dbtest.Person(t, d, agency, "Budi", "budi@example.go.id")
		send(t, d, mine, 3)
		send(t, d, other, 1)
		inbox := notify.NewInbox(d)
		me, them := &policy.Actor{AccountID: mine}, &policy.Actor{AccountID: other}
		theirs, _, err := inbox.List(ctx, them, notify.Filter{}, db.Page{})
		if err != nil || len(theirs) != 1 {
			t.Fatalf("their inbox: %v, %v", theirs, err)
		}
		if _, err := inbox.MarkRead(ctx, me, theirs[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("marking another's notification: %v, want NotFound", err)
		}
		super := &policy.Actor{AccountID: mine, Grants: []policy.Grant{{Role: policy.Superadmin}}}
		if _, err := inbox.MarkRead(ctx, super, theirs[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("the superadmin marking another's notification: %v, want NotFound", err)
		}
		list, _, _ := inbox.List(ctx, me, notify.Filter{}, db.Page{})
		n, err := inbox.MarkRead(ctx, me, list[0].ID)
		if err != nil || n.ReadAt == nil || n.ID != list[0].ID {
			t.Fatalf("mark read: %+v, %v", n, err)
		}
		again, err := inbox.MarkRead(ctx, me, list[0].ID)
		if err != nil || !again.ReadAt.Equal(*n.ReadAt) {
			t.Fatalf("marking again changed when it was read: %v → %v (%v)", n.ReadAt, again.ReadAt, err)
		}
		unread, _, _ := inbox.List(ctx, me, notify.Filter{Unread: true}, db.Page{})
		if len(unread) != 2 {
			t.Fatalf("%d unread after marking one of 3, want 2", len(unread))
		}
		marked, err := inbox.MarkAllRead(ctx, me)
		if err != nil || marked != 2 {
			t.Fatalf("mark all: %d, %v; want 2", marked, err)
		}
		for who, want := range map[*policy.Actor]int{me: 0, them: 1} {
			if n, err := inbox.UnreadCount(ctx, who); err != nil || n != want {
				t.Errorf("account %d: %d unread (%v), want %d", who.AccountID, n, err, want)
			}
		}
	})
}
