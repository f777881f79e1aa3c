package knowledge_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

var articleLink = regexp.MustCompile(`^/pengetahuan/(\d+)$`)

func TestAnOperatorWritesAReviewerPublishesAnEmployeeReads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		app, err := h.Svc.Apps.CreateApp(t.Context(), policy.SystemActor("test"), apps.AppInput{Slug: "simpeg", Name: "SIMPEG",
			OwnerAgencyID: tm.agency, Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		op := h.SignIn(t, opEmail, tm.pw[opEmail])
		op.Get("/pengetahuan").Want(t, 200, "the knowledge home", "Basis pengetahuan", `href="/pengetahuan/baru"`, "SIMPEG")
		form := url.Values{"title": {"Cara mengajukan cuti di SIMPEG"}, "category_id": {fmt.Sprint(tm.category)},
			"app_ids": {fmt.Sprint(app.ID)}, "competencies": {"simpeg.cuti, simpeg.input-data"},
			"body": {"## Langkah\n\n1. Masuk SIMPEG.\n2. Pilih **Cuti**.\n\n<script>alert(1)</script>"}}

		// Preview works without JavaScript and saves nothing.
		form.Set("action", "preview")
		p := op.Submit("/pengetahuan/baru", form)
		p.Want(t, 200, "the preview", `id="preview"`, `<h2 id="md-langkah">Langkah</h2>`, "<strong>Cuti</strong>",
			"Cara mengajukan cuti di SIMPEG")
		p.Lacks(t, "the preview", "<script>alert")
		if list, _, _ := h.Svc.KB.List(t.Context(), policy.SystemActor("test"), knowledge.Filter{}, db.Page{Limit: 10}); len(list) != 0 {
			t.Fatal("the preview saved an article")
		}
		form.Set("title", "")
		form.Set("action", "save")
		op.Submit("/pengetahuan/baru", form).Want(t, 422, "no title", "wajib diisi", "simpeg.cuti, simpeg.input-data")
		form.Set("title", "Cara mengajukan cuti di SIMPEG")
		form.Set("action", "submit")
		form.Set("category_id", "")
		op.Submit("/pengetahuan/baru", form).Want(t, 422, "to review without a category", "pilih kategori dulu")
		if list, _, _ := h.Svc.KB.List(t.Context(), policy.SystemActor("test"), knowledge.Filter{}, db.Page{Limit: 10}); len(list) != 0 {
			t.Fatal("a refused submit saved a draft")
		}
		form.Set("category_id", fmt.Sprint(tm.category))
		p = op.Submit("/pengetahuan/baru", form)
		m := articleLink.FindStringSubmatch(p.Location)
		if p.Status != 303 || m == nil {
			t.Fatalf("save and send to review: %d %s", p.Status, p.Location)
		}
		page := "/pengetahuan/" + m[1]
		op.Get(page).Want(t, 200, "the article in review", "Sedang ditinjau", "dikirim untuk ditinjau", "simpeg.cuti")

		// The reviewer finds it in their queue and publishes it.
		rev := h.SignIn(t, revEmail, tm.pw[revEmail])
		rev.Get("/notifikasi").Want(t, 200, "the reviewer's notifications", "menunggu tinjauan Anda", page)
		rev.Get("/pengetahuan/tinjauan").Want(t, 200, "the review queue", "Cara mengajukan cuti di SIMPEG")
		rev.Get(page).Want(t, 200, "the reviewer's view", `id="publish"`, `id="return"`)
		op.Get(page).Lacks(t, "the author's view", `id="publish"`)
		rev.PostForm(page+"/status", url.Values{"status": {"published"}}).Redirects(t, "publish", page)
		op.Get("/notifikasi").Want(t, 200, "the author's notifications", "diterbitkan oleh Andi Pelatih")

		// An employee reads it, finds it on the home page and the app's FAQ, and votes.
		reader := h.SignIn(t, readerEmail, tm.pw[readerEmail])
		reader.Get("/pengetahuan").Want(t, 200, "the reader's home", "Cara mengajukan cuti di SIMPEG")
		reader.Get("/pengetahuan/baru").Want(t, 403, "a reader's editor")
		reader.Get("/aplikasi/simpeg").Want(t, 200, "the application's page", `href="/aplikasi/simpeg/faq"`)
		reader.Get("/aplikasi/simpeg/faq").Want(t, 200, "the FAQ", "Tanya jawab SIMPEG", "Cara mengajukan cuti di SIMPEG",
			"<strong>Cuti</strong>")
		p = reader.Get(page)
		p.Want(t, 200, "the published article", "Terbit", "Apakah artikel ini membantu?", `href="/aplikasi/simpeg/faq"`)
		p.Lacks(t, "the published article", "<script>alert", `id="edit-article"`, `id="history"`)
		reader.PostForm(page+"/suara", url.Values{"helpful": {"yes"}}).Redirects(t, "a vote", page+"#vote")
		reader.Get(page).Want(t, 200, "after the vote", "1 orang terbantu, 0 tidak.", `aria-pressed="true"`)
		reader.PostForm(page+"/suara", url.Values{"helpful": {"maybe"}}).Want(t, 422, "a bad vote")
		reader.Get(page+"/riwayat").Want(t, 403, "a reader's history")
		reader.Get("/aplikasi/tidak-ada/faq").Want(t, 404, "an unknown app's FAQ")
		reader.Get(fmt.Sprintf("/pengetahuan?kategori=%d", tm.category)).Want(t, 200, "a category's articles", "Kepegawaian",
			"Cara mengajukan cuti di SIMPEG")
		reader.Get("/pengetahuan?q=cuti").Want(t, 200, "a search", "Cara mengajukan cuti di SIMPEG")
		op.Get("/aplikasi/simpeg/faq").Want(t, 200, "a writer's FAQ", fmt.Sprintf(`href="/pengetahuan/baru?aplikasi=%d"`, app.ID))
		op.Get(fmt.Sprintf("/pengetahuan/baru?aplikasi=%d&kategori=%d", app.ID, tm.category)).Want(t, 200, "a new article for the app",
			fmt.Sprintf(`value="%d" checked`, app.ID), fmt.Sprintf(`value="%d" selected`, tm.category))
	})
}

