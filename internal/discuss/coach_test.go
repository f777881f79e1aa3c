package discuss_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestReactionsToggleOnePerKindAndPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, room.ID, "Tips SIKDA", "Pakai Chrome.", false)
		p := c.reply(t, c.ani, th.ID, "Bersihkan cache juga.")
		for i, want := range []bool{true, false, true} {
			on, err := c.svc.React(ctx, c.budi, p.ID, discuss.ReactionHelpful)
			if err != nil || on != want {
				t.Errorf("toggle %d: on %v, %v", i, on, err)
			}
		}
		if _, err := c.svc.React(ctx, c.budi, p.ID, discuss.ReactionThanks); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc.React(ctx, c.ani, p.ID, discuss.ReactionHelpful); !errs.Is(err, errs.Conflict) {
			t.Errorf("marking one's own post helpful: %v", err)
		}
		if _, err := c.svc.React(ctx, c.budi, p.ID, "love"); !errs.Is(err, errs.Invalid) {
			t.Errorf("an unknown reaction: %v", err)
		}
		v, err := c.svc.ThreadView(ctx, c.budi, th.ID, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		got := v.Posts[1]
		if got.Reactions[discuss.ReactionHelpful] != 1 || got.Reactions[discuss.ReactionThanks] != 1 || len(got.Mine) != 2 {
			t.Errorf("reactions %v, mine %v", got.Reactions, got.Mine)
		}
	})
}

func TestReportsReachModeratorsWhoDismissOrHide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		th := c.thread(t, c.nur, room.ID, "Jadwal vaksin", "Kapan?", false)
		rude := c.reply(t, c.ani, th.ID, "Kata-kata kasar")
		fine := c.reply(t, c.ani, th.ID, "Senin depan.")
		if err := c.svc.ReportPost(ctx, c.nur, rude.ID, "Tidak sopan"); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.ReportPost(ctx, c.nur, rude.ID, "lagi"); !errs.Is(err, errs.Conflict) {
			t.Errorf("a second report by the same person: %v", err)
		}
		if err := c.svc.ReportPost(ctx, c.nur, fine.ID, ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("a report without a reason: %v", err)
		}
		if err := c.svc.ReportPost(ctx, c.nur, fine.ID, "Salah tanggal?"); err != nil {
			t.Fatal(err)
		}
		if got := c.notes(t, c.admin); strings.Count(strings.Join(got, ","), "discuss.report") != 2 {
			t.Errorf("the moderator got %v", got)
		}
		if list, err := c.svc.Reports(ctx, c.nur); err != nil || len(list) != 0 {
			t.Errorf("a reader sees %d reports, %v", len(list), err)
		}
		list, err := c.svc.Reports(ctx, c.admin)
		if err != nil || len(list) != 2 {
			t.Fatalf("the moderator sees %d reports, %v", len(list), err)
		}
		if err := c.svc.ResolveReport(ctx, c.nur, list[0].ID, "hide"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a reader acts on a report: %v", err)
		}
		if err := c.svc.ResolveReport(ctx, c.admin, list[0].ID, "hide"); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.ResolveReport(ctx, c.admin, list[1].ID, "dismiss"); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.ResolveReport(ctx, c.admin, list[1].ID, "dismiss"); !errs.Is(err, errs.Conflict) {
			t.Errorf("closing a closed report: %v", err)
		}
		v, err := c.svc.ThreadView(ctx, c.ani, th.ID, db.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if !v.Posts[1].Hidden || v.Posts[1].HiddenReason != "Tidak sopan" || v.Posts[2].Hidden {
			t.Errorf("after the reports: %+v / %+v", v.Posts[1], v.Posts[2])
		}
		if list, _ := c.svc.Reports(ctx, c.admin); len(list) != 0 {
			t.Errorf("%d reports left open", len(list))
		}
	})
}

