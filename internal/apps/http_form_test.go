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
		status, body := page(t, b, c.h.URL+"/aplikasi/baru")
		if status != 200 || !strings.Contains(body, `<label for="f-name">`) {
			t.Fatalf("create form: %d", status)
		}
		form := url.Values{"csrf": {csrfOf(t, body)}, "name": {"Dottoro'ta"}, "owner_agency_id": {strconv.FormatInt(c.diskes.ID, 10)},
			"status": {"active"}, "url": {"https://dottorota.makassarkota.go.id"}, "description": {"Dokter ke rumah warga"}}
		resp := post(t, b, c.h.URL+"/aplikasi/baru", form)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/aplikasi/dottorota" {
			t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		status, body = page(t, b, c.h.URL+"/aplikasi/dottorota")
		if status != 200 || !strings.Contains(body, "Aplikasi ditambahkan ke katalog.") ||
			!strings.Contains(html.UnescapeString(body), "<h1>Dottoro'ta</h1>") {
			t.Errorf("after create: %d", status)
		}
		a, err := c.h.Svc.Apps.GetAppBySlug(context.Background(), "dottorota")
		if err != nil || a.Name != "Dottoro'ta" || a.OwnerAgencyID != c.diskes.ID {
			t.Errorf("stored: %+v %v", a, err)
		}

		// A taken slug shows the form again with the message beside the field.
		form.Set("slug", "dottorota")
		form.Set("name", "Dottoro'ta 2")
		resp, err = b.PostForm(c.h.URL+"/aplikasi/baru", form)
		if err != nil {
			t.Fatal(err)
		}
		body = readAll(t, resp)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-slug"`) || !strings.Contains(body, "sudah dipakai aplikasi lain") ||
			!strings.Contains(body, `value="Dottoro&#39;ta 2"`) {
			t.Errorf("taken slug: %d", resp.StatusCode)
		}
	})
}

func TestFormsNeedCSRFAndRights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		a := c.app(t, "War Room", c.kominfo.ID, apps.StatusActive)
		b := c.browser(t, superEmail)
		resp := post(t, b, c.h.URL+"/aplikasi/baru", url.Values{"name": {"Tanpa Token"},
			"owner_agency_id": {strconv.FormatInt(c.kominfo.ID, 10)}})
		if resp.StatusCode != 403 {
			t.Errorf("create without csrf: %d", resp.StatusCode)
		}
		if _, err := c.h.Svc.Apps.GetAppBySlug(context.Background(), "tanpa-token"); err == nil {
			t.Error("an app was created without a csrf token")
		}
		staff := c.browser(t, staffEmail)
		if status, _ := page(t, staff, c.h.URL+"/aplikasi/baru"); status != 403 {
			t.Errorf("employee opens the create form: %d", status)
		}
		status, body := page(t, staff, c.h.URL+"/aplikasi/war-room")
		if status != 200 {
			t.Fatalf("detail: %d", status)
		}
		resp = post(t, staff, c.h.URL+"/aplikasi/war-room/ubah", url.Values{"csrf": {csrfOf(t, body)}, "name": {"Diambil alih"},
			"owner_agency_id": {strconv.FormatInt(c.kominfo.ID, 10)}, "status": {"active"}})
		if resp.StatusCode != 403 {
			t.Errorf("employee edits: %d", resp.StatusCode)
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
		_, body := page(t, b, c.h.URL+"/aplikasi/webmail/ubah")
		csrf := csrfOf(t, body)
		resp := post(t, b, c.h.URL+"/aplikasi/webmail/ubah", url.Values{"csrf": {csrf}, "name": {"Webmail Kota"},
			"slug": {"webmail-kota"}, "owner_agency_id": {strconv.FormatInt(c.diskes.ID, 10)}, "status": {"maintenance"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/aplikasi/webmail-kota" {
			t.Fatalf("edit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp = post(t, b, c.h.URL+"/aplikasi/webmail-kota/pengguna", url.Values{"csrf": {csrf},
			"agency_id": {strconv.FormatInt(c.diskes.ID, 10), strconv.FormatInt(c.bkpsdm.ID, 10)}})
		if resp.StatusCode != 303 {
			t.Errorf("set users: %d", resp.StatusCode)
		}
		acc := strconv.FormatInt(c.account(t, opDiskes), 10)
		agency := strconv.FormatInt(c.diskes.ID, 10)
		resp, err := b.PostForm(c.h.URL+"/aplikasi/webmail-kota/operator", url.Values{"csrf": {csrf}, "agency_id": {agency},
			"account_id": {strconv.FormatInt(c.account(t, opBkpsdm), 10)}})
		if err != nil {
			t.Fatal(err)
		}
		if body = readAll(t, resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-account_id"`) {
			t.Errorf("operator from another agency: %d", resp.StatusCode)
		}
		resp = post(t, b, c.h.URL+"/aplikasi/webmail-kota/operator", url.Values{"csrf": {csrf}, "agency_id": {agency}, "account_id": {acc}})
		if resp.StatusCode != 303 {
			t.Errorf("add operator: %d", resp.StatusCode)
		}
		a, _ := c.h.Svc.Apps.GetAppBySlug(context.Background(), "webmail-kota")
		if a.Status != "maintenance" || len(a.UsedBy) != 2 || len(a.Operators) != 1 || a.Operators[0].Name != "Rahmat Operator" {
			t.Errorf("after the forms: %+v", a)
		}
		resp = post(t, b, c.h.URL+"/aplikasi/webmail-kota/operator/hapus", url.Values{"csrf": {csrf}, "agency_id": {agency}, "account_id": {acc}})
		if resp.StatusCode != 303 {
			t.Errorf("remove operator: %d", resp.StatusCode)
		}
		if a, _ = c.h.Svc.Apps.GetAppBySlug(context.Background(), "webmail-kota"); len(a.Operators) != 0 {
			t.Errorf("operator not removed: %+v", a.Operators)
		}
	})
}
