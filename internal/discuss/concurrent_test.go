package discuss_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

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
		hold := dbtest.Hold(t, d, `UPDATE spaces SET updated_at = updated_at WHERE id = $1`, room.ID)
		moved, replied := make(chan error, 1), make(chan error, 1)
		go func() { moved <- c.svc.Move(ctx, c.expert, th.ID, room.ID) }()
		dbtest.WaitForLockWaits(t, d, 1, "spaces")
		go func() {
			_, err := c.svc.Reply(ctx, c.budi, th.ID, discuss.PostInput{Body: "Ajukan perpanjangan lewat BSrE."})
			replied <- err
		}()
		dbtest.WaitForLockWaits(t, d, 2, "spaces", "threads")
		hold.Commit()
		if err := <-moved; err != nil {
			t.Fatalf("move: %v", err)
		}
		err := <-replied
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

// Two moderators moving one thread at the same moment take turns, and
// the second is decided on where the first left it: one who moderates
// only the space the thread was in does not move it out of the
// members-only room the other moved it into (PostgreSQL: refused,
// Conflict; SQLite: it reads the room, which it may not read). Which goes
// first is the database's choice.
func TestASecondMoveAtTheSameMomentIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		forum := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Pakar", Level: policy.SpaceCity, MembersOnly: true})
		lounge := c.space(t, discuss.SpaceInput{Name: "Ruang santai", Level: policy.SpaceCity})
		if err := c.svc.SetMember(ctx, c.expert, forum.ID, "@ani", discuss.RoleModerator); err != nil {
			t.Fatal(err)
		}
		th := c.thread(t, c.nur, forum.ID, "Sertifikat TTE", "Sertifikat saya kedaluwarsa.", true)

		hold := dbtest.Hold(t, d, `UPDATE threads SET updated_at = updated_at WHERE id = $1`, th.ID)
		first, second := make(chan error, 1), make(chan error, 1)
		go func() { first <- c.svc.Move(ctx, c.expert, th.ID, room.ID) }()
		dbtest.WaitForLockWaits(t, d, 1, "threads")
		go func() { second <- c.svc.Move(ctx, c.ani, th.ID, lounge.ID) }()
		dbtest.WaitForLockWaits(t, d, 2, "threads")
		hold.Commit()
		intoRoom, out := <-first, <-second
		for _, err := range []error{intoRoom, out} {
			if err != nil && !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.NotFound) {
				t.Errorf("a move at the same moment: %v", err)
			}
		}
		if intoRoom == nil && out == nil && c.count(t, `SELECT COUNT(*) FROM threads WHERE id = $1 AND space_id = $2`, th.ID, room.ID) != 1 {
			t.Error("the thread left the members-only room it was moved into, by a moderator who may not read it")
		}
		if intoRoom != nil && out != nil {
			t.Error("both moves were refused")
		}
	})
}

// A reaction saved while the asker accepts the post as the answer indexes
// the post with the accepted mark, not as the thread was before: it reads
// the thread again once the accept is done (PostgreSQL: it waits for it).
func TestAReactionDuringAnAcceptKeepsTheAcceptedMark(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		forum := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, forum.ID, "Sertifikat TTE", "Sertifikat saya kedaluwarsa.", true)
		p := c.reply(t, c.ani, th.ID, "Ajukan perpanjangan lewat BSrE.")

		accept := dbtest.Hold(t, d, `UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, p.ID, th.ID)
		reacted := make(chan error, 1)
		go func() {
			_, err := c.svc.React(ctx, c.budi, p.ID, discuss.ReactionHelpful)
			reacted <- err
		}()
		dbtest.WaitForLockWaits(t, d, 1, "threads")
		accept.Commit()
		if err := <-reacted; err != nil {
			t.Fatal(err)
		}
		want := 1 + discuss.AcceptedWeight
		if got := c.count(t, `SELECT helpful FROM search_docs WHERE kind = 'post' AND doc_id = $1`, p.ID); got != want {
			t.Errorf("the answer is indexed with helpfulness %d, want %d (one reaction and the accepted mark)", got, want)
		}
	})
}

// A thread promoted while its space becomes members-only is not made a
// draft that every article writer reads: the promotion waits for the
// change (PostgreSQL; on SQLite the writers take turns) and is decided on
// the room it now is, which the writer may not read.
func TestAPromotionDuringAClosingIsDecidedOnTheClosedSpace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		forum := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, forum.ID, "Gaji pejabat X", "angka rahasia 123", false)

		closing := dbtest.Hold(t, d, `UPDATE spaces SET members_only = TRUE WHERE id = $1`, forum.ID)
		promoted := make(chan error, 1)
		go func() {
			_, _, err := c.svc.Promote(ctx, c.ani, th.ID)
			promoted <- err
		}()
		dbtest.WaitForLockWaits(t, d, 1, "spaces")
		closing.Commit()
		if err := <-promoted; !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Forbidden) {
			t.Errorf("a writer outside the room promotes its thread: %v", err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM articles`); n != 0 {
			t.Errorf("%d drafts made of a members-only room's thread", n)
		}
	})
}

