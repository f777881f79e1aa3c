package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

type inboxList struct {
	Items []notify.Notification
	Next  *string
}

func TestInboxAPIListsMarksAndHidesOthersNotifications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Users(t,
			servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "rekan@makassarkota.go.id", Name: "Rekan", Role: policy.Employee, Agency: "DISKES"})
		mine, other := h.AccountID(t, "nuraini@makassarkota.go.id"), h.AccountID(t, "rekan@makassarkota.go.id")
		send(t, d, mine, 3)
		send(t, d, other, 1)
		token, theirToken := h.Token(t, "nuraini@makassarkota.go.id"), h.Token(t, "rekan@makassarkota.go.id")

		r := h.Do(t, "GET", "/api/v1/notifications?limit=2", token, nil, "")
		var l inboxList
		r.JSON(t, &l)
		if r.Status != 200 || len(l.Items) != 2 || l.Next == nil || l.Items[0].Args[0] != "T-000003" {
			t.Fatalf("first page: %d %s", r.Status, r.Body)
		}
		if want := "Layanan bantuan mencatat tiket T-000003 untuk Anda: Nur'aini Dottoro'ta"; l.Items[0].Text != want {
			t.Errorf("text %q, want %q", l.Items[0].Text, want)
		}
		req, _ := http.NewRequest("GET", h.URL+"/api/v1/notifications?unread=true", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Language", "en")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var en inboxList
		servertest.Response{Status: resp.StatusCode, Body: readAll(t, resp)}.JSON(t, &en)
		if len(en.Items) != 3 || en.Items[2].Text != "The help desk logged ticket T-000001 for you: Nur'aini Dottoro'ta" {
			t.Fatalf("in English: %+v", en.Items)
		}

		var theirs inboxList
		h.Do(t, "GET", "/api/v1/notifications", theirToken, nil, "").JSON(t, &theirs)
		if len(theirs.Items) != 1 {
			t.Fatalf("their inbox has %d, want 1", len(theirs.Items))
		}
		servertest.Problem(t, h.Do(t, "POST", fmt.Sprintf("/api/v1/notifications/%d/read", theirs.Items[0].ID), token, nil, ""), 404)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/notifications/abc/read", token, nil, ""), 404)
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/notifications?unread=maybe", token, nil, ""), 422, "unread")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/notifications", "", nil, ""), 401)

		r = h.Do(t, "POST", fmt.Sprintf("/api/v1/notifications/%d/read", l.Items[0].ID), token, nil, "")
		var n notify.Notification
		r.JSON(t, &n)
		if r.Status != 200 || n.ReadAt == nil || n.Text == "" {
			t.Fatalf("read one: %d %s", r.Status, r.Body)
		}
		var marked notify.Marked
		r = h.Do(t, "POST", "/api/v1/notifications/read-all", token, nil, "")
		r.JSON(t, &marked)
		if r.Status != 200 || marked.Marked != 2 {
			t.Fatalf("read all: %d %s", r.Status, r.Body)
		}
		h.Do(t, "GET", "/api/v1/notifications?unread=true", theirToken, nil, "").JSON(t, &theirs)
		if len(theirs.Items) != 1 || theirs.Items[0].ReadAt != nil {
			t.Fatalf("marking all read touched another's inbox: %+v", theirs.Items)
		}
	})
}

func TestInboxPageShowsTheUnreadCountAndMarksRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "rekan@makassarkota.go.id", Name: "Rekan", Role: policy.Employee, Agency: "DISKES"})
		mine, other := h.AccountID(t, "nuraini@makassarkota.go.id"), h.AccountID(t, "rekan@makassarkota.go.id")
		send(t, d, mine, 2)
		send(t, d, other, 1)
		var theirID int64
		if err := d.R.QueryRow(`SELECT id FROM notifications WHERE account_id = $1`, other).Scan(&theirID); err != nil {
			t.Fatal(err)
		}
		c := h.SignIn(t, "nuraini@makassarkota.go.id", pw["nuraini@makassarkota.go.id"])

		home := c.Get("/")
		home.Want(t, 200, "home", `href="/notifikasi"`, `aria-label="2 belum dibaca">2</span>`)
		p := c.Get("/notifikasi")
		p.Want(t, 200, "inbox", "Anda punya 2 notifikasi yang belum dibaca.",
			`<a href="/bantuan/T-000002">Layanan bantuan mencatat tiket T-000002 untuk Anda: Nur&#39;aini Dottoro&#39;ta</a>`,
			"Tandai semua sudah dibaca")
		p.Lacks(t, "inbox", fmt.Sprintf("/notifikasi/%d/baca", theirID))

		c.PostForm(fmt.Sprintf("/notifikasi/%d/baca", theirID), nil).Want(t, 404, "marking another's")
		var first int64
		if err := d.R.QueryRow(`SELECT max(id) FROM notifications WHERE account_id = $1`, mine).Scan(&first); err != nil {
			t.Fatal(err)
		}
		c.PostForm(fmt.Sprintf("/notifikasi/%d/baca", first), url.Values{"unread": {"1"}}).Redirects(t, "mark one", "/notifikasi?unread=1")
		p = c.Get("/notifikasi?unread=1")
		p.Want(t, 200, "unread view", "Notifikasi ditandai sudah dibaca.", "T-000001", `aria-label="1 belum dibaca"`)
		p.Lacks(t, "unread view", "T-000002")
		c.PostForm("/notifikasi/baca-semua", nil).Redirects(t, "mark all", "/notifikasi")
		p = c.Get("/notifikasi")
		p.Want(t, 200, "all read", "Semua notifikasi sudah dibaca.")
		p.Lacks(t, "all read", "belum dibaca\">")
		var unread int
		if err := d.R.QueryRowContext(context.Background(), `SELECT count(*) FROM notifications WHERE read_at IS NULL`).Scan(&unread); err != nil || unread != 1 {
			t.Fatalf("%d unread in the database (%v), want only the other person's 1", unread, err)
		}
	})
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
