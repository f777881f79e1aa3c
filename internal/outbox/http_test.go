package outbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// put writes m to the outbox and leaves it in status with lastError, as
// the worker would have; it returns its id.
func put(t *testing.T, d *db.DB, m outbox.Message, status, lastError string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		if err := outbox.Enqueue(ctx, tx, m); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM outbox`).Scan(&id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = $1, last_error = $2, attempts = 8 WHERE id = $3`,
			status, lastError, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type messageList struct {
	Items []outbox.Message
	Next  *string
}

func list(t *testing.T, h *servertest.Harness, token, query string) messageList {
	t.Helper()
	r := h.Do(t, "GET", "/api/v1/outbox?"+query, token, nil, "")
	if r.Status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, r.Status, r.Body)
	}
	var l messageList
	r.JSON(t, &l)
	return l
}

func auditCount(t *testing.T, d *db.DB, id int64) int {
	t.Helper()
	var n int
	if err := d.W.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox' AND action = 'retry' AND entity_id = $1`,
		strconv.FormatInt(id, 10)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOutboxAPIListsFiltersAndRetriesForTheSuperadminOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.User(t, "root@makassarkota.go.id", "Super", policy.Superadmin, "")
		h.User(t, "admin@makassarkota.go.id", "Admin OPD", policy.AgencyAdmin, "DISKES")
		root, admin := h.Token(t, "root@makassarkota.go.id"), h.Token(t, "admin@makassarkota.go.id")

		sent := put(t, d, outbox.Message{Channel: outbox.Email, Address: "nuraini@makassarkota.go.id", Kind: "ticket.replied",
			Ref: "T-000123", Body: "Tiket T-000123 dijawab."}, outbox.Sent, "")
		dead := put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6281234567890", Kind: "ticket.replied",
			Ref: "T-000124", Body: "Tiket T-000124 dijawab."}, outbox.Dead, "kannel: 403 Forbidden")
		for range 3 {
			put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6285200000000", Kind: "page", Body: "Tiket mendesak"},
				outbox.Pending, "")
		}

		all := list(t, h, root, "limit=2")
		if len(all.Items) != 2 || all.Next == nil || all.Items[0].ID < all.Items[1].ID {
			t.Fatalf("first page: %+v", all)
		}
		rest := list(t, h, root, "limit=2&cursor="+url.QueryEscape(*all.Next))
		last := list(t, h, root, "limit=2&cursor="+url.QueryEscape(*rest.Next))
		if len(rest.Items) != 2 || len(last.Items) != 1 || last.Next != nil || last.Items[0].ID != sent {
			t.Errorf("pages: %+v then %+v", rest, last)
		}
		if l := list(t, h, root, "status=dead"); len(l.Items) != 1 || l.Items[0].ID != dead ||
			l.Items[0].LastError != "kannel: 403 Forbidden" || l.Items[0].Address != "+6281234567890" {
			t.Errorf("dead: %+v", l.Items)
		}
		if l := list(t, h, root, "q=t-000123"); len(l.Items) != 1 || l.Items[0].ID != sent {
			t.Errorf("by ref: %+v", l.Items)
		}
		if l := list(t, h, root, "q=NURAINI&channel=email&kind=ticket.replied"); len(l.Items) != 1 || l.Items[0].ID != sent {
			t.Errorf("by address: %+v", l.Items)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/outbox?status=lost&channel=fax", root, nil, ""),
			http.StatusUnprocessableEntity, "status", "channel")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/outbox", admin, nil, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/outbox/%d", dead), admin, nil, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", dead), admin, nil, ""), http.StatusForbidden)

		r := h.Do(t, "GET", fmt.Sprintf("/api/v1/outbox/%d", dead), root, nil, "")
		var m outbox.Message
		r.JSON(t, &m)
		if r.Status != http.StatusOK || m.Body != "Tiket T-000124 dijawab." {
			t.Errorf("get: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", dead), root, nil, "")
		r.JSON(t, &m)
		if r.Status != http.StatusOK || m.Status != outbox.Pending || m.Attempts != 0 {
			t.Errorf("retry: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", dead), root, nil, ""), http.StatusConflict)
		servertest.Problem(t, h.Do(t, "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", sent), root, nil, ""), http.StatusConflict)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/outbox/999999/retry", root, nil, ""), http.StatusNotFound)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/outbox/999999", root, nil, ""), http.StatusNotFound)
		if n := auditCount(t, d, dead); n != 1 {
			t.Errorf("%d audit records of the retry, want 1", n)
		}
	})
}

func TestInboundLogListsWhatCameInWithItsFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		pw := h.User(t, "root@makassarkota.go.id", "Super", policy.Superadmin, "")
		root := h.Token(t, "root@makassarkota.go.id")
		ctx := context.Background()
		for i, e := range []inbound.Entry{
			{Channel: "sms", ExternalID: "k-1", Sender: "+6281234567890", Body: "Printer rusak", Status: inbound.Received},
			{Channel: "email", ExternalID: "<a@b>", Sender: "warga@example.com", Subject: "Halo", Body: "x",
				Status: inbound.Refused, Reason: "loop"},
		} {
			if err := inbound.Record(ctx, d.W, e); err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
		}
		r := h.Do(t, "GET", "/api/v1/inbound-messages?channel=email", root, nil, "")
		var l struct{ Items []outbox.Inbound }
		r.JSON(t, &l)
		if r.Status != http.StatusOK || len(l.Items) != 1 || l.Items[0].Reason != "loop" || l.Items[0].Sender != "warga@example.com" {
			t.Errorf("email: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/inbound-messages?status=received", root, nil, "")
		r.JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].Body != "Printer rusak" {
			t.Errorf("received: %s", r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/inbound-messages?status=x", root, nil, ""),
			http.StatusUnprocessableEntity, "status")
		c := h.SignIn(t, "root@makassarkota.go.id", pw)
		c.Get("/admin/saluran/masuk?channel=sms").Want(t, http.StatusOK, "inbound page", "Printer rusak", "&#43;6281234567890")
	})
}

func TestDeliveryAdminPagesShowCountsRetryAndWaitOnTheHomePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		pw := h.User(t, "root@makassarkota.go.id", "Super", policy.Superadmin, "")
		apw := h.User(t, "admin@makassarkota.go.id", "Admin OPD", policy.AgencyAdmin, "DISKES")
		dead := put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6281234567890", Kind: "ticket.replied",
			Ref: "T-000124", Body: "Tiket T-000124 dijawab oleh Dottoro'ta."}, outbox.Dead, "kannel: 403 Forbidden")
		other := put(t, d, outbox.Message{Channel: outbox.SMS, Address: "+6281200000001", Kind: "ticket.page_urgent", Body: "b"}, outbox.Dead, "timeout")
		put(t, d, outbox.Message{Channel: outbox.Email, Address: "a@b.id", Kind: "page", Body: "c"}, outbox.Dead, "550")

		a := h.SignIn(t, "admin@makassarkota.go.id", apw)
		a.Get("/admin/saluran").Want(t, http.StatusForbidden, "agency admin")
		a.Get("/").Lacks(t, "agency admin's home", "gagal total", `href="/admin/saluran"`)

		c := h.SignIn(t, "root@makassarkota.go.id", pw)
		c.Get("/").Want(t, http.StatusOK, "home", "3 pesan gagal total", `href="/admin/saluran?status=dead"`, `href="/admin/saluran"`)
		c.Get("/admin/saluran").Want(t, http.StatusOK, "list", `id="count-dead-sms">2<`, "&#43;6281234567890",
			"kannel: 403 Forbidden", fmt.Sprintf(`id="retry-%d"`, dead), "Kirim ulang semua SMS yang gagal total (2)",
			"Tiket bantuan", "Panggilan piket (tiket mendesak)") // what each is, in words
		c.Get(fmt.Sprintf("/admin/saluran/%d", dead)).Want(t, http.StatusOK, "detail", "Tiket T-000124 dijawab oleh Dottoro&#39;ta.")
		c.PostForm(fmt.Sprintf("/admin/saluran/%d/kirim-ulang", dead), nil).
			Redirects(t, "retry", fmt.Sprintf("/admin/saluran/%d", dead))
		c.Get(fmt.Sprintf("/admin/saluran/%d", dead)).Want(t, http.StatusOK, "after retry", "dimasukkan kembali", "Menunggu")
		c.PostForm(fmt.Sprintf("/admin/saluran/%d/kirim-ulang", dead), nil).Want(t, http.StatusConflict, "retry twice")
		c.PostForm("/admin/saluran/kirim-ulang", url.Values{"channel": {"sms"}}).Redirects(t, "bulk", "/admin/saluran?channel=sms")
		c.Get("/admin/saluran?status=dead").Want(t, http.StatusOK, "dead left", "a@b.id")
		c.Get("/admin/saluran?status=dead").Lacks(t, "dead left", "6281200000001")
		c.PostForm("/admin/saluran/kirim-ulang", url.Values{"channel": {"fax"}}).Want(t, http.StatusUnprocessableEntity, "bad channel")
		c.Get("/").Want(t, http.StatusOK, "home after", "1 pesan gagal total")
		// The bulk retry found the first message pending already: one record each.
		if n, m := auditCount(t, d, dead), auditCount(t, d, other); n != 1 || m != 1 {
			t.Errorf("audit records of the retries: %d and %d, want 1 and 1", n, m)
		}
	})
}