// A reply or a reaction begun while its space becomes members-only is
// refused: it was allowed by the open space, and the writer is no member
// of the room it became (PostgreSQL: the write waits for the change and is
// turned away after; SQLite's writers take turns, so it reads the room and
// may not).
func TestAWriteDuringAClosingIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		for _, tc := range []struct {
			name    string
			write   func(th discuss.Thread, p discuss.Post) error
			written string // counts the writer's rows
		}{
			{"reply", func(th discuss.Thread, _ discuss.Post) error {
				_, err := c.svc.Reply(ctx, c.budi, th.ID, discuss.PostInput{Body: "Ajukan perpanjangan lewat BSrE."})
				return err
			}, `SELECT COUNT(*) FROM posts WHERE author_account_id = $1`},
			{"reaction", func(_ discuss.Thread, p discuss.Post) error {
				_, err := c.svc.React(ctx, c.budi, p.ID, discuss.ReactionThanks)
				return err
			}, `SELECT COUNT(*) FROM post_reactions WHERE account_id = $1`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				forum := c.space(t, discuss.SpaceInput{Name: "Forum " + tc.name, Level: policy.SpaceCity})
				th := c.thread(t, c.nur, forum.ID, "Sertifikat TTE", "Sertifikat saya kedaluwarsa.", true)
				p := c.reply(t, c.ani, th.ID, "Saya juga.")

				closing := dbtest.Hold(t, d, `UPDATE spaces SET members_only = TRUE WHERE id = $1`, forum.ID)
				wrote := make(chan error, 1)
				go func() { wrote <- tc.write(th, p) }()
				dbtest.WaitForLockWaits(t, d, 1, "spaces")
				closing.Commit()
				err := <-wrote
				switch {
				case d.Engine() == db.Postgres && !errs.Is(err, errs.Conflict):
					t.Errorf("%s during the closing: %v, want Conflict", tc.name, err)
				case !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Forbidden):
					t.Errorf("%s during the closing: %v, want it refused", tc.name, err)
				}
				if n := c.count(t, tc.written, c.budi.AccountID); n != 0 {
					t.Errorf("a writer outside the room left %d rows in it", n)
				}
			})
		}
	})
}

// An author's edit saved while a moderator hides the post neither edits
// the hidden post nor puts it back in search: the edit reads the post
// after the hide (PostgreSQL: it waits for it), and is refused.
func TestAnEditDuringAHideDoesNotShowThePostAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		forum := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.ani, forum.ID, "Sertifikat TTE", "Sertifikat saya kedaluwarsa.", true)
		p := c.reply(t, c.nur, th.ID, "Hubungi saya di nomor pribadi.")

		// The thread's row is held, so the hide stops after hiding the
		// post, waiting to read the thread's space before indexing it.
		hold := dbtest.Hold(t, d, `UPDATE threads SET updated_at = updated_at WHERE id = $1`, th.ID)
		hidden, edited := make(chan error, 1), make(chan error, 1)
		go func() { hidden <- c.svc.Hide(ctx, c.expert, p.ID, "Data pribadi.") }()
		dbtest.WaitForLockWaits(t, d, 1, "threads")
		go func() {
			_, err := c.svc.EditPost(ctx, c.nur, p.ID, discuss.PostInput{Body: "Hubungi saya lewat nomorbaru."})
			edited <- err
		}()
		dbtest.WaitForLockWaits(t, d, 2, "threads", "posts")
		hold.Commit()
		if err := <-hidden; err != nil {
			t.Fatalf("hide: %v", err)
		}
		err := <-edited
		// SQLite's writers take turns: the edit may go first, and the
		// hide then takes the edited post out of search.
		if d.Engine() == db.Postgres && !errs.Is(err, errs.Conflict) {
			t.Errorf("edit during the hide: %v, want Conflict", err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM search_docs WHERE kind = 'post' AND doc_id = $1`, p.ID); n != 0 {
			t.Errorf("the hidden post has %d search documents, want none", n)
		}
		ans, err := search.NewService(d, discuss.SearchKeys).Search(ctx, c.budi, search.Request{Text: "nomorbaru"})
		if err != nil || len(ans.Items) != 0 {
			t.Errorf("Budi finds the hidden post's edit: %d results (%v)", len(ans.Items), err)
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
		other := dbtest.Hold(t, d, `UPDATE threads SET updated_at = updated_at WHERE id = $1`, th.ID)
		other.Exec(`UPDATE spaces SET members_only = TRUE WHERE id = $1`, room.ID)
		saved := make(chan error, 1)
		go func() {
			_, err := c.svc.UpdateSpace(ctx, c.admin, room.ID, discuss.SpaceInput{Name: "Ruang Diskes Baru", MembersOnly: false})
			saved <- err
		}()
		dbtest.WaitForLockWaits(t, d, 1, "spaces")
		other.Commit()
		err := <-saved
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
