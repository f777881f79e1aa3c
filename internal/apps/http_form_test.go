package apps_test

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

func TestFormCreateAsSuperadmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		b := c.browser(t, superEmail)
		p := b.Get("/aplikasi/baru")
		if p.Status != 200 || !strings.Contains(p.Body, `<label for="f-name">`) {
			t.Fatalf("create form: %d", p.Status)
		}
		form := url.Values{"name": {"Dottoro'ta"}, "owner_agency_id": {strconv.FormatInt(c.diskes.ID, 10)},
			"status": {"active"}, "url": {"https://dottorota.makassarkota.go.id"}, "description": {"Dokter ke rumah warga"}}
		p = b.PostForm("/aplikasi/baru", form)
		if p.Status != 303 || p.Location != "/aplikasi/dottorota" {
			t.Fatalf("create: %d %s", p.Status, p.Location)
		}
		p = b.Get("/aplikasi/dottorota")
		if p.Status != 200 || !strings.Contains(p.Body, "Aplikasi ditambahkan ke katalog.") ||
			!strings.Contains(html.UnescapeString(p.Body), "<h1>Dottoro'ta</h1>") {
			t.Errorf("after create: %d", p.Status)
		}
		a, err := c.h.Svc.Apps.GetAppBySlug(context.Background(), "dottorota")
		if err != nil || a.Name != "Dottoro'ta" || a.OwnerAgencyID != c.diskes.ID {
			t.Errorf("stored: %+v %v", a, err)
		}

		// A taken slug shows the form again with the message beside the field.
		form.Set("slug", "dottorota")
		form.Set("name", "Dottoro'ta 2")
		p = b.PostForm("/aplikasi/baru", form)
		if p.Status != 422 || !strings.Contains(p.Body, `id="e-slug"`) || !strings.Contains(p.Body, "sudah dipakai aplikasi lain") ||
			!strings.Contains(p.Body, `value="Dottoro&#39;ta 2"`) {
			t.Errorf("taken slug: %d", p.Status)
		}
	})
}

func TestFormsNeedCSRFAndRights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		a := c.app(t, "War Room", c.kominfo.ID, apps.StatusActive)
		b := c.browser(t, superEmail)
		p := b.PostForm("/aplikasi/baru", url.Values{"csrf": nil, "name": {"Tanpa Token"},
			"owner_agency_id": {strconv.FormatInt(c.kominfo.ID, 10)}})
		if p.Status != 403 {
			t.Errorf("create without csrf: %d", p.Status)
		}
		if _, err := c.h.Svc.Apps.GetAppBySlug(context.Background(), "tanpa-token"); err == nil {
			t.Error("an app was created without a csrf token")
		}
		staff := c.browser(t, staffEmail)
		if p := staff.Get("/aplikasi/baru"); p.Status != 403 {
			t.Errorf("employee opens the create form: %d", p.Status)
		}
		if p = staff.Get("/aplikasi/war-room"); p.Status != 200 {
			t.Fatalf("detail: %d", p.Status)
		}
		p = staff.PostForm("/aplikasi/war-room/ubah", url.Values{"name": {"Diambil alih"},
			"owner_agency_id": {strconv.FormatInt(c.kominfo.ID, 10)}, "status": {"active"}})
		if p.Status != 403 {
			t.Errorf("employee edits: %d", p.Status)
		}
		if got, _ := c.h.Svc.Apps.GetApp(context.Background(), a.ID); got.Name != "War Room" {
			t.Errorf("a refused edit changed the name to %q", got.Name)
		}
	})
}

func TestFormsEditUsersAndOperators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		c.app(t, "Webmail", c.diskes.ID, apps.StatusActive)
		b := c.browser(t, adminEmail)
		b.Get("/aplikasi/webmail/ubah")
		p := b.PostForm("/aplikasi/webmail/ubah", url.Values{"name": {"Webmail Kota"},
			"slug": {"webmail-kota"}, "owner_agency_id": {strconv.FormatInt(c.diskes.ID, 10)}, "status": {"maintenance"}})
		if p.Status != 303 || p.Location != "/aplikasi/webmail-kota" {
			t.Fatalf("edit: %d %s", p.Status, p.Location)
		}
		p = b.PostForm("/aplikasi/webmail-kota/pengguna", url.Values{
			"agency_id": {strconv.FormatInt(c.diskes.ID, 10), strconv.FormatInt(c.bkpsdm.ID, 10)}})
		if p.Status != 303 {
			t.Errorf("set users: %d", p.Status)
		}
		acc := strconv.FormatInt(c.h.AccountID(t, opDiskes), 10)
		agency := strconv.FormatInt(c.diskes.ID, 10)
		p = b.PostForm("/aplikasi/webmail-kota/operator", url.Values{"agency_id": {agency},
			"account_id": {strconv.FormatInt(c.h.AccountID(t, opBkpsdm), 10)}})
		if p.Status != 422 || !strings.Contains(p.Body, `id="e-account_id"`) {
			t.Errorf("operator from another agency: %d", p.Status)
		}
		p = b.PostForm("/aplikasi/webmail-kota/operator", url.Values{"agency_id": {agency}, "account_id": {acc}})
		if p.Status != 303 {
			t.Errorf("add operator: %d", p.Status)
		}
		a, _ := c.h.Svc.Apps.GetAppBySlug(context.Background(), "webmail-kota")
		if a.Status != "maintenance" || len(a.UsedBy) != 2 || len(a.Operators) != 1 || a.Operators[0].Name != "Rahmat Operator" {
			t.Errorf("after the forms: %+v", a)
		}
		p = b.PostForm("/aplikasi/webmail-kota/operator/hapus", url.Values{"agency_id": {agency}, "account_id": {acc}})
		if p.Status != 303 {
			t.Errorf("remove operator: %d", p.Status)
		}
		if a, _ = c.h.Svc.Apps.GetAppBySlug(context.Background(), "webmail-kota"); len(a.Operators) != 0 {
			t.Errorf("operator not removed: %+v", a.Operators)
		}
	})
}