func TestTwoEditorsAtOnceGet409WithBothVersionsAndAReadableDiff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		op := h.SignIn(t, opEmail, tm.pw[opEmail])
		ag := h.SignIn(t, agentEmail, tm.pw[agentEmail])
		p := op.Submit("/pengetahuan/baru", url.Values{"title": {"Reset sandi webmail"}, "action": {"save"},
			"body": {"Buka webmail.\nKlik Lupa sandi.\n"}})
		page := p.Location
		if !articleLink.MatchString(page) {
			t.Fatalf("created: %d %s", p.Status, p.Body)
		}
		// Both open the editor at version 1.
		op.Get(page+"/ubah").Want(t, 200, "the editor", `name="version" value="1"`)
		ag.Get(page+"/ubah").Want(t, 200, "the editor", `name="version" value="1"`)
		ag.PostForm(page+"/ubah", url.Values{"version": {"1"}, "title": {"Reset sandi webmail"}, "action": {"save"},
			"body": {"Buka webmail kota.\nKlik Lupa sandi.\n"}}).Redirects(t, "the first save", page)
		p = op.PostForm(page+"/ubah", url.Values{"version": {"1"}, "title": {"Reset sandi webmail"}, "action": {"save"},
			"body": {"Buka webmail.\nKlik Lupa kata sandi <b>sekarang</b>.\n"}})
		p.Want(t, 409, "the stale save", "Orang lain menyimpan artikel ini lebih dulu", "Agen Satu", `id="theirs"`,
			"Buka webmail kota.", `name="version" value="2"`, "Klik Lupa kata sandi &lt;b&gt;sekarang&lt;/b&gt;.",
			"<ins>", "<del>")
		p.Lacks(t, "the stale save", "<b>sekarang</b>")
		// The history shows both, the stale one marked; the diff shows words.
		hist := op.Get(page + "/riwayat")
		hist.Want(t, 200, "the history", "bentrok", "Agen Satu", "Nur&#39;aini Dottoro&#39;ta")
		ids := regexp.MustCompile(`name="dari" value="(\d+)"`).FindAllStringSubmatch(hist.Body, -1)
		if len(ids) != 3 {
			t.Fatalf("revisions in the history: %d", len(ids))
		}
		diff := op.Get(fmt.Sprintf("%s/beda?dari=%s&ke=%s", page, ids[2][1], ids[1][1]))
		diff.Want(t, 200, "the diff of versions 1 and 2", "Buka webmail<ins> kota</ins>.", "1 kata ditambah, 0 kata dihapus.")
		op.Get(page+"/beda?dari=abc").Want(t, 422, "a bad revision")
		op.Get(page+"/beda?dari=999999").Want(t, 404, "an unknown revision")
		// The merge onto version 2 saves.
		op.PostForm(page+"/ubah", url.Values{"version": {"2"}, "title": {"Reset sandi webmail"}, "action": {"save"},
			"body": {"Buka webmail kota.\nKlik Lupa kata sandi.\n"}}).Redirects(t, "the merge", page)
		op.Get(page).Want(t, 200, "merged", "versi 3", "Klik Lupa kata sandi.")
	})
}

func TestCategoriesAndFilesThroughThePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tm := startTeam(t, d)
		h := tm.h
		expert := h.SignIn(t, expertEmail, tm.pw[expertEmail])
		p := expert.Submit("/pengetahuan/kategori", url.Values{"name": {"Webmail"}, "reviewers": {"siapa@contoh.go.id\n" + readerEmail}})
		p.Want(t, 422, "bad reviewers", "Peninjau", "bukan operator, pelatih", `aria-invalid="true"`)
		expert.Submit("/pengetahuan/kategori", url.Values{"name": {"Webmail"}, "reviewers": {agentEmail}}).Redirects(t,
			"a category", "/pengetahuan/kategori")
		expert.Get("/pengetahuan/kategori").Want(t, 200, "the categories", "Webmail", agentEmail, "SIMPEG", revEmail)
		h.SignIn(t, agentEmail, tm.pw[agentEmail]).Get("/pengetahuan/kategori").Want(t, 403, "an agent's categories")

		op := h.SignIn(t, opEmail, tm.pw[opEmail])
		page := op.Submit("/pengetahuan/baru", url.Values{"title": {"Formulir cuti"}, "action": {"save"}}).Location
		file := filepath.Join(t.TempDir(), "formulir cuti.csv")
		if err := os.WriteFile(file, []byte("nama,nip\nNur'aini,1987\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		sendFile(t, op, h.URL, page, file).Redirects(t, "an upload", page+"#files")
		p = op.Get(page)
		link := regexp.MustCompile(`href="(/pengetahuan/\d+/berkas/\d+/[^"]+)"`).FindStringSubmatch(p.Body)
		if link == nil {
			t.Fatalf("no file link on %s", p.Body)
		}
		dl := op.Get(link[1])
		if dl.Status != 200 || dl.Body != "nama,nip\nNur'aini,1987\n" || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") ||
			dl.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Fatalf("download: %d %v", dl.Status, dl.Header)
		}
		exe := filepath.Join(t.TempDir(), "setup.pdf")
		if err := os.WriteFile(exe, append([]byte("MZ"), make([]byte, 100)...), 0o600); err != nil {
			t.Fatal(err)
		}
		sendFile(t, op, h.URL, page, exe).Want(t, 422, "an executable", "setup.pdf")
		h.SignIn(t, readerEmail, tm.pw[readerEmail]).Get(link[1]).Want(t, 404, "a reader downloads a draft's file")
	})
}

// sendFile sends a file with the form on an article's page, as a browser
// does.
func sendFile(t *testing.T, c *servertest.Client, base, page, file string) servertest.Page {
	t.Helper()
	token := servertest.CSRF(c.Get(page).Body)
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile("file", filepath.Base(file))
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", base+page+"/berkas", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}
