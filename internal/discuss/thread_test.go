package discuss_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// notes returns the kinds of the notifications an account got, in order.
func (c *city) notes(t *testing.T, a *policy.Actor) []string {
	t.Helper()
	rows, err := c.d.R.Query(`SELECT kind FROM notifications WHERE account_id = $1 ORDER BY id`, a.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var kinds []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, k)
	}
	return kinds
}

func TestMentionsAndFollowsNotifyOnlyThoseWhoMayRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		if err := c.svc.FollowSpace(ctx, c.ani, room.ID, true); err != nil {
			t.Fatal(err)
		}
		th := c.thread(t, c.nur, room.ID, "Printer puskesmas macet", "Ada yang tahu? @ANI dan @budi, tolong.", false)
		// Ani follows the space and is mentioned: one notification, the mention.
		// Budi works in Disdik and may not read Diskes's room: nothing.
		if got := c.notes(t, c.ani); strings.Join(got, ",") != "discuss.mention" {
			t.Errorf("Ani got %v", got)
		}
		if got := c.notes(t, c.budi); len(got) != 0 {
			t.Errorf("Budi, who may not read the room, got %v", got)
		}
		// A reply tells the thread's followers (its author), not the replier.
		p := c.reply(t, c.ani, th.ID, "Coba matikan lalu hidupkan lagi, @nur.aini.")
		if got := c.notes(t, c.nur); strings.Join(got, ",") != "discuss.mention" {
			t.Errorf("Nur'aini got %v", got)
		}
		if !strings.Contains(string(p.HTML), `href="/pegawai/`) || !strings.Contains(string(p.HTML), "@nur.aini") {
			t.Errorf("mention not linked: %s", p.HTML)
		}
		c.reply(t, c.admin, th.ID, "Sudah diganti tonernya.")
		if got := c.notes(t, c.nur); strings.Join(got, ",") != "discuss.mention,discuss.reply" {
			t.Errorf("Nur'aini after the admin's reply got %v", got)
		}
		if got := c.notes(t, c.ani); strings.Join(got, ",") != "discuss.mention,discuss.reply" {
			t.Errorf("Ani (a replier, so a follower) got %v", got)
		}
		// Unfollowing sticks, even after writing again.
		if err := c.svc.FollowThread(ctx, c.ani, th.ID, false); err != nil {
			t.Fatal(err)
		}
		c.reply(t, c.ani, th.ID, "Terima kasih.")
		c.reply(t, c.nur, th.ID, "Sama-sama.")
		if got := c.notes(t, c.ani); len(got) != 2 {
			t.Errorf("Ani unfollowed yet got %v", got)
		}
		v, err := c.svc.ThreadView(ctx, c.nur, th.ID, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Posts) != 5 || !v.Posts[0].First || v.PostCount != 5 || !v.Following {
			t.Errorf("thread view: %d posts, first %v, count %d, following %v", len(v.Posts), v.Posts[0].First, v.PostCount, v.Following)
		}
	})
}

func TestBadPostsAreRefusedAndWriteNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		closed := c.space(t, discuss.SpaceInput{Name: "Rahasia", Level: policy.SpaceCity, MembersOnly: true})
		for _, tc := range []struct {
			name  string
			space int64
			in    discuss.ThreadInput
			code  errs.Code
			field string
		}{
			{"no title", room.ID, discuss.ThreadInput{Body: "isi"}, errs.Invalid, "title"},
			{"blank body", room.ID, discuss.ThreadInput{Title: "Judul", Body: "  \n "}, errs.Invalid, "body"},
			{"a body too long", room.ID, discuss.ThreadInput{Title: "Judul", Body: strings.Repeat("a", 20001)}, errs.Invalid, "body"},
			{"a title too long", room.ID, discuss.ThreadInput{Title: strings.Repeat("j", 201), Body: "isi"}, errs.Invalid, "title"},
			{"a space one may not read", closed.ID, discuss.ThreadInput{Title: "Judul", Body: "isi"}, errs.NotFound, ""},
			{"no such space", 999999, discuss.ThreadInput{Title: "Judul", Body: "isi"}, errs.NotFound, ""},
		} {
			_, _, err := c.svc.CreateThread(ctx, c.nur, tc.space, tc.in)
			if errs.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
				continue
			}
			if e := errs.As(err); tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Name != tc.field) {
				t.Errorf("%s: fields %v, want %s", tc.name, e.Fields, tc.field)
			}
		}
		if n := c.count(t, `SELECT COUNT(*) FROM threads`) + c.count(t, `SELECT COUNT(*) FROM posts`); n != 0 {
			t.Errorf("%d rows written by refused posts", n)
		}
		th := c.thread(t, c.nur, room.ID, "Tautan aneh", `<script>alert(1)</script> <iframe src="x"></iframe>
[klik](javascript:alert(1)) <img src=x onerror=alert(1)> **tebal**`, false)
		v, err := c.svc.ThreadView(ctx, c.budi, th.ID, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		html := strings.ToLower(string(v.Posts[0].HTML))
		for _, bad := range []string{"<script", "<iframe", "javascript:", "onerror"} {
			if strings.Contains(html, bad) {
				t.Errorf("%q survives: %s", bad, html)
			}
		}
		if !strings.Contains(html, "<strong>tebal</strong>") {
			t.Errorf("Markdown not rendered: %s", html)
		}
	})
}

