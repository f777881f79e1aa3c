package competency_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func employeeOf(t *testing.T, d *db.DB, email string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTheFrameworkAPIVersionsCompetenciesAndTakesRequirementsAndAssessments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		h.User(t, "ahli@makassarkota.go.id", "Andi Dottoro'ta", policy.Expert, "")
		h.User(t, "staf@makassarkota.go.id", "Nur'aini", policy.Employee, "DINKES")
		expert, staff := h.Token(t, "ahli@makassarkota.go.id"), h.Token(t, "staf@makassarkota.go.id")
		if _, err := competency.EnsureDefaults(context.Background(), d); err != nil {
			t.Fatal(err)
		}

		var list struct {
			Items []competency.Competency `json:"items"`
			Next  *string                 `json:"next"`
		}
		r := h.Do(t, "GET", "/api/v1/competencies?q=keamanan", staff, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 1 || list.Items[0].Code != competency.CodeSecurity || list.Next != nil {
			t.Fatalf("search: %d %s", r.Status, r.Body)
		}
		var fws struct{ Items []competency.Framework }
		h.Do(t, "GET", "/api/v1/competency-frameworks", staff, nil, "").JSON(t, &fws)
		if len(fws.Items) != 2 {
			t.Fatalf("frameworks: %+v", fws)
		}

		fwPath := fmt.Sprintf("/api/v1/competency-frameworks/%d", fws.Items[0].ID)
		var fw competency.Framework
		r = h.Do(t, "PATCH", fwPath, expert, `{"description": "Untuk semua pegawai Dottoro'ta", "note": "uraian"}`, "application/merge-patch+json")
		r.JSON(t, &fw)
		if r.Status != 200 || fw.Version != fws.Items[0].Version+1 || fw.Description != "Untuk semua pegawai Dottoro'ta" {
			t.Fatalf("framework patch: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "PATCH", fwPath, expert, `{"name": null}`, "application/merge-patch+json"), 422, "name")
		servertest.Problem(t, h.Do(t, "PATCH", fwPath, staff, `{"name": "X"}`, "application/merge-patch+json"), 403)
		var frevs struct {
			Items []competency.FrameworkRevision
		}
		h.Do(t, "GET", fwPath+"/revisions", staff, nil, "").JSON(t, &frevs)
		if len(frevs.Items) != 2 || frevs.Items[0].Note != "uraian" {
			t.Errorf("framework revisions: %+v", frevs)
		}

		in := competency.Input{FrameworkID: fws.Items[0].ID, Code: "tnde", Name: "Tata naskah dinas elektronik",
			Levels: levels("Tingkat"), ValidityMonths: new(24)}
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/competencies", staff, in, ""), 403)
		r = h.Do(t, "POST", "/api/v1/competencies", expert, in, "")
		var c competency.Competency
		r.JSON(t, &c)
		if r.Status != 201 || c.Version != 1 || !strings.HasSuffix(r.Header.Get("Location"), fmt.Sprintf("/api/v1/competencies/%d", c.ID)) {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/competencies", expert,
			map[string]any{"framework_id": c.FrameworkID, "code": "X Y", "name": "", "levels": []string{"a"}}, ""), 422, "code", "levels", "name")

		path := fmt.Sprintf("/api/v1/competencies/%d", c.ID)
		r = h.Do(t, "PATCH", path, expert, `{"version": 1, "name": "TNDE Dottoro'ta", "validity_months": null, "note": "nama singkat"}`,
			"application/merge-patch+json")
		r.JSON(t, &c)
		if r.Status != 200 || c.Version != 2 || c.Name != "TNDE Dottoro'ta" || c.ValidityMonths != nil {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "PATCH", path, expert, `{"version": 1, "name": "Lagi"}`, "application/merge-patch+json"), 409)
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, expert, `{"code": "baru"}`, "application/merge-patch+json"), 422, "code")
		var revs struct{ Items []competency.Revision }
		h.Do(t, "GET", path+"/revisions", staff, nil, "").JSON(t, &revs)
		if len(revs.Items) != 2 || revs.Items[1].Name != "Tata naskah dinas elektronik" {
			t.Errorf("revisions: %+v", revs)
		}
		var rev competency.Revision
		if r = h.Do(t, "GET", path+"/revisions/1", staff, nil, ""); r.Status != 200 {
			t.Fatalf("revision 1: %d", r.Status)
		}
		r.JSON(t, &rev)
		if rev.ValidityMonths == nil || *rev.ValidityMonths != 24 {
			t.Errorf("revision 1 validity %v", rev.ValidityMonths)
		}
		servertest.Problem(t, h.Do(t, "GET", path+"/revisions/9", staff, nil, ""), 404)

		// The ETag of a read is what If-Match takes, as for articles and tickets.
		read := h.Do(t, "GET", path, staff, nil, "")
		if etag := read.Header.Get("ETag"); etag != `"2"` {
			t.Errorf("ETag of version 2: %q", etag)
		}
		stale := http.Header{"If-Match": {`"1"`}}
		servertest.Problem(t, h.DoWith(t, stale, "PATCH", path, expert, `{"description": "Lagi"}`, "application/merge-patch+json"), 409)
		servertest.ProblemFields(t, h.DoWith(t, http.Header{"If-Match": {"kemarin"}}, "PATCH", path, expert,
			`{"description": "Lagi"}`, "application/merge-patch+json"), 422, "If-Match")
		r = h.DoWith(t, http.Header{"If-Match": {read.Header.Get("ETag")}}, "PATCH", path, expert, `{"description": "Surat dinas elektronik"}`,
			"application/merge-patch+json")
		if r.Status != 200 || r.Header.Get("ETag") != `"3"` {
			t.Fatalf("patch with If-Match: %d %s %q", r.Status, r.Body, r.Header.Get("ETag"))
		}

		// Requirements.
		role := "employee"
		req := competency.RequirementInput{CompetencyID: c.ID, Level: 2, Role: &role}
		r = h.Do(t, "POST", "/api/v1/requirements", expert, req, "")
		var got competency.Requirement
		r.JSON(t, &got)
		if r.Status != 201 || got.CompetencyCode != "tnde" {
			t.Fatalf("requirement: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/requirements", expert, req, ""), 409)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/requirements", staff, req, ""), 403)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/requirements", expert, map[string]any{"competency_id": c.ID, "level": 2}, ""), 422, "target")
		reqPath := fmt.Sprintf("/api/v1/requirements/%d", got.ID)
		if r = h.Do(t, "PATCH", reqPath, expert, `{"level": 3}`, "application/merge-patch+json"); r.Status != 200 {
			t.Errorf("requirement level: %d %s", r.Status, r.Body)
		}
		var reqs struct{ Items []competency.Requirement }
		h.Do(t, "GET", fmt.Sprintf("/api/v1/requirements?competency_id=%d", c.ID), staff, nil, "").JSON(t, &reqs)
		if len(reqs.Items) != 1 || reqs.Items[0].Level != 3 {
			t.Errorf("requirements of tnde: %+v", reqs)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/requirements?limit=501", staff, nil, ""), 422)

		// A person's own assessment; the profile.
		me := employeeOf(t, d, "staf@makassarkota.go.id")
		prof := fmt.Sprintf("/api/v1/employees/%d/competencies", me)
		r = h.Do(t, "POST", prof, staff, map[string]any{"code": "tnde", "level": 2, "note": "Sudah memakai TNDE"}, "")
		var a competency.Assessment
		r.JSON(t, &a)
		if r.Status != 201 || a.Source != "self" || a.CompetencyCode != "tnde" {
			t.Fatalf("self-assessment: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", prof, staff, map[string]any{"code": "tnde", "level": 9, "score": 140}, ""), 422, "level", "score")
		servertest.Problem(t, h.Do(t, "POST", prof, staff, `{"code": "tnde", "level": "dua"}`, "application/json"), 422)
		r = h.Do(t, "POST", prof, expert, map[string]any{"competency_id": c.ID, "level": 3, "evidence_kind": "document", "evidence_ref": "BA-17"}, "")
		if r.Status != 201 {
			t.Fatalf("an expert verifying: %d %s", r.Status, r.Body)
		}
		var items struct{ Items []competency.ProfileItem }
		h.Do(t, "GET", prof, staff, nil, "").JSON(t, &items)
		if len(items.Items) != 1 || items.Items[0].Level != 3 || items.Items[0].SelfLevel != 2 || items.Items[0].Source != "trainer" {
			t.Errorf("profile: %+v", items)
		}
		var hist struct{ Items []competency.Assessment }
		h.Do(t, "GET", fmt.Sprintf("/api/v1/employees/%d/assessments?limit=1", me), staff, nil, "").JSON(t, &hist)
		if len(hist.Items) != 1 || hist.Items[0].EvidenceRef != "BA-17" || hist.Items[0].AssessorName != "Andi Dottoro'ta" {
			t.Errorf("history: %+v", hist)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/employees/999999/competencies", staff, nil, ""), 404)
		servertest.Problem(t, h.Do(t, "GET", prof, "", nil, ""), 401)
		if r = h.Do(t, "DELETE", reqPath, expert, nil, ""); r.Status != 204 {
			t.Errorf("delete requirement: %d", r.Status)
		}

		r = h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "")
		for _, p := range []string{"/api/v1/competencies/{id}/revisions", "/api/v1/requirements/{id}", "/api/v1/employees/{id}/competencies"} {
			if !strings.Contains(string(r.Body), p) {
				t.Errorf("the OpenAPI document lacks %s", p)
			}
		}
	})
}

