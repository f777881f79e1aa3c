package discuss_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// People marking one post helpful at the same moment all succeed, and the
// helpfulness the search index holds counts every one of them.
func TestConcurrentHelpfulReactionsAllCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, room.ID, "Tips SIKDA", "Pakai Chrome.", false)
		p := c.reply(t, c.ani, th.ID, "Bersihkan cache juga.")
		const n = 10
		people := make([]*policy.Actor, n)
		for i := range people {
			people[i] = person(t, d, c.disdik, fmt.Sprintf("Pegawai %d", i), fmt.Sprintf("p%d@makassarkota.go.id", i),
				policy.Grant{Role: policy.Employee, AgencyID: c.disdik})
		}
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for _, a := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.svc.React(ctx, a, p.ID, discuss.ReactionHelpful); err != nil {
					errc <- err
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("react: %v", err)
		}
		if got := c.count(t, `SELECT helpful FROM search_docs WHERE kind = 'post' AND doc_id = $1`, p.ID); got != n {
			t.Errorf("indexed helpfulness %d, want %d", got, n)
		}
	})
}

// A reply written while its thread moves into a room the replier may not
// read is refused, not left in the old space: neither written into the
// room by someone outside it nor found by the old space's readers. On
// PostgreSQL the reply reads the thread before the move commits and is
// turned away after; SQLite's writers take turns, so it reads the thread
// where the move left it, or goes first and moves with it.
func TestAReplyDuringAMoveIsNotLeftInTheOldSpace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		forum := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Pakar", Level: policy.SpaceCity, MembersOnly: true})
		th := c.thread(t, c.nur, forum.ID, "Sertifikat TTE", "Sertifikat saya kedaluwarsa.", true)

		// The room's row is held, so the move stops after moving the
		// thread, waiting to read the room's openness.
		hold, err := d.W.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Rollback()
		if _, err := hold.ExecContext(ctx, `UPDATE spaces SET updated_at = updated_at WHERE id = $1`, room.ID); err != nil {
			t.Fatal(err)
		}
		moved, replied := make(chan error, 1), make(chan error, 1)
		go func() { moved <- c.svc.Move(ctx, c.expert, th.ID, room.ID) }()
		waitForWaiters(t, d, 1)
		go func() {
			_, err := c.svc.Reply(ctx, c.budi, th.ID, discuss.PostInput{Body: "Ajukan perpanjangan lewat BSrE."})
			replied <- err
		}()
		waitForWaiters(t, d, 2)
		if err := hold.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-moved; err != nil {
			t.Fatalf("move: %v", err)
		}
		err = <-replied
		switch {
		case d.Engine() == db.Postgres && !errs.Is(err, errs.Conflict):
			t.Errorf("reply during the move: %v, want Conflict", err)
		case err != nil && !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.NotFound):
			t.Errorf("reply during the move: %v", err)
		}
		if _, err := c.svc.Reply(ctx, c.budi, th.ID, discuss.PostInput{Body: "Sekali lagi."}); !errs.Is(err, errs.NotFound) {
			t.Errorf("reply after the move: %v, want NotFound", err)
		}
		const ofThread = ` FROM search_docs d JOIN posts p ON d.kind = 'post' AND d.doc_id = p.id WHERE p.thread_id = $1`
		if n := c.count(t, `SELECT COUNT(*)`+ofThread, th.ID); n == 0 {
			t.Fatal("the thread's posts left the index")
		}
		want := strings.Join(discuss.PostAudience(room), " ")
		if n := c.count(t, `SELECT COUNT(*)`+ofThread+` AND d.audience <> $2`, th.ID, want); n != 0 {
			t.Errorf("%d posts of the moved thread are not found by the room's readers alone (%q)", n, want)
		}
		ans, err := search.NewService(d, discuss.SearchKeys).Search(ctx, c.budi, search.Request{Text: "BSrE"})
		if err != nil || len(ans.Items) != 0 {
			t.Errorf("Budi, outside the room, finds %d results (%v), want none", len(ans.Items), err)
		}
	})
}

// An administrator's change of a space's openness fails with Conflict if
// another changed it since the form was read: saved, it would undo the
// other change without putting the posts again for their readers.
func TestAChangeOfOpennessMeanwhileIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		th := c.thread(t, c.nur, room.ID, "Ekspor laporan", "Bagaimana?", true)

		// Another administrator, in the middle of closing the room, holds
		// its thread and its row.
		other, err := d.W.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Rollback()
		if _, err := other.ExecContext(ctx, `UPDATE threads SET updated_at = updated_at WHERE id = $1`, th.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := other.ExecContext(ctx, `UPDATE spaces SET members_only = TRUE WHERE id = $1`, room.ID); err != nil {
			t.Fatal(err)
		}
		saved := make(chan error, 1)
		go func() {
			_, err := c.svc.UpdateSpace(ctx, c.admin, room.ID, discuss.SpaceInput{Name: "Ruang Diskes Baru", MembersOnly: false})
			saved <- err
		}()
		waitForWaiters(t, d, 1)
		if err := other.Commit(); err != nil {
			t.Fatal(err)
		}
		err = <-saved
		// SQLite's writers take turns: the edit began after the other
		// change and read it.
		if d.Engine() == db.Postgres && !errs.Is(err, errs.Conflict) {
			t.Errorf("edit over another's change of openness: %v, want Conflict", err)
		}
		sp, err := discuss.SpaceByID(ctx, d.R, room.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Engine() == db.Postgres && (sp.Name != room.Name || !sp.MembersOnly) {
			t.Errorf("after the refused edit the room is %q, members-only %v; want it as the other left it", sp.Name, sp.MembersOnly)
		}
	})
}

// waitForWaiters waits until n statements of d's test wait for a lock
// (PostgreSQL), or a moment for them to queue for SQLite's one writer.
func waitForWaiters(t *testing.T, d *db.DB, n int) {
	t.Helper()
	if d.Engine() != db.Postgres {
		time.Sleep(200 * time.Millisecond)
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var waiting int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND (query LIKE '%spaces%' OR query LIKE '%threads%')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
	}
	t.Fatalf("%d statements never waited for a lock", n)
}
