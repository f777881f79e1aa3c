package lessons_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/lessons"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/web"
)

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// desk files a ticket and a problem and returns their ids.
func desk(t *testing.T, d *db.DB, reporter int64) (ticket, problem int64) {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	ticket, err := db.InsertID(ctx, d.W, `INSERT INTO tickets (subject, reporter_account_id, channel, category, priority,
		status, first_response_due, resolution_due, created_at, updated_at)
		VALUES ('SIPD tidak bisa diakses', $1, 'web', 'application', 'high', 'open', $2, $2, $2, $2) RETURNING id`, reporter, now)
	if err != nil {
		t.Fatal(err)
	}
	problem, err = db.InsertID(ctx, d.W, `INSERT INTO problems (title, status, created_at, updated_at)
		VALUES ('Sertifikat TLS kedaluwarsa', 'open', $1, $1) RETURNING id`, now)
	if err != nil {
		t.Fatal(err)
	}
	return ticket, problem
}

func start(t *testing.T, d *db.DB) (*servertest.Harness, map[string]string, int64) {
	h := servertest.Start(t, d)
	kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas").ID
	h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
	pw := h.Users(t,
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Nur'aini", Role: policy.Agent},
		servertest.Person{Email: "operator@kominfo.go.id", Name: "Dottoro'ta", Role: policy.Operator, Agency: "DISKOMINFO"},
		servertest.Person{Email: "pegawai@bapenda.go.id", Name: "Pegawai Bapenda", Role: policy.Employee, Agency: "BAPENDA"},
	)
	return h, pw, kominfo
}

func TestALessonLinksTicketsAndProblemsAndBecomesADraftArticleOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, pw, _ := start(t, d)
		agent := h.Token(t, "agen@makassarkota.go.id")
		ticket, problem := desk(t, d, h.AccountID(t, "pegawai@bapenda.go.id"))
		in := lessons.Input{Kind: lessons.KindIncident, Title: "SIPD padam dua jam karena sertifikat",
			Happened: "Sertifikat TLS kedaluwarsa pukul 08.00.", Expected: "Sertifikat diperpanjang otomatis.",
			Learned: "Perpanjangan otomatis gagal tanpa peringatan.", Changes: "Pantau masa berlaku; Nur'aini menyiapkan alarm.",
			TicketIDs: []int64{ticket, ticket}, ProblemIDs: []int64{problem}}
		r := h.Do(t, "POST", "/api/v1/lessons", agent, in, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var l lessons.Lesson
		r.JSON(t, &l)
		if l.AgencyID != nil || l.AuthorName != "Nur'aini" || len(l.Tickets) != 1 || l.Tickets[0].ID != ticket ||
			len(l.Problems) != 1 || l.Problems[0].Number != "P-"+pad(problem) || l.ArticleID != nil {
			t.Fatalf("created: %+v", l)
		}
		path := "/api/v1/lessons/" + strconv.FormatInt(l.ID, 10)
		r = h.Do(t, "POST", path+"/article", agent, nil, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &l)
		if l.ArticleID == nil {
			t.Fatal("no article id")
		}
		var title, status, body string
		var origin *string
		if err := d.R.QueryRow(`SELECT title, status, body, origin_kind FROM articles WHERE id = $1`, *l.ArticleID).
			Scan(&title, &status, &body, &origin); err != nil {
			t.Fatal(err)
		}
		if title != in.Title || status != "draft" || origin != nil || !contains(body, "## Apa yang kita pelajari", "Nur'aini menyiapkan alarm", "T-") {
			t.Errorf("article: %q %q %v\n%s", title, status, origin, body)
		}
		servertest.Problem(t, h.Do(t, "POST", path+"/article", agent, nil, ""), http.StatusConflict)
		// The page links the help desk's tickets and problems and the
		// draft for the agent; for an employee, who may open neither,
		// it names them without a link that would answer 403 or 404.
		page := "/pelajaran/" + strconv.FormatInt(l.ID, 10)
		draft := fmt.Sprintf(`href="/pengetahuan/%d"`, *l.ArticleID)
		h.SignIn(t, "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"]).Get(page).
			Want(t, http.StatusOK, "the lesson for the agent", `href="/layanan/T-`, `href="/layanan/masalah/`, draft)
		employee := h.SignIn(t, "pegawai@bapenda.go.id", pw["pegawai@bapenda.go.id"]).Get(page)
		employee.Lacks(t, "the lesson for an employee", `href="/layanan/`, draft)
		employee.Want(t, http.StatusOK, "the lesson for an employee", "Draf artikel sedang ditinjau")
		if n := count(t, d, `SELECT COUNT(*) FROM articles`); n != 1 {
			t.Errorf("%d articles", n)
		}

		var list web.List[lessons.Lesson]
		h.Do(t, "GET", "/api/v1/lessons?city=true&kind=incident", h.Token(t, "pegawai@bapenda.go.id"), nil, "").JSON(t, &list)
		if len(list.Items) != 1 || len(list.Items[0].Tickets) != 1 {
			t.Errorf("the city's incidents: %+v", list)
		}
		in.Changes, in.TicketIDs = "", nil
		r = h.Do(t, "PUT", path, agent, in, "")
		r.JSON(t, &l)
		if r.Status != http.StatusOK || l.Changes != "" || len(l.Tickets) != 0 || len(l.Problems) != 1 {
			t.Errorf("replaced: %d %+v", r.Status, l)
		}
	})
}

