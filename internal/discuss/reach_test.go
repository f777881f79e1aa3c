package discuss_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// A draft article is read by every article writer of the city: a thread of
// a members-only room or of an agency's space becomes one only by a writer
// who moderates that space, told so on the thread's page.
func TestPromotingAClosedSpacesThreadNeedsItsModerator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Rahasia", Level: policy.SpaceCity, MembersOnly: true})
		if err := c.svc.SetMember(ctx, c.expert, room.ID, "ani@makassarkota.go.id", discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		th := c.thread(t, c.ani, room.ID, "Gaji pejabat X", "angka rahasia 123", false)
		if _, _, err := c.svc.Promote(ctx, c.ani, th.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a writer who is a member promotes the room's thread: %v", err)
		}
		if _, _, err := c.svc.Promote(ctx, c.agent, th.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a writer outside the room promotes its thread: %v", err)
		}
		if v, err := c.svc.ThreadView(ctx, c.ani, th.ID, db.Page{}); err != nil || v.CanPromote {
			t.Errorf("a member is offered the promotion: %v %v", v.CanPromote, err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM articles`); n != 0 {
			t.Fatalf("%d articles from a members-only room", n)
		}
		if err := c.svc.SetMember(ctx, c.expert, room.ID, "ani@makassarkota.go.id", discuss.RoleModerator); err != nil {
			t.Fatal(err)
		}
		v, err := c.svc.ThreadView(ctx, c.ani, th.ID, db.Page{})
		if err != nil || !v.CanPromote || !v.PromoteWarns {
			t.Errorf("the moderating writer: may promote %v, warned %v, %v", v.CanPromote, v.PromoteWarns, err)
		}
		if _, created, err := c.svc.Promote(ctx, c.ani, th.ID); err != nil || !created {
			t.Errorf("the moderating writer promotes: %v %v", created, err)
		}

		// An agency's open space: its own writers do not, its moderator does.
		agency := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		at := c.thread(t, c.nur, agency.ID, "Jadwal vaksin", "kapan?", false)
		if _, _, err := c.svc.Promote(ctx, c.ani, at.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("the agency's writer promotes its space's thread: %v", err)
		}
		if _, _, err := c.svc.Promote(ctx, c.agent, at.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a city-wide writer promotes an agency space's thread: %v", err)
		}
		if _, created, err := c.svc.Promote(ctx, c.expert, at.ID); err != nil || !created {
			t.Errorf("the expert team promotes: %v %v", created, err)
		}

		// An open city space: writing articles is enough, and nobody is warned.
		open := c.space(t, discuss.SpaceInput{Name: "Kota", Level: policy.SpaceCity})
		ot := c.thread(t, c.nur, open.ID, "Cara cuti", "bagaimana?", false)
		if v, err := c.svc.ThreadView(ctx, c.ani, ot.ID, db.Page{}); err != nil || !v.CanPromote || v.PromoteWarns {
			t.Errorf("open space: may promote %v, warned %v, %v", v.CanPromote, v.PromoteWarns, err)
		}
		if _, created, err := c.svc.Promote(ctx, c.ani, ot.ID); err != nil || !created {
			t.Errorf("a writer promotes an open city space's thread: %v %v", created, err)
		}
	})
}

// One who left a members-only room hears nothing more of it: not that
// their answer was accepted, not that their post was hidden.
func TestPeopleWhoLeftASpaceAreNotToldOfIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Rahasia", Level: policy.SpaceCity, MembersOnly: true})
		for _, e := range []string{"ani@makassarkota.go.id", "budi@makassarkota.go.id", "nur.aini@makassarkota.go.id"} {
			if err := c.svc.SetMember(ctx, c.expert, room.ID, e, discuss.RoleMember); err != nil {
				t.Fatal(err)
			}
		}
		th := c.thread(t, c.ani, room.ID, "Judul rahasia", "tanya", true)
		gone := c.reply(t, c.budi, th.ID, "jawab")
		stays := c.reply(t, c.nur, th.ID, "jawab juga")
		if err := c.svc.RemoveMember(ctx, c.expert, room.ID, c.budi.AccountID); err != nil {
			t.Fatal(err)
		}
		told := func(who *policy.Actor, kind string) int {
			return c.count(t, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2`, who.AccountID, kind)
		}
		if err := c.svc.Accept(ctx, c.ani, th.ID, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		if n := told(c.budi, "discuss.accepted"); n != 0 {
			t.Errorf("Budi, no longer a member, was told his answer was accepted")
		}
		if err := c.svc.Hide(ctx, c.expert, gone.ID, "keliru"); err != nil {
			t.Fatal(err)
		}
		if n := told(c.budi, "discuss.hidden"); n != 0 {
			t.Errorf("Budi, no longer a member, was told his post was hidden")
		}
		// Those still in the room are told.
		if err := c.svc.Accept(ctx, c.ani, th.ID, stays.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.Hide(ctx, c.expert, stays.ID, "salah ruang"); err != nil {
			t.Fatal(err)
		}
		if told(c.nur, "discuss.accepted") != 1 || told(c.nur, "discuss.hidden") != 1 {
			t.Errorf("a member was not told: accepted %d, hidden %d", told(c.nur, "discuss.accepted"), told(c.nur, "discuss.hidden"))
		}
	})
}