func TestThePagesEditCompareRequireAndAssess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := servertest.Start(t, d)
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		pw := h.Users(t, servertest.Person{Email: "ahli@makassarkota.go.id", Name: "Andi", Role: policy.Expert},
			servertest.Person{Email: "staf@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DINKES"},
			servertest.Person{Email: "bos@makassarkota.go.id", Name: "Karaeng Bos", Role: policy.Employee, Agency: "DINKES"})
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		staffID, bossID := employeeOf(t, d, "staf@makassarkota.go.id"), employeeOf(t, d, "bos@makassarkota.go.id")
		if _, err := d.W.Exec(`UPDATE employees SET supervisor_id = $1 WHERE id = $2`, bossID, staffID); err != nil {
			t.Fatal(err)
		}
		c, err := competency.NewService(d).ByCode(ctx, competency.CodeWebmail)
		if err != nil {
			t.Fatal(err)
		}
		art, err := db.InsertID(ctx, d.W, `INSERT INTO articles (title, body, status, created_at, updated_at)
			VALUES ('Mengatur tanda tangan surel', 'isi', 'published', $1, $1) RETURNING id`, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`INSERT INTO article_competencies (article_id, code) VALUES ($1, 'webmail')`, art); err != nil {
			t.Fatal(err)
		}

		expert := h.SignIn(t, "ahli@makassarkota.go.id", pw["ahli@makassarkota.go.id"])
		expert.Get("/kompetensi").Want(t, 200, "the framework", "Kompetensi digital umum", "Surel dinas (webmail)", `href="/kompetensi/baru"`)
		page := fmt.Sprintf("/kompetensi/%d", c.ID)
		expert.Get(page).Want(t, 200, "the competency", "Mengatur tanda tangan surel", "Bisa masuk ke webmail", `id="assess-self"`)
		newForm := url.Values{"framework_id": {fmt.Sprint(c.FrameworkID)}, "code": {"tnde.operasi"}, "name": {"Mengoperasikan TNDE"},
			"level1": {"a"}, "level2": {"b"}, "level3": {"c"}, "level4": {"d"}, "validity_months": {"24"}, "app_id": {""}, "app_use": {"operate"}}
		created := expert.Submit("/kompetensi/baru", newForm)
		if created.Status != 303 || !strings.HasPrefix(created.Location, "/kompetensi/") {
			t.Fatalf("a new competency: %d %q", created.Status, created.Location)
		}
		expert.Get(created.Location).Want(t, 200, "the new competency", "tnde.operasi", "24 bulan")
		expert.Submit("/kompetensi/baru", newForm).Want(t, 422, "a taken code", `id="e-code"`, "Mengoperasikan TNDE")

		form := url.Values{"framework_id": {fmt.Sprint(c.FrameworkID)}, "name": {"Surel dinas"}, "description": {c.Description},
			"level1": {c.Levels[0]}, "level2": {"Mengirim surel berlampiran"}, "level3": {c.Levels[2]}, "level4": {c.Levels[3]},
			"validity_months": {""}, "version": {"1"}, "note": {"ringkas"}}
		expert.Submit(page+"/ubah", form).Redirects(t, "an edit", page)
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("level2", "")
		bad.Set("version", "2")
		bad.Set("validity_months", "dua")
		expert.Submit(page+"/ubah", bad).Want(t, 422, "a bad edit", `id="e-validity_months"`)
		bad.Set("validity_months", "")
		bad.Set("name", "Nama Nur'aini")
		expert.Submit(page+"/ubah", bad).Want(t, 422, "an empty level", `id="e-level2"`, "Nama Nur&#39;aini")
		expert.Get(page+"/riwayat").Want(t, 200, "the history", "ringkas", `name="dari"`)
		expert.Get(page+"/beda?dari=1&ke=2").Want(t, 200, "the comparison", "<del>", "<ins>", "berlampiran")
		expert.Get(page+"/beda?dari=1&ke=7").Want(t, 404, "a version that does not exist")

		expert.Submit("/kompetensi/persyaratan", url.Values{"competency_id": {fmt.Sprint(c.ID)}, "level": {"2"},
			"target": {"role"}, "role": {"employee"}, "agency_id": {""}}).
			Redirects(t, "a requirement", fmt.Sprintf("/kompetensi/persyaratan?kompetensi=%d", c.ID))
		expert.Submit("/kompetensi/persyaratan", url.Values{"competency_id": {fmt.Sprint(c.ID)}, "level": {"2"},
			"target": {"position"}, "agency_id": {""}}).Want(t, 422, "a requirement for no one", `id="e-target"`)
		expert.Get(page).Want(t, 200, "the competency's requirements", "peran Pegawai")

		staff := h.SignIn(t, "staf@makassarkota.go.id", pw["staf@makassarkota.go.id"])
		staff.Get("/kompetensi/saya").Want(t, 200, "my profile", "Nilai diri sendiri", `id="profile-empty"`)
		mine := fmt.Sprintf("/pegawai/%d/kompetensi", staffID)
		staff.PostForm(mine, url.Values{"competency_id": {fmt.Sprint(c.ID)}, "level": {"3"}, "note": {"Tiap hari"}}).
			Redirects(t, "a self-assessment", mine)
		staff.PostForm(mine, url.Values{"competency_id": {fmt.Sprint(c.ID)}, "level": {"7"}}).Want(t, 422, "level 7", `id="e-level"`)
		staff.Get(mine).Want(t, 200, "the profile", "menunggu verifikasi", "Tiap hari")
		for _, path := range []string{mine, "/kompetensi", page, "/kompetensi/persyaratan", page + "/riwayat", page + "/beda?dari=1&ke=2"} {
			staff.Get(path).Lacks(t, path+": a badly formatted text", "%!")
		}

		boss := h.SignIn(t, "bos@makassarkota.go.id", pw["bos@makassarkota.go.id"])
		boss.Get("/kompetensi/verifikasi").Want(t, 200, "the queue", "Nur&#39;aini")
		dir := t.TempDir()
		exe, doc := filepath.Join(dir, "alat.exe"), filepath.Join(dir, "Nota dinas Nur'aini.txt")
		if err := os.WriteFile(exe, []byte("MZ\x90\x00binary"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(doc, []byte("Nota dinas 12: sudah memakai webmail setiap hari.\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fields := url.Values{"competency_id": {fmt.Sprint(c.ID)}, "level": {"2"}, "assessed_on": {"2026-01-05"}}
		boss.Upload(mine, fields, "file", exe).Want(t, 422, "an executable as evidence", `id="e-file"`)
		boss.Upload(mine, fields, "file", doc).Redirects(t, "a verification with a document", mine)
		p := boss.Get(mine)
		p.Want(t, 200, "the verified profile", "Tingkat 2", "Atasan langsung", "Nota dinas Nur")
		link := regexp.MustCompile(`/pegawai/\d+/kompetensi/bukti/\d+`).FindString(p.Body)
		if link == "" {
			t.Fatal("no link to the evidence document")
		}
		got := staff.Get(link)
		got.Want(t, 200, "the person downloading their evidence", "Nota dinas 12")
		if cd := got.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
			t.Errorf("evidence served as %q", cd)
		}
		h.SignIn(t, "ahli@makassarkota.go.id", pw["ahli@makassarkota.go.id"]).Get(link).Want(t, 200, "the expert team downloading")
		boss.Get("/kompetensi/verifikasi").Want(t, 200, "the emptied queue", `id="requests-empty"`)
		expert.Get(page).Want(t, 200, "the levels held", `id="holders"`)
		staff.Get(page).Lacks(t, "the levels held, for an employee", `id="holders"`)
		staff.Get(fmt.Sprintf("/pegawai/%d/kompetensi", bossID)).Want(t, 403, "someone else's profile")
		staff.Get(fmt.Sprintf("/pegawai/%d/kompetensi/bukti/1", bossID)).Want(t, 403, "someone else's evidence")
		staff.Get(page+"/ubah").Want(t, 403, "an employee's edit form")
	})
}
