package apps_test

import (
	"context"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/web"
)

func TestCatalogPageListsAppsInIndonesian(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		c.app(t, "Dottoro'ta", c.diskes.ID, apps.StatusActive)
		c.app(t, "SIMPEG", c.bkpsdm.ID, apps.StatusMaintenance)
		b := c.browser(t, staffEmail)
		p := b.Get("/aplikasi")
		if p.Status != 200 {
			t.Fatalf("catalog: %d", p.Status)
		}
		body := p.Body
		for _, want := range []string{"Katalog aplikasi", "Dottoro'ta", "SIMPEG", "Aktif", "Dalam pemeliharaan",
			"Dinas Kesehatan", `href="/aplikasi/dottorota"`} {
			if !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("catalog lacks %q", want)
			}
		}
		if strings.Contains(body, `href="/aplikasi/baru"`) {
			t.Error("an employee is offered the create form")
		}
		body = b.Get("/aplikasi?used_by=" + strconv.FormatInt(c.bkpsdm.ID, 10)).Body
		if !strings.Contains(body, "Aplikasi yang dipakai Badan Kepegawaian") || strings.Contains(body, "SIMPEG") {
			t.Errorf("used_by filter: an app nobody uses is listed, or the heading is missing")
		}
		body = b.Get("/aplikasi?status=maintenance").Body
		if !strings.Contains(body, "SIMPEG") || strings.Contains(body, "Dottoro") {
			t.Error("status filter")
		}
	})
}

func TestDetailShowsOperatorsByAgencyViewersFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx, sys := context.Background(), policy.SystemActor(system)
		a := c.app(t, "SIPD", c.kominfo.ID, apps.StatusActive)
		if err := c.h.Svc.Apps.SetUsers(ctx, sys, a.ID, []int64{c.diskes.ID, c.bkpsdm.ID}); err != nil {
			t.Fatal(err)
		}
		for _, op := range []struct {
			agency int64
			email  string
		}{{c.bkpsdm.ID, opBkpsdm}, {c.diskes.ID, opDiskes}} {
			if err := c.h.Svc.Apps.AddOperator(ctx, sys, a.ID, op.agency, c.h.AccountID(t, op.email)); err != nil {
				t.Fatal(err)
			}
		}
		p := c.browser(t, staffEmail).Get("/aplikasi/sipd")
		if p.Status != 200 {
			t.Fatalf("detail: %d", p.Status)
		}
		body := p.Body
		mine, own, others, other := strings.Index(body, "Operator di OPD Anda"), strings.Index(body, "Rahmat Operator"),
			strings.Index(body, "Operator di OPD lain"), strings.Index(body, "Sitti Operator")
		if mine < 0 || own < mine || others < own || other < others {
			t.Errorf("operators not grouped with the viewer's agency first: %d %d %d %d", mine, own, others, other)
		}
		if !strings.Contains(body, `href="https://sipd.makassarkota.go.id" rel="noopener"`) {
			t.Error("the URL is not a noopener link")
		}
		if strings.Contains(body, "/operator/hapus") || strings.Contains(body, "/ubah") {
			t.Error("an employee is offered forms")
		}
		// Diskes' admin may name operators there, not edit Kominfo's application.
		body = c.browser(t, adminEmail).Get("/aplikasi/sipd").Body
		if !strings.Contains(body, `action="/aplikasi/sipd/operator"`) || strings.Contains(body, "/ubah") ||
			strings.Count(body, "/operator/hapus") != 1 || !strings.Contains(body, "Nur&#39;aini Daeng Caya") {
			t.Error("agency admin's forms are wrong")
		}
	})
}

func TestAPICreateGetAndErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		in := apps.AppInput{Name: "Dottoro'ta", OwnerAgencyID: c.diskes.ID, Status: "active",
			URL: "https://dottorota.makassarkota.go.id", Description: "Dokter ke rumah warga — layanan 24 jam"}
		r := c.h.Do(t, "POST", "/api/v1/apps", c.admin, in, "")
		var a apps.App
		r.JSON(t, &a)
		if r.Status != 201 || a.Slug != "dottorota" || a.Name != "Dottoro'ta" || a.OwnerAgencyName != "Dinas Kesehatan" {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		if loc != "/api/v1/apps/"+strconv.FormatInt(a.ID, 10) {
			t.Errorf("Location %q", loc)
		}
		var got apps.App
		r = c.h.Do(t, "GET", loc, c.admin, nil, "")
		r.JSON(t, &got)
		if r.Status != 200 || got.Name != in.Name || got.Description != in.Description || got.UsedBy == nil || got.Operators == nil {
			t.Errorf("get: %d %s", r.Status, r.Body)
		}

		r = c.h.Do(t, "POST", "/api/v1/apps", c.super, apps.AppInput{Name: "Dottoro ta", Slug: "dottorota", OwnerAgencyID: c.kominfo.ID}, "")
		servertest.ProblemFields(t, r, 422, "slug") // taken
		r = c.h.Do(t, "POST", "/api/v1/apps", c.super, apps.AppInput{Name: "War Room", OwnerAgencyID: 9999}, "")
		servertest.ProblemFields(t, r, 422, "owner_agency_id") // unknown
		r = c.h.Do(t, "POST", "/api/v1/apps", c.super, `{"name":"X","owner":1}`, "application/json")
		servertest.ProblemFields(t, r, 422, "owner") // unknown member
		r = c.h.Do(t, "POST", "/api/v1/apps", c.super, apps.AppInput{Name: "Baru", OwnerAgencyID: c.kominfo.ID}, "")
		servertest.ProblemFields(t, r, 422, "slug") // the slug of the create page
		r = c.h.Do(t, "POST", "/api/v1/apps", c.admin, apps.AppInput{Name: "SIMPEG", OwnerAgencyID: c.bkpsdm.ID}, "")
		servertest.Problem(t, r, 403)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/apps/9999", c.admin, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/apps", "", nil, ""), 401)
	})
}

func TestAPIPatchChangesOnlyGivenFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		a := c.app(t, "E-Budgeting", c.kominfo.ID, apps.StatusActive)
		path := "/api/v1/apps/" + strconv.FormatInt(a.ID, 10)
		r := c.h.Do(t, "PATCH", path, c.super, `{"description":"Penyusunan APBD kota","url":null}`, "application/merge-patch+json")
		var got apps.App
		r.JSON(t, &got)
		if r.Status != 200 || got.Description != "Penyusunan APBD kota" || got.URL != "" ||
			got.Name != a.Name || got.Slug != a.Slug || got.Status != a.Status || got.OwnerAgencyID != a.OwnerAgencyID {
			t.Errorf("patch: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "PATCH", path, c.super, `{"name":null,"status":"dead","colour":"red"}`, "application/merge-patch+json")
		servertest.ProblemFields(t, r, 422, "colour") // unknown member
		r = c.h.Do(t, "PATCH", path, c.super, `{"name":null,"status":"dead"}`, "application/merge-patch+json")
		p := servertest.Problem(t, r, 422)
		if !slices.ContainsFunc(p.Errors, func(f web.ProblemField) bool { return f.Field == "name" }) {
			t.Errorf("null name: %v", p)
		}
		// Diskes' admin may not change Kominfo's application.
		r = c.h.Do(t, "PATCH", path, c.admin, `{"name":"Milik Diskes"}`, "application/merge-patch+json")
		servertest.Problem(t, r, 403)
		r = c.h.Do(t, "GET", path, c.admin, nil, "")
		r.JSON(t, &got)
		if got.Name != "E-Budgeting" {
			t.Errorf("a refused patch changed the name to %q", got.Name)
		}
	})
}

func TestAPIListPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		for _, n := range []string{"Webmail", "SIMPEG", "War Room"} {
			c.app(t, n, c.kominfo.ID, apps.StatusActive)
		}
		var seen []string
		path := "/api/v1/apps?limit=1"
		for range 4 {
			var list struct {
				Items []apps.App `json:"items"`
				Next  *string    `json:"next"`
			}
			r := c.h.Do(t, "GET", path, c.admin, nil, "")
			r.JSON(t, &list)
			if r.Status != 200 || len(list.Items) != 1 {
				t.Fatalf("page: %d %s", r.Status, r.Body)
			}
			seen = append(seen, list.Items[0].Name)
			if list.Next == nil {
				break
			}
			path = "/api/v1/apps?limit=1&cursor=" + url.QueryEscape(*list.Next)
		}
		if strings.Join(seen, ",") != "SIMPEG,War Room,Webmail" {
			t.Errorf("pages: %v", seen)
		}
		var list struct{ Items []apps.App }
		c.h.Do(t, "GET", "/api/v1/apps?q=room&status=active", c.admin, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "War Room" {
			t.Errorf("q filter: %v", list.Items)
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/apps?owner_agency_id=x", c.admin, nil, ""), 422, "owner_agency_id")
	})
}

func TestAPIUsersAndOperators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		a := c.app(t, "SIPD", c.diskes.ID, apps.StatusActive)
		path := "/api/v1/apps/" + strconv.FormatInt(a.ID, 10)
		var got apps.App
		r := c.h.Do(t, "PUT", path+"/agencies", c.admin, map[string]any{"agency_ids": []int64{c.bkpsdm.ID, c.diskes.ID}}, "")
		r.JSON(t, &got)
		if r.Status != 200 || len(got.UsedBy) != 2 {
			t.Errorf("set users: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "PUT", path+"/agencies", c.admin, map[string]any{"agency_ids": []int64{9999}}, "")
		servertest.ProblemFields(t, r, 422, "agency_ids") // unknown user agency

		acc := c.h.AccountID(t, opDiskes)
		r = c.h.Do(t, "POST", path+"/operators", c.admin, apps.OperatorInput{AgencyID: c.diskes.ID, AccountID: acc}, "")
		var op apps.Operator
		r.JSON(t, &op)
		if r.Status != 201 || op.Name != "Rahmat Operator" || r.Header.Get("Location") == "" {
			t.Errorf("add operator: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "POST", path+"/operators", c.admin, apps.OperatorInput{AgencyID: c.diskes.ID, AccountID: c.h.AccountID(t, opBkpsdm)}, "")
		servertest.ProblemFields(t, r, 422, "account_id") // an operator from another agency
		servertest.Problem(t, c.h.Do(t, "POST", path+"/operators", c.h.Token(t, adminOther),
			apps.OperatorInput{AgencyID: c.diskes.ID, AccountID: acc}, ""), 403)
		del := path + "/operators/" + strconv.FormatInt(acc, 10)
		servertest.Problem(t, c.h.Do(t, "DELETE", del, c.admin, nil, ""), 422)
		if r = c.h.Do(t, "DELETE", del+"?agency_id="+strconv.FormatInt(c.diskes.ID, 10), c.admin, nil, ""); r.Status != 204 {
			t.Errorf("remove operator: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "DELETE", del+"?agency_id="+strconv.FormatInt(c.diskes.ID, 10), c.admin, nil, "")
		servertest.Problem(t, r, 404)
	})
}