// Replies at the same moment take their turns: the thread's last post is
// its newest and its count is its posts'.
func TestConcurrentRepliesLeaveTheNewestPostLast(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Kota", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, room.ID, "Judul utas", "isi", false)
		var people []*policy.Actor
		for i := range 12 {
			people = append(people, person(t, d, c.diskes, fmt.Sprintf("Orang %d", i), fmt.Sprintf("orang%d@makassarkota.go.id", i),
				policy.Grant{Role: policy.Employee, AgencyID: c.diskes}))
		}
		people = append(people, c.budi, c.budi) // one person twice at once, in a thread new to them
		for round := range 5 {
			var wg sync.WaitGroup
			for _, p := range people {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := c.svc.Reply(context.Background(), p, th.ID, discuss.PostInput{Body: "balas"}); err != nil {
						t.Errorf("reply: %v", err)
					}
				}()
			}
			wg.Wait()
			var last, newest int64
			var count, posts int
			if err := d.R.QueryRow(`SELECT last_post_id, post_count FROM threads WHERE id = $1`, th.ID).Scan(&last, &count); err != nil {
				t.Fatal(err)
			}
			if err := d.R.QueryRow(`SELECT MAX(id), COUNT(*) FROM posts WHERE thread_id = $1`, th.ID).Scan(&newest, &posts); err != nil {
				t.Fatal(err)
			}
			if last != newest || count != posts {
				t.Errorf("round %d: last post %d, newest %d; count %d, posts %d", round, last, newest, count, posts)
			}
			if n := c.count(t, `SELECT COUNT(*) FROM posts WHERE thread_id = $1 AND created_at > (SELECT last_post_at FROM threads WHERE id = $1)`, th.ID); n != 0 {
				t.Errorf("round %d: %d posts later than the thread's last post time", round, n)
			}
		}
	})
}

// Nobody accepts their own reply; a moderator may accept the asker's own
// answer, and it makes no coach.
func TestNoOneAcceptsTheirOwnReplyNorCoachesThemselves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Kota", Level: policy.SpaceCity})
		for i := range 2 {
			q := c.thread(t, c.nur, room.ID, fmt.Sprintf("Pertanyaan saya %d", i), "bagaimana?", true)
			own := c.reply(t, c.nur, q.ID, "saya jawab sendiri")
			err := c.svc.Accept(ctx, c.nur, q.ID, own.ID, true)
			if e, ok := err.(*errs.Error); !ok || e.Code != errs.Conflict || e.Key != "discuss.own_answer" {
				t.Fatalf("the asker accepts their own reply: %v", err)
			}
			if err := c.svc.Accept(ctx, c.expert, q.ID, own.ID, true); err != nil {
				t.Fatalf("a moderator accepts the asker's own answer: %v", err)
			}
		}
		mine := c.thread(t, c.ani, room.ID, "Pertanyaan Ani", "bagaimana?", true)
		expertOwn := c.reply(t, c.expert, mine.ID, "jawaban pakar")
		if err := c.svc.Accept(ctx, c.expert, mine.ID, expertOwn.ID, true); !errs.Is(err, errs.Conflict) {
			t.Errorf("a moderator accepts their own reply: %v", err)
		}
		list, err := c.svc.Coaches(ctx, c.budi, c.diskes)
		if err != nil {
			t.Fatal(err)
		}
		for _, co := range list {
			if co.ID == c.nur.AccountID {
				t.Errorf("answers to her own questions made %s a coach (score %d)", co.Name, co.Score)
			}
		}
		// The asker accepting another's answer still makes a coach.
		if err := c.svc.Accept(ctx, c.ani, mine.ID, expertOwn.ID, true); err != nil {
			t.Fatal(err)
		}
		list, err = c.svc.Coaches(ctx, c.budi, c.disdik)
		if err != nil || len(list) != 1 || list[0].ID != c.expert.AccountID || list[0].Accepted != 1 {
			t.Errorf("coaches of Disdik: %+v, %v", list, err)
		}
	})
}