func pad(id int64) string {
	s := strconv.FormatInt(id, 10)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestWhoWritesLessonsAndBadLessons(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, pw, kominfo := start(t, d)
		operator, employee := h.Token(t, "operator@kominfo.go.id"), h.Token(t, "pegawai@bapenda.go.id")
		ok := lessons.Input{Kind: lessons.KindProject, AgencyID: &kominfo, Title: "Migrasi surel dinas",
			Happened: "Migrasi selesai dua minggu terlambat.", Learned: "Uji coba dengan satu bidang dulu."}
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/lessons", employee, ok, ""), http.StatusForbidden)
		city := ok
		city.AgencyID = nil
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/lessons", operator, city, ""), http.StatusForbidden)
		bad := ok
		bad.Kind, bad.Title, bad.Learned, bad.TicketIDs = "rumor", "", "", []int64{424242}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/lessons", operator, bad, ""),
			http.StatusUnprocessableEntity, "kind", "title", "learned", "ticket_ids")
		if n := count(t, d, `SELECT COUNT(*) FROM lessons`); n != 0 {
			t.Fatalf("%d lessons written by refused requests", n)
		}
		if r := h.Do(t, "POST", "/api/v1/lessons", operator, ok, ""); r.Status != http.StatusCreated {
			t.Fatalf("the operator writes for their agency: %d %s", r.Status, r.Body)
		}

		b := h.SignIn(t, "operator@kominfo.go.id", pw["operator@kominfo.go.id"])
		b.Get("/pelajaran").Want(t, http.StatusOK, "list", "Migrasi surel dinas", "Tulis pelajaran")
		b.Get("/pelajaran/baru").Want(t, http.StatusOK, "form", "Dinas Komunikasi dan Informatika")
		b.Get("/pelajaran/baru").Lacks(t, "form", "Badan Pendapatan Daerah", "Kota (lintas OPD)")
		b.PostForm("/pelajaran/baru", url.Values{"kind": {"incident"}, "agency_id": {strconv.FormatInt(kominfo, 10)},
			"title": {"Printer"}, "happened": {"x"}, "learned": {"y"}, "tickets": {"T-abc"}}).
			Want(t, http.StatusUnprocessableEntity, "bad numbers", "dipisah koma")
		p := b.PostForm("/pelajaran/baru", url.Values{"kind": {"incident"}, "agency_id": {strconv.FormatInt(kominfo, 10)},
			"title": {"Jaringan lantai 3 putus"}, "happened": {"Kabel *digigit* tikus."}, "learned": {"Pakai pelindung kabel."}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("create by form: %d %.300s", p.Status, p.Body)
		}
		b.Get(p.Location).Want(t, http.StatusOK, "lesson", "<em>digigit</em>", "Ubah pelajaran", "Terbitkan sebagai artikel")
		b.PostForm(p.Location+"/ubah", url.Values{"kind": {"incident"}, "agency_id": {strconv.FormatInt(kominfo, 10)},
			"title": {"Jaringan lantai 3 putus"}, "happened": {"Kabel digigit tikus."}, "learned": {""}}).
			Want(t, http.StatusUnprocessableEntity, "edit without learned", "wajib diisi")

		e := h.SignIn(t, "pegawai@bapenda.go.id", pw["pegawai@bapenda.go.id"])
		e.Get(p.Location).Want(t, http.StatusOK, "read by anyone", "Jaringan lantai 3 putus")
		e.Get(p.Location).Lacks(t, "reader", "Ubah pelajaran")
		e.Get(p.Location+"/ubah").Want(t, http.StatusForbidden, "edit by a reader")
		e.Get("/pelajaran").Lacks(t, "reader's list", "Tulis pelajaran")
	})
}
