package helpdesk_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestCannedRepliesPageAndChooserFillTheReply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		tm := team(t, w.h, "akun", "satu@makassarkota.go.id")
		tk := w.file(t, "Lupa kata sandi SIMPEG")

		w.employee.Get("/layanan/balasan").Want(t, http.StatusForbidden, "employee")
		page := w.one.Get("/layanan/balasan")
		page.Want(t, 200, "canned replies", "Tim akun", "Tambah balasan siap pakai", "{{nama_pelapor}}")
		page.Lacks(t, "canned replies", "%!", "rel.")
		w.one.PostForm("/layanan/balasan/baru", url.Values{"team_id": {fmt.Sprint(tm)}, "title": {"Sandi direset"},
			"body": {"Halo {{nama}}"}}).Want(t, 422, "unknown placeholder", `id="e-body"`, "{{nama}}")
		w.one.PostForm("/layanan/balasan/baru", url.Values{"team_id": {fmt.Sprint(tm)}, "title": {"Sandi direset"},
			"body": {"Halo {{nama_pelapor}}, sandi untuk {{nomor}} sudah direset.\nSalam, {{petugas}}"}}).
			Redirects(t, "add", "/layanan/balasan")
		list, err := w.h.Svc.Desk.ListCanned(context.Background(), policy.SystemActor("test"), tm)
		if err != nil || len(list) != 1 {
			t.Fatalf("canned replies: %v %v", list, err)
		}
		id := list[0].ID
		w.one.Get("/layanan/balasan").Want(t, 200, "after adding", "Sandi direset", fmt.Sprintf("/layanan/balasan/%d/ubah", id))
		// Another team's agent uses them but does not manage them.
		w.two.Get("/layanan/balasan").Lacks(t, "outsider", fmt.Sprintf("/layanan/balasan/%d/ubah", id), "Tambah balasan siap pakai")
		w.two.PostForm(fmt.Sprintf("/layanan/balasan/%d/hapus", id), nil).Want(t, http.StatusForbidden, "outsider removes")

		edit := fmt.Sprintf("/layanan/balasan/%d/ubah", id)
		w.one.Get(edit).Want(t, 200, "edit form", "Sandi direset")
		w.one.PostForm(edit, url.Values{"title": {""}, "body": {"x"}}).Want(t, 422, "empty title", `id="e-title"`)
		w.one.PostForm(edit, url.Values{"title": {"Sandi sudah direset"},
			"body": {"Halo {{nama_pelapor}}, sandi untuk {{nomor}} sudah direset.\nSalam, {{petugas}}"}}).
			Redirects(t, "edit", "/layanan/balasan")

		// The chooser on the ticket page fills the reply in, without JavaScript.
		path := "/layanan/" + tk.Number
		w.one.Get(path).Want(t, 200, "ticket", "Balasan siap pakai", `name="balasan"`, "Sandi sudah direset")
		chosen := w.one.Get(fmt.Sprintf("%s?balasan=%d", path, id))
		chosen.Want(t, 200, "chosen", html.EscapeString("Halo Nur'aini Dottoro'ta, sandi untuk "+tk.Number+" sudah direset.\nSalam, Agen Satu"))
		chosen.Lacks(t, "chosen", "%!", "rel.", "{{nomor}}")
		w.one.PostForm(path+"/balas", url.Values{"internal": {"0"}, "body": {"Halo, sandi sudah direset."}}).Redirects(t, "send", path)

		w.one.PostForm(fmt.Sprintf("/layanan/balasan/%d/hapus", id), nil).Redirects(t, "remove", "/layanan/balasan")
		w.one.Get("/layanan/balasan").Lacks(t, "after removing", "Sandi sudah direset")
	})
}