// MayRead asks the rules through the actor loader: an account no longer
// active reads nothing.
func TestMayReadTreatsAnInactiveAccountAsNoReader(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		loader := discuss.ActorLoader(auth.ActorsIn)
		room := c.space(t, discuss.SpaceInput{Name: "Kota", Level: policy.SpaceCity})
		agency := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		for _, x := range []struct {
			who  *policy.Actor
			sp   discuss.Space
			want bool
		}{{c.budi, room, true}, {c.nur, agency, true}, {c.budi, agency, false}} {
			if ok, err := discuss.MayRead(ctx, d.R, loader, x.who.AccountID, x.sp); err != nil || ok != x.want {
				t.Errorf("%s reads %s: %v (%v), want %v", x.who.Name, x.sp.Name, ok, err, x.want)
			}
		}
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, c.budi.AccountID); err != nil {
			t.Fatal(err)
		}
		if ok, err := discuss.MayRead(ctx, d.R, loader, c.budi.AccountID, room); err != nil || ok {
			t.Errorf("an inactive account reads the city space: %v %v", ok, err)
		}
	})
}

// A space's followers are told of a new thread only while they may read
// it, decided for all of them at once: members, the team of a team's
// room, not those who left or were deactivated.
func TestFollowersAreToldOnlyWhileTheyMayRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Dapur Tim", Level: policy.SpaceTeam, TeamID: c.team, MembersOnly: true}, c.agent)
		var crew []*policy.Actor
		for i := range 4 {
			crew = append(crew, person(t, d, c.disdik, fmt.Sprintf("Kru %d", i), fmt.Sprintf("kru%d@makassarkota.go.id", i),
				policy.Grant{Role: policy.Employee, AgencyID: c.disdik}))
		}
		teamMate, member, leaver, deactivated := crew[0], crew[1], crew[2], crew[3]
		if _, err := d.W.Exec(`INSERT INTO team_members (team_id, account_id, lead, created_at) VALUES ($1, $2, FALSE, CURRENT_TIMESTAMP)`,
			c.team, teamMate.AccountID); err != nil {
			t.Fatal(err)
		}
		for _, p := range []*policy.Actor{member, leaver, deactivated} {
			if err := c.svc.SetMember(ctx, c.agent, room.ID, p.Email, discuss.RoleMember); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []*policy.Actor{teamMate, member, leaver, deactivated, c.expert} {
			if err := c.svc.FollowSpace(ctx, p, room.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.svc.RemoveMember(ctx, c.agent, room.ID, leaver.AccountID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE accounts SET active = FALSE WHERE id = $1`, deactivated.AccountID); err != nil {
			t.Fatal(err)
		}
		c.thread(t, c.agent, room.ID, "Serah terima shift", "Switch lantai 3 mati, cc @kru2 @kru1", false)
		want := map[int64]bool{teamMate.AccountID: true, member.AccountID: true, c.expert.AccountID: true}
		rows, err := d.R.Query(`SELECT account_id, kind FROM notifications`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[int64]bool{}
		for rows.Next() {
			var id int64
			var kind string
			if err := rows.Scan(&id, &kind); err != nil {
				t.Fatal(err)
			}
			if !want[id] || got[id] {
				t.Errorf("account %d told (%s)", id, kind)
			}
			got[id] = true
		}
		if len(got) != len(want) {
			t.Errorf("told %v, want %v", got, want)
		}
	})
}

// A post with many mentions does not take the links of the posts after
// it: the bound is per post.
func TestEveryPostOfAPageLinksItsMentions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Kota", Level: policy.SpaceCity})
		var many []string
		for i := range 30 {
			many = append(many, fmt.Sprintf("@orang%d", i))
		}
		th := c.thread(t, c.nur, room.ID, "Banyak sebutan", "Halo "+strings.Join(many, " "), false)
		c.reply(t, c.budi, th.ID, "Tanya @ani saja")
		v, err := c.svc.ThreadView(ctx, c.budi, th.ID, db.Page{})
		if err != nil || len(v.Posts) != 2 {
			t.Fatalf("view: %d posts, %v", len(v.Posts), err)
		}
		if want := fmt.Sprintf(`href="/pegawai/%d"`, c.ani.EmployeeID); !strings.Contains(string(v.Posts[1].HTML), want) {
			t.Errorf("the second post's mention is not linked: %s", v.Posts[1].HTML)
		}
	})
}
