package discuss_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestAuthorsEditTheirPostsAndTitlesModeratorsAnyone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Forum", Level: policy.SpaceCity})
		th := c.thread(t, c.nur, room.ID, "Salah ketk", "Isi awal", false)
		v, _ := c.svc.ThreadView(ctx, c.nur, th.ID, db.Page{})
		first := v.Posts[0].ID
		p, err := c.svc.EditPost(ctx, c.nur, first, discuss.PostInput{Body: "Isi **baru** Dottoro'ta"})
		if err != nil || !p.Edited || p.Body != "Isi **baru** Dottoro'ta" {
			t.Errorf("the author's edit: %+v, %v", p, err)
		}
		if _, err := c.svc.EditPost(ctx, c.budi, first, discuss.PostInput{Body: "bukan punyaku"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("someone else edits: %v", err)
		}
		if _, err := c.svc.EditPost(ctx, c.nur, first, discuss.PostInput{Body: ""}); !errs.Is(err, errs.Invalid) {
			t.Errorf("an empty edit: %v", err)
		}
		if err := c.svc.Rename(ctx, c.nur, th.ID, "Salah ketik"); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.Rename(ctx, c.budi, th.ID, "Judul Budi"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("someone else renames: %v", err)
		}
		if err := c.svc.SetFlag(ctx, c.expert, th.ID, "locked", true); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.Rename(ctx, c.nur, th.ID, "Lagi"); !errs.Is(err, errs.Conflict) {
			t.Errorf("the author renames a locked thread: %v", err)
		}
		if _, err := c.svc.EditPost(ctx, c.nur, first, discuss.PostInput{Body: "lagi"}); !errs.Is(err, errs.Conflict) {
			t.Errorf("the author edits in a locked thread: %v", err)
		}
		if err := c.svc.Rename(ctx, c.expert, th.ID, "Judul dari moderator"); err != nil {
			t.Errorf("a moderator renames a locked thread: %v", err)
		}
		v, _ = c.svc.ThreadView(ctx, c.budi, th.ID, db.Page{})
		if v.Title != "Judul dari moderator" || !v.Posts[0].Edited {
			t.Errorf("after the edits: %q, edited %v", v.Title, v.Posts[0].Edited)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND entity IN ('post', 'thread')`); n != 4 {
			t.Errorf("%d audit records of edits (want the edit, two renames and the lock)", n)
		}
	})
}

func TestALinkToAPostOpensThePageThatShowsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		forum := s.createSpace(t, s.expert, url.Values{"name": {"Forum Kota"}, "level": {"city"}})
		th := s.post(t, s.nur, forum, url.Values{"title": {"Utas panjang"}, "body": {"mulai"}})
		tp := fmt.Sprintf("/diskusi/utas/%d", th)
		var last string
		for i := range 35 {
			r := s.h.Do(t, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", th), s.budiTok, map[string]any{"body": fmt.Sprintf("balasan %d", i)}, "")
			if r.Status != http.StatusCreated {
				t.Fatalf("reply %d: %d", i, r.Status)
			}
			var p discuss.Post
			r.JSON(t, &p)
			last = fmt.Sprint(p.ID)
		}
		s.nur.Get(tp).Lacks(t, "the first page", `id="p`+last+`"`)
		s.nur.Get(tp).Want(t, http.StatusOK, "the first page's pager", `rel="next"`)
		s.nur.Get(tp+"?kiriman="+last).Want(t, http.StatusOK, "the page of the last post", `id="p`+last+`"`)
	})
}
