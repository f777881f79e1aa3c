package leadership_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestAPIAnnouncementsReviewsAndRegulations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "DISKOMINFO", "Dinas Kominfo", "dinas")
		h.Users(t, servertest.Person{Email: "wk@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kadis@makassarkota.go.id", Name: "Kadis", Role: policy.AgencyHead, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nur@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Operator, Agency: "DISKOMINFO"})
		exec, head, nur := h.Token(t, "wk@makassarkota.go.id"), h.Token(t, "kadis@makassarkota.go.id"), h.Token(t, "nur@makassarkota.go.id")

		res := h.Do(t, "POST", "/api/v1/announcements", head, leadership.AnnouncementInput{Title: "Bimtek SIPD", Body: "Hadir ya",
			AgencyIDs: []int64{a.ID}}, "")
		var n leadership.Announcement
		res.JSON(t, &n)
		if res.Status != http.StatusCreated || n.Recipients != 1 || res.Header.Get("Location") == "" {
			t.Fatalf("post = %d %s", res.Status, res.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/announcements", head, map[string]any{"title": "", "body": "x"}, ""),
			http.StatusUnprocessableEntity, "title")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/announcements", nur, map[string]any{"title": "t", "body": "x"}, ""),
			http.StatusForbidden)
		res = h.Do(t, "POST", fmt.Sprintf("/api/v1/announcements/%d/read", n.ID), nur, nil, "")
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"read_at":"`) {
			t.Fatalf("read = %d %s", res.Status, res.Body)
		}
		res = h.Do(t, "GET", fmt.Sprintf("/api/v1/announcements/%d", n.ID), head, nil, "")
		if !strings.Contains(string(res.Body), `"read_pct":100`) {
			t.Fatalf("receipts = %s", res.Body)
		}
		res = h.Do(t, "GET", "/api/v1/announcements?unread=true", nur, nil, "")
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"items":[]`) {
			t.Fatalf("unread = %d %s", res.Status, res.Body)
		}

		res = h.Do(t, "POST", "/api/v1/reviews", head, leadership.ReviewInput{AgencyID: a.ID, Period: "2026-Q3", Title: "Monev"}, "")
		var rv leadership.Review
		res.JSON(t, &rv)
		if res.Status != http.StatusCreated {
			t.Fatalf("review = %d %s", res.Status, res.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/reviews", head, leadership.ReviewInput{AgencyID: a.ID, Period: "kemarin", Title: "x"}, ""),
			http.StatusUnprocessableEntity, "period")
		var nurEmp int64
		if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = 'nur@makassarkota.go.id'`).Scan(&nurEmp); err != nil {
			t.Fatal(err)
		}
		due := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
		res = h.Do(t, "POST", fmt.Sprintf("/api/v1/reviews/%d/follow-ups", rv.ID), head,
			leadership.FollowUpInput{Action: "Latih operator", AssigneeID: nurEmp, DueOn: due}, "")
		var f leadership.FollowUp
		res.JSON(t, &f)
		if res.Status != http.StatusCreated || f.AssigneeName != "Nur'aini Dottoro'ta" {
			t.Fatalf("follow-up = %d %s", res.Status, res.Body)
		}
		res = h.Do(t, "POST", fmt.Sprintf("/api/v1/follow-ups/%d/notes", f.ID), nur, leadership.ProgressInput{Body: "Selesai", Status: "done"}, "")
		if res.Status != http.StatusCreated || !strings.Contains(string(res.Body), `"status":"done"`) {
			t.Fatalf("report = %d %s", res.Status, res.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", fmt.Sprintf("/api/v1/follow-ups/%d/notes", f.ID), nur, map[string]any{"body": "x", "status": "maybe"}, ""),
			http.StatusUnprocessableEntity, "status")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/reviews/999999", head, nil, ""), http.StatusNotFound)

		res = h.Do(t, "POST", "/api/v1/regulations", exec, leadership.RegulationInput{Kind: "perwali", Number: "7/2026",
			Title: "Manajemen pengetahuan", SignedOn: "2026-01-05", InForceFrom: "2026-01-05"}, "")
		if res.Status != http.StatusCreated {
			t.Fatalf("regulation = %d %s", res.Status, res.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/regulations", exec, leadership.RegulationInput{Kind: "perwali", Number: "8/2026",
			Title: "x", SignedOn: "5 Jan 2026", InForceFrom: "2026-01-05"}, ""), http.StatusUnprocessableEntity, "signed_on")
		res = h.Do(t, "GET", "/api/v1/regulations?kind=perwali&q=pengetahuan", nur, nil, "")
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"number":"7/2026"`) {
			t.Fatalf("list = %d %s", res.Status, res.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/regulations?agency_id=x", nur, nil, ""), http.StatusUnprocessableEntity)
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/regulations?kind=law", nur, nil, ""), http.StatusUnprocessableEntity, "kind")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/announcements", exec, map[string]any{"title": "t", "body": "x", "agency_ids": []int64{0}}, ""),
			http.StatusUnprocessableEntity, "agency_ids")

		res = h.Do(t, "POST", "/api/v1/visions", exec, leadership.VisionInput{Vision: "Makassar kota dunia", Mission: "1. Belajar"}, "")
		if res.Status != http.StatusCreated {
			t.Fatalf("vision = %d %s", res.Status, res.Body)
		}
		res = h.Do(t, "POST", "/api/v1/recognitions", head, leadership.RecognitionInput{AgencyID: a.ID, MemberIDs: []int64{nurEmp},
			Reason: "Menulis artikel", Period: "2026-Q3"}, "")
		if res.Status != http.StatusCreated {
			t.Fatalf("recognition = %d %s", res.Status, res.Body)
		}
		res = h.Do(t, "GET", "/api/v1/recognitions", nur, nil, "")
		if !strings.Contains(string(res.Body), "Nur'aini Dottoro'ta") {
			t.Fatalf("wall = %s", res.Body)
		}
	})
}

func TestPagesWalkThroughLeadership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "DISKOMINFO", "Dinas Kominfo", "dinas")
		pw := h.Users(t, servertest.Person{Email: "kadis@makassarkota.go.id", Name: "Kadis", Role: policy.AgencyHead, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nur@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Operator, Agency: "DISKOMINFO"})
		head := h.SignIn(t, "kadis@makassarkota.go.id", pw["kadis@makassarkota.go.id"])
		nur := h.SignIn(t, "nur@makassarkota.go.id", pw["nur@makassarkota.go.id"])
		opd := fmt.Sprint(a.ID)

		head.Get("/pimpinan").Want(t, http.StatusOK, "hub", "Pimpinan", "Buat pengumuman", "Buat monev")
		nur.Get("/pimpinan").Lacks(t, "hub of an operator", "Buat pengumuman")

		head.Submit("/pimpinan/visi?opd="+opd, url.Values{"agency_id": {opd}, "vision": {"Kominfo Dottoro'ta"}, "mission": {"1. Belajar\n2. Berbagi"}}).
			Redirects(t, "vision", "/pimpinan/visi?opd="+opd)
		nur.Get("/pimpinan/visi?opd="+opd).Want(t, http.StatusOK, "vision", "Kominfo Dottoro&#39;ta", "<li>Berbagi</li>")

		p := head.Submit("/pimpinan/pengumuman/baru", url.Values{"title": {"Bimtek"}, "body": {"**Wajib**"}, "agency_ids": {opd}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("post = %d %s", p.Status, p.Body)
		}
		head.Submit("/pimpinan/pengumuman/baru", url.Values{"title": {""}, "body": {""}, "agency_ids": {opd}}).
			Want(t, http.StatusUnprocessableEntity, "bad announcement", "wajib diisi")
		nur.Get("/pimpinan").Want(t, http.StatusOK, "unread", "1 pengumuman belum dibaca")
		nur.Get(p.Location).Want(t, http.StatusOK, "announcement", "<strong>Wajib</strong>")
		nur.Get("/pimpinan").Lacks(t, "read", "pengumuman belum dibaca")
		head.Get(p.Location).Want(t, http.StatusOK, "receipts", "1 dari 1 penerima sudah membaca", "100%")

		p = head.Submit("/pimpinan/evaluasi/baru", url.Values{"agency_id": {opd}, "period": {"2026-Q3"}, "title": {"Monev Q3"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("review = %d %s", p.Status, p.Body)
		}
		review := p.Location
		head.Get(review)
		head.PostForm(review+"/temuan", url.Values{"text": {"SLA turun"}, "severity": {"high"}}).Redirects(t, "finding", review)
		head.PostForm(review+"/tindak-lanjut", url.Values{"action": {"Latih ulang"}, "assignee_id": {"tidak.ada@x.id"}, "due_on": {"2026-12-31"}}).
			Want(t, http.StatusUnprocessableEntity, "unknown assignee", "tidak ada pegawai aktif dengan email tidak.ada@x.id")
		head.PostForm(review+"/tindak-lanjut", url.Values{"action": {"Latih ulang"}, "assignee_id": {"nur@makassarkota.go.id"}, "due_on": {"2026-12-31"}}).
			Redirects(t, "follow-up", review)
		nur.Get("/pimpinan/tindak-lanjut").Want(t, http.StatusOK, "mine", "Latih ulang", "Monev Q3")
		var id int64
		if err := d.R.QueryRow(`SELECT id FROM follow_ups`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		nur.PostForm(fmt.Sprintf("/pimpinan/tindak-lanjut/%d", id), url.Values{"body": {"Sudah 12 orang"}, "status": {"done"}}).
			Redirects(t, "report", "/pimpinan/tindak-lanjut")
		head.Get(review).Want(t, http.StatusOK, "review", "SLA turun", "Sudah 12 orang", "Selesai")
		head.PostForm(fmt.Sprintf("/pimpinan/tindak-lanjut/%d", id), url.Values{"body": {" "}, "back": {"review"}}).
			Want(t, http.StatusUnprocessableEntity, "an empty report from the review", "SLA turun", "wajib diisi")
		head.PostForm(fmt.Sprintf("/pimpinan/tindak-lanjut/%d", id), url.Values{"status": {"open"}, "back": {"review"}}).
			Redirects(t, "reopened by the head", fmt.Sprintf("%s#tl-%d", review, id))

		head.Submit("/pimpinan/apresiasi/baru", url.Values{"agency_id": {opd}, "member_ids": {"nur@makassarkota.go.id"},
			"reason": {"Menulis 10 artikel"}, "period": {"2026-Q3"}}).Redirects(t, "recognize", "/pimpinan/apresiasi")
		nur.Get("/pimpinan/apresiasi").Want(t, http.StatusOK, "wall", "Nur&#39;aini Dottoro&#39;ta", "Menulis 10 artikel")

		p = head.Submit("/pimpinan/regulasi/baru", url.Values{"kind": {"sk"}, "agency_id": {opd}, "number": {"800/12"},
			"title": {"Tim pengelola pengetahuan"}, "signed_on": {"2026-01-02"}, "in_force_from": {"2026-01-02"},
			"obligations": {"Setiap bidang menulis artikel | | 4\nOperator melapor | | x JP"}})
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "harus angka") {
			t.Fatalf("a bad JP = %d", p.Status)
		}
		p = head.Submit("/pimpinan/regulasi/baru", url.Values{"kind": {"sk"}, "agency_id": {opd}, "number": {"800/12"},
			"title": {"Tim pengelola pengetahuan"}, "signed_on": {"2026-01-02"}, "in_force_from": {"2026-01-02"},
			"obligations": {"Setiap bidang menulis artikel | | 4"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("regulation = %d %s", p.Status, p.Body)
		}
		pdf := filepath.Join(t.TempDir(), "sk.pdf")
		if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		head.Upload(p.Location, nil, "files", pdf).Redirects(t, "upload", p.Location)
		nur.Get(p.Location).Want(t, http.StatusOK, "regulation", "Tim pengelola pengetahuan", "4 JP", "sk.pdf")
		nur.Get("/pimpinan/regulasi?q=pengelola").Want(t, http.StatusOK, "search", "800/12")
		nur.Get(p.Location+"/ubah").Want(t, http.StatusForbidden, "edit by an operator")
	})
}

func TestEmailsAreLookedUpOnlyForWhoMayAct(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "DISKOMINFO", "Dinas Kominfo", "dinas")
		pw := h.Users(t, servertest.Person{Email: "kadis@makassarkota.go.id", Name: "Kadis", Role: policy.AgencyHead, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nur@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKOMINFO"})
		head := h.SignIn(t, "kadis@makassarkota.go.id", pw["kadis@makassarkota.go.id"])
		nur := h.SignIn(t, "nur@makassarkota.go.id", pw["nur@makassarkota.go.id"])
		opd := fmt.Sprint(a.ID)

		p := head.Submit("/pimpinan/evaluasi/baru", url.Values{"agency_id": {opd}, "period": {"2026-Q3"}, "title": {"Monev Q3"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("review = %d %s", p.Status, p.Body)
		}
		review := p.Location
		head.Get(review)
		head.PostForm(review+"/tindak-lanjut", url.Values{"action": {"Latih ulang"}, "assignee_id": {"nur@makassarkota.go.id"}, "due_on": {"2026-12-31"}}).
			Redirects(t, "follow-up", review)

		// An employee learns nothing of which addresses exist: 403 either way.
		nur.Get(review).Want(t, http.StatusOK, "the assignee reads the review", "Latih ulang")
		for _, email := range []string{"tidak.ada@x.id", "kadis@makassarkota.go.id"} {
			nur.PostForm(review+"/tindak-lanjut", url.Values{"action": {"x"}, "assignee_id": {email}, "due_on": {"2026-12-31"}}).
				Want(t, http.StatusForbidden, "a follow-up by an employee naming "+email)
			nur.PostForm("/pimpinan/apresiasi/baru", url.Values{"agency_id": {opd}, "member_ids": {email}, "reason": {"x"}, "period": {"2026-Q3"}}).
				Want(t, http.StatusForbidden, "a recognition by an employee naming "+email)
		}

		// A leader's list is bounded before it is looked up.
		var many []string
		for i := range leadership.MaxMembers + 1 {
			many = append(many, fmt.Sprintf("orang%d@makassarkota.go.id", i))
		}
		head.Submit("/pimpinan/apresiasi/baru", url.Values{"agency_id": {opd}, "member_ids": {strings.Join(many, "\n")},
			"reason": {"x"}, "period": {"2026-Q3"}}).Want(t, http.StatusUnprocessableEntity, "too many people", "paling banyak 50")
		head.Get(review)
		head.PostForm(review+"/tindak-lanjut", url.Values{"action": {"x"}, "assignee_id": {"nur@makassarkota.go.id, kadis@makassarkota.go.id"},
			"due_on": {"2026-12-31"}}).Want(t, http.StatusUnprocessableEntity, "two assignees", "isi satu email saja")

		// A form's agency is never silently the city.
		head.Submit("/pimpinan/evaluasi/baru", url.Values{"period": {"2026-Q3"}, "title": {"Monev"}}).
			Want(t, http.StatusUnprocessableEntity, "no agency", "wajib diisi")
		head.Submit("/pimpinan/apresiasi/baru", url.Values{"agency_id": {"satu"}, "member_ids": {"nur@makassarkota.go.id"},
			"reason": {"x"}, "period": {"2026-Q3"}}).Want(t, http.StatusUnprocessableEntity, "a bad agency", "harus berupa angka")
		head.Submit("/pimpinan/regulasi/baru", url.Values{"kind": {"sk"}, "number": {"800/1"}, "title": {"Tim"},
			"signed_on": {"2026-01-02"}, "in_force_from": {"2026-01-02"}}).Want(t, http.StatusUnprocessableEntity, "a regulation without issuer", "wajib diisi")
		head.Get("/pimpinan/visi?opd=" + opd)
		head.PostForm("/pimpinan/visi", url.Values{"vision": {"v"}, "mission": {"m"}}).
			Want(t, http.StatusUnprocessableEntity, "a vision without agency")
	})
}

func TestRegulationDaysRoundTripThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Users(t, servertest.Person{Email: "wk@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive})
		exec := h.Token(t, "wk@makassarkota.go.id")
		res := h.Do(t, "POST", "/api/v1/regulations", exec, leadership.RegulationInput{Kind: "perwali", Number: "7/2026",
			Title: "Manajemen pengetahuan", SignedOn: "2026-03-14", InForceFrom: "2026-03-15", InForceUntil: "2026-12-31"}, "")
		var reg leadership.Regulation
		res.JSON(t, &reg)
		if res.Status != http.StatusCreated {
			t.Fatalf("create = %d %s", res.Status, res.Body)
		}
		var got map[string]any
		h.Do(t, "GET", fmt.Sprintf("/api/v1/regulations/%d", reg.ID), exec, nil, "").JSON(t, &got)
		put := map[string]any{}
		for _, k := range []string{"kind", "number", "title", "signed_on", "in_force_from", "in_force_until", "summary"} {
			put[k] = got[k]
		}
		res = h.Do(t, "PUT", fmt.Sprintf("/api/v1/regulations/%d", reg.ID), exec, put, "")
		var after map[string]any
		res.JSON(t, &after)
		if res.Status != http.StatusOK {
			t.Fatalf("put = %d %s", res.Status, res.Body)
		}
		for _, k := range []string{"signed_on", "in_force_from", "in_force_until"} {
			if after[k] != got[k] {
				t.Errorf("%s: %v after the round trip, was %v", k, after[k], got[k])
			}
		}
	})
}