func TestAThreadBecomesOneDraftArticle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		q := c.thread(t, c.nur, room.ID, "Bagaimana mengekspor laporan SIKDA?", "Tombolnya tidak ada.", true)
		c.reply(t, c.budi, q.ID, "Tidak tahu.")
		ans := c.reply(t, c.ani, q.ID, "Menu Laporan → Ekspor.")
		if err := c.svc.Accept(ctx, c.nur, q.ID, ans.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.svc.Promote(ctx, c.nur, q.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee promotes: %v", err)
		}
		a, created, err := c.svc.Promote(ctx, c.agent, q.ID)
		if err != nil || !created {
			t.Fatalf("promote: %v, created %v", err, created)
		}
		if a.Title != q.Title || a.Status != knowledge.StatusDraft || a.OriginKind == nil || *a.OriginKind != knowledge.OriginThread {
			t.Errorf("article %+v", a)
		}
		for _, want := range []string{"Tombolnya tidak ada.", "Menu Laporan → Ekspor.", "Nur'aini Dottoro'ta", "Ani Ärzte", "/diskusi/utas/"} {
			if !strings.Contains(a.Body, want) {
				t.Errorf("the body lacks %q:\n%s", want, a.Body)
			}
		}
		if strings.Contains(a.Body, "Tidak tahu.") {
			t.Errorf("the body carries a reply that is not the answer:\n%s", a.Body)
		}
		again, created, err := c.svc.Promote(ctx, c.expert, q.ID)
		if err != nil || created || again.ID != a.ID {
			t.Errorf("promoting again: %d (first %d), created %v, %v", again.ID, a.ID, created, err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM articles`); n != 1 {
			t.Errorf("%d articles", n)
		}
		v, err := c.svc.ThreadView(ctx, c.nur, q.ID, db.Page{})
		if err != nil || v.ArticleID == nil || *v.ArticleID != a.ID {
			t.Errorf("the thread does not link its article: %v", err)
		}
	})
}

func TestAcceptedAnswersAndHelpfulPostsMakeInformalCoaches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		app := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		closed := c.space(t, discuss.SpaceInput{Name: "Pimpinan", Level: policy.SpaceAgency, AgencyID: c.diskes, MembersOnly: true}, c.admin)
		q := c.thread(t, c.budi, app.ID, "Ekspor laporan?", "Bagaimana?", true)
		ans := c.reply(t, c.ani, q.ID, "Menu Laporan → Ekspor.")
		if err := c.svc.Accept(ctx, c.budi, q.ID, ans.ID, true); err != nil {
			t.Fatal(err)
		}
		// Nur'aini's post is found helpful twice: 2 points, under the threshold.
		tip := c.reply(t, c.nur, q.ID, "Pakai Chrome.")
		for _, a := range []*policy.Actor{c.budi, c.ani} {
			if _, err := c.svc.React(ctx, a, tip.ID, discuss.ReactionHelpful); err != nil {
				t.Fatal(err)
			}
		}
		// The admin answers in a members-only room: it counts only for its readers.
		mq := c.thread(t, c.admin, closed.ID, "Rapat?", "Kapan?", true)
		if err := c.svc.SetMember(ctx, c.admin, closed.ID, "ani@makassarkota.go.id", discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		mans := c.reply(t, c.ani, mq.ID, "Jumat.")
		if err := c.svc.Accept(ctx, c.admin, mq.ID, mans.ID, true); err != nil {
			t.Fatal(err)
		}
		list, err := c.svc.Coaches(ctx, c.budi, c.diskes)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != "Ani Ärzte" || list[0].Accepted != 1 || list[0].Score != discuss.CoachAccepted {
			t.Fatalf("coaches for Budi: %+v", list)
		}
		if len(list[0].Apps) != 1 || list[0].Apps[0].Name != "SIKDA" || len(list[0].Topics) != 1 {
			t.Errorf("Ani coaches in %+v / %+v", list[0].Apps, list[0].Topics)
		}
		list, err = c.svc.Coaches(ctx, c.admin, c.diskes)
		if err != nil || len(list) != 1 || list[0].Accepted != 2 || len(list[0].Topics) != 2 {
			t.Errorf("coaches for the admin: %+v, %v", list, err)
		}
		// Another input (article votes, say) adds to the score.
		c.svc.AddCoachSource(func(context.Context, db.Querier, int64) (map[int64]discuss.Credit, error) {
			return map[int64]discuss.Credit{c.nur.AccountID: {Points: 1, Apps: []discuss.Topic{{ID: 99, Name: "e-Kinerja"}}}}, nil
		})
		list, err = c.svc.Coaches(ctx, c.budi, c.diskes)
		if err != nil || len(list) != 2 || list[1].Name != "Nur'aini Dottoro'ta" || list[1].Score != 3 ||
			!slices.ContainsFunc(list[1].Apps, func(a discuss.Topic) bool { return a.Name == "e-Kinerja" }) {
			t.Errorf("with another source: %+v, %v", list, err)
		}
		if list, _ := c.svc.Coaches(ctx, c.budi, c.disdik); len(list) != 0 {
			t.Errorf("Disdik's coaches: %+v", list)
		}
	})
}

// TestAnAnswerAcceptedTwiceAtOnceTellsItsAuthorOnce: acceptances take turns
// on their thread, so one that comes while the same answer is being
// accepted waits, finds it accepted and tells nobody again.
func TestAnAnswerAcceptedTwiceAtOnceTellsItsAuthorOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		q := c.thread(t, c.nur, room.ID, "Bagaimana mengekspor laporan SIKDA?", "Tombolnya tidak ada.", true)
		ans := c.reply(t, c.ani, q.ID, "Menu Laporan → Ekspor.")
		// The same acceptance, its row changed and not yet committed.
		err := dbtest.Behind(t, d, []string{"threads"}, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, ans.ID, q.ID)
			return err
		}, func() error { return c.svc.Accept(ctx, c.nur, q.ID, ans.ID, true) })
		if err != nil {
			t.Fatal(err)
		}
		var told int
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'discuss.accepted'`).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 0 {
			t.Errorf("the answer's author was told %d times by the acceptance behind the other", told)
		}
	})
}