func TestModeratorsHideLockPinAndMove(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		other := c.space(t, discuss.SpaceInput{Name: "Ruang santai", Level: policy.SpaceCity})
		old := c.thread(t, c.nur, room.ID, "Utas lama", "lama", false)
		th := c.thread(t, c.nur, room.ID, "Utas ramai", "mulai", false)
		bad := c.reply(t, c.budi, th.ID, "Iklan pinjaman online")
		// Not a moderator: refused.
		if err := c.svc.Hide(ctx, c.ani, bad.ID, "spam"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a reader hides: %v", err)
		}
		if err := c.svc.Hide(ctx, c.expert, bad.ID, " "); !errs.Is(err, errs.Invalid) {
			t.Errorf("hiding without a reason: %v", err)
		}
		if err := c.svc.Hide(ctx, c.expert, bad.ID, "Iklan, bukan diskusi"); err != nil {
			t.Fatal(err)
		}
		view := func(a *policy.Actor) discuss.ThreadView {
			v, err := c.svc.ThreadView(ctx, a, th.ID, db.Page{})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if p := view(c.ani).Posts[1]; !p.Hidden || p.Body != "" || p.HTML != "" {
			t.Errorf("others see the hidden post: %+v", p)
		}
		if p := view(c.budi).Posts[1]; !p.Hidden || p.Body == "" || p.HiddenReason != "Iklan, bukan diskusi" {
			t.Errorf("its author does not see it was hidden and why: %+v", p)
		}
		if got := c.notes(t, c.budi); len(got) == 0 || got[len(got)-1] != "discuss.hidden" {
			t.Errorf("the author was not told: %v", got)
		}
		// Lock: readers get a Conflict, moderators still write.
		if err := c.svc.SetFlag(ctx, c.expert, th.ID, "locked", true); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.Reply(ctx, c.ani, th.ID, discuss.PostInput{Body: "halo"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("a reply to a locked thread: %v", err)
		}
		c.reply(t, c.expert, th.ID, "Utas ini dikunci.")
		// Pin: the old thread comes first.
		if err := c.svc.SetFlag(ctx, c.ani, old.ID, "pinned", true); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a reader pins: %v", err)
		}
		if err := c.svc.SetFlag(ctx, c.expert, old.ID, "pinned", true); err != nil {
			t.Fatal(err)
		}
		list, _, err := c.svc.Threads(ctx, c.ani, room.ID, discuss.ThreadFilter{}, db.Page{})
		if err != nil || len(list) != 2 || list[0].ID != old.ID || !list[0].Pinned {
			t.Errorf("pinned first: %+v, %v", list, err)
		}
		// Move: audited, and the thread lives in the other space.
		if err := c.svc.Move(ctx, c.expert, th.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		if v := view(c.ani); v.SpaceID != other.ID || v.Space.Name != "Ruang santai" {
			t.Errorf("moved thread in space %d", v.SpaceID)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'thread' AND action = 'move'`); n != 1 {
			t.Errorf("%d audit records of the move", n)
		}
	})
}

func TestTheAskerAcceptsOneAnswerAndUnansweredFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		q := c.thread(t, c.nur, room.ID, "Bagaimana mengekspor laporan SIKDA?", "Tombolnya tidak ada.", true)
		c.thread(t, c.nur, room.ID, "Catatan rapat", "bukan pertanyaan", false)
		open := c.thread(t, c.budi, room.ID, "Lupa sandi SIKDA", "tolong", true)
		wrong := c.reply(t, c.budi, q.ID, "Coba tanya admin.")
		right := c.reply(t, c.ani, q.ID, "Menu Laporan → Ekspor → pilih Excel.")
		first := func() int64 {
			v, _ := c.svc.ThreadView(ctx, c.nur, q.ID, db.Page{})
			return v.Posts[0].ID
		}()
		if err := c.svc.Accept(ctx, c.budi, q.ID, right.ID, true); !errs.Is(err, errs.Forbidden) {
			t.Errorf("someone else accepts: %v", err)
		}
		if err := c.svc.Accept(ctx, c.nur, q.ID, first, true); !errs.Is(err, errs.Conflict) {
			t.Errorf("the question accepted as its own answer: %v", err)
		}
		if err := c.svc.Accept(ctx, c.budi, open.ID, right.ID, true); !errs.Is(err, errs.NotFound) {
			t.Errorf("another thread's post accepted: %v", err)
		}
		if err := c.svc.Accept(ctx, c.nur, q.ID, wrong.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.Accept(ctx, c.nur, q.ID, right.ID, true); err != nil {
			t.Fatal(err)
		}
		v, err := c.svc.ThreadView(ctx, c.budi, q.ID, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if !v.Answered || v.Accepted == nil || v.Accepted.ID != right.ID || !v.Posts[2].Accepted || v.Posts[1].Accepted {
			t.Errorf("accepted answer: answered %v, %+v", v.Answered, v.Accepted)
		}
		if got := c.notes(t, c.ani); len(got) == 0 || got[len(got)-1] != "discuss.accepted" {
			t.Errorf("the answerer was not told: %v", got)
		}
		for _, tc := range []struct {
			kind string
			want int
		}{{"", 3}, {"question", 2}, {"unanswered", 1}} {
			list, _, err := c.svc.Threads(ctx, c.budi, room.ID, discuss.ThreadFilter{Kind: tc.kind}, db.Page{})
			if err != nil || len(list) != tc.want {
				t.Errorf("filter %q: %d threads, %v", tc.kind, len(list), err)
			}
		}
		if _, _, err := c.svc.Threads(ctx, c.budi, room.ID, discuss.ThreadFilter{Kind: "x"}, db.Page{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown filter: %v", err)
		}
		// Paging through threads one at a time finds each once.
		seen := map[int64]bool{}
		page := db.Page{Limit: 1}
		for range 5 {
			list, next, err := c.svc.Threads(ctx, c.budi, room.ID, discuss.ThreadFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, th := range list {
				seen[th.ID] = true
			}
			if next == "" {
				break
			}
			page.After = next
		}
		if len(seen) != 3 {
			t.Errorf("paging found %d threads", len(seen))
		}
	})
}