func TestMergeLinkAndProblemFromTheTicketPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorkspace(t, d)
		target, dup, other := w.file(t, "Absensi online galat"), w.file(t, "Absensi tidak bisa"), w.file(t, "Absensi lambat")
		dupPath := "/layanan/" + dup.Number

		// Link and unlink a related ticket.
		w.one.Get(dupPath)
		w.one.PostForm(dupPath+"/kaitkan", url.Values{"other": {dup.Number}}).Want(t, 422, "self link", `id="e-other"`)
		w.one.PostForm(dupPath+"/kaitkan", url.Values{"other": {other.Number}}).Redirects(t, "link", dupPath+"#relations")
		w.one.Get("/layanan/"+other.Number).Want(t, 200, "the other side", dup.Number, "terkait")
		w.one.PostForm(fmt.Sprintf("%s/kaitan/%s/hapus", dupPath, other.Number), nil).Redirects(t, "unlink", dupPath+"#relations")
		w.one.Get(dupPath).Want(t, 200, "after unlinking", "Belum ada tiket terkait")

		// Merge: a stale page is refused naming who changed the ticket.
		w.one.Get(dupPath)
		w.one.PostForm(dupPath+"/gabung", url.Values{"into": {dup.Number}, "version": {"1"}}).Want(t, 422, "into itself", `id="e-into"`)
		w.one.PostForm(dupPath+"/gabung", url.Values{"into": {target.Number}, "version": {"1"}}).
			Redirects(t, "merge", "/layanan/"+target.Number)
		w.one.Get("/layanan/"+target.Number).Want(t, 200, "the target", "gabungan dari", dup.Number, "digabung ke tiket ini")
		w.one.Get(dupPath).Want(t, 200, "the duplicate", "digabung ke", target.Number, "Ditutup")
		w.one.PostForm("/layanan/"+other.Number+"/gabung", url.Values{"into": {dup.Number}, "version": {"1"}}).
			Want(t, 409, "into a merged ticket", target.Number)

		// The duplicate's reporter is told where it went and follows the target.
		w.employee.Get("/bantuan/"+dup.Number).Want(t, 200, "reporter's duplicate", `id="merged-into"`, "/bantuan/"+target.Number)
		w.employee.Get("/bantuan/"+target.Number).Lacks(t, "the target to its follower", "digabung ke tiket ini")

		// Problems: record one, group the ticket from its page, set the root cause.
		w.employee.Get("/layanan/masalah").Want(t, http.StatusForbidden, "employee problems")
		w.one.Get("/layanan/masalah/baru").Want(t, 200, "new problem form", `id="f-root_cause"`)
		w.one.PostForm("/layanan/masalah/baru", url.Values{"title": {""}, "status": {"open"}, "app_id": {""}}).
			Want(t, 422, "empty title", `id="e-title"`)
		w.one.PostForm("/layanan/masalah/baru", url.Values{"title": {"Server absensi kehabisan memori"},
			"status": {"open"}, "app_id": {""}}).Redirects(t, "new problem", "/layanan/masalah/1")
		targetPath := "/layanan/" + target.Number
		w.one.Get(targetPath).Want(t, 200, "problem choice", "P-0001 · Server absensi kehabisan memori")
		w.one.PostForm(targetPath+"/masalah", url.Values{"problem_id": {"9"}}).Want(t, 422, "unknown problem", `id="e-problem_id"`)
		w.one.PostForm(targetPath+"/masalah", url.Values{"problem_id": {"1"}}).Redirects(t, "link problem", targetPath+"#relations")
		w.one.Get(targetPath).Want(t, 200, "grouped", `id="ticket-problem"`, "/layanan/masalah/1")
		w.one.PostForm("/layanan/masalah/1/tiket", url.Values{"ticket": {"T-999999"}}).Want(t, 422, "unknown ticket", `id="e-ticket"`,
			"Server absensi kehabisan memori")
		w.one.PostForm("/layanan/masalah/1/ubah", url.Values{"title": {"Server absensi kehabisan memori"},
			"root_cause": {"Kebocoran memori di modul laporan"}, "workaround": {"Mulai ulang layanan"},
			"description": {""}, "status": {"known_error"}, "app_id": {""}}).Redirects(t, "edit problem", "/layanan/masalah/1")
		w.one.Get("/layanan/masalah/1").Want(t, 200, "problem page", "Kebocoran memori di modul laporan", target.Number, "penyebab diketahui")
		page := w.one.Get("/layanan/masalah")
		page.Want(t, 200, "problem list", "P-0001", "<td data-label=\"Tiket\">1</td>")
		page.Lacks(t, "problem list", "%!", "rel.")
		w.one.Get(targetPath).Want(t, 200, "the workaround on the ticket", "Mulai ulang layanan")
		w.employee.Get("/bantuan/"+target.Number).Lacks(t, "the reporter", "P-0001", "Kebocoran")
		var p helpdesk.ProblemRecord
		w.h.Do(t, "GET", "/api/v1/problems/1", w.h.Token(t, "satu@makassarkota.go.id"), nil, "").JSON(t, &p)
		if len(p.Tickets) != 1 || p.Tickets[0].Number != target.Number {
			t.Errorf("problem tickets: %+v", p.Tickets)
		}
		w.one.Get("/layanan/masalah/1")
		w.one.PostForm("/layanan/masalah/1/lepas", url.Values{"ticket": {target.Number}}).Redirects(t, "unlink", "/layanan/masalah/1")
		w.one.Get("/layanan/masalah/1").Want(t, 200, "after unlinking", "Belum ada tiket yang dikaitkan")
	})
}

func TestOpenAPIDescribesTheRelations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		doc := string(c.h.Do(t, "GET", "/api/v1/openapi.json", c.emp, nil, "").Body)
		for _, op := range []string{"mergeTicket", "listTicketLinks", "linkTicket", "unlinkTicket", "listCannedReplies",
			"createCannedReply", "updateCannedReply", "deleteCannedReply", "listProblems", "createProblem", "getProblem",
			"updateProblem", "linkProblemTicket", "unlinkProblemTicket", `"root_cause"`, `"/api/v1/canned-replies/{id}"`,
			`"#/components/schemas/ProblemRecord"`} {
			if !strings.Contains(doc, op) {
				t.Errorf("the OpenAPI document lacks %s", op)
			}
		}
	})
}