// TestFollowingTwiceAtOnceIsNoError: a follow that comes while the same is
// being stored waits for it and keeps one row, instead of failing on the
// key (a 500 before).
func TestFollowingTwiceAtOnceIsNoError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		q := c.thread(t, c.nur, room.ID, "Bagaimana mengekspor laporan SIKDA?", "Tombolnya tidak ada.", true)
		for _, f := range []struct {
			table, insert string
			follow        func() error
		}{
			{"space_follows", `INSERT INTO space_follows (space_id, account_id, created_at) VALUES ($1, $2, $3)`,
				func() error { return c.svc.FollowSpace(ctx, c.budi, room.ID, true) }},
			{"thread_follows", `INSERT INTO thread_follows (thread_id, account_id, following, created_at) VALUES ($1, $2, TRUE, $3)`,
				func() error { return c.svc.FollowThread(ctx, c.budi, q.ID, true) }},
		} {
			id := room.ID
			if f.table == "thread_follows" {
				id = q.ID
			}
			err := dbtest.Behind(t, d, []string{f.table}, func(tx *sql.Tx) error {
				_, err := tx.Exec(f.insert, id, c.budi.AccountID, time.Now().UTC())
				return err
			}, f.follow)
			if err != nil {
				t.Errorf("%s: a follow behind the same: %v", f.table, err)
			}
			var n int
			if err := d.R.QueryRow(`SELECT count(*) FROM `+f.table+` WHERE account_id = $1`, c.budi.AccountID).Scan(&n); err != nil || n != 1 {
				t.Errorf("%s: %d rows (%v), want 1", f.table, n, err)
			}
		}
	})
}
