package survey_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/survey"
)

func TestSurveyThroughTheAPIAndThePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
		people := []servertest.Person{{Email: "walikota@makassarkota.go.id", Name: "Danny Pomanto", Role: policy.Executive, Agency: "DISKOMINFO"}}
		for i := range 6 {
			people = append(people, servertest.Person{Email: fmt.Sprintf("p%d@makassarkota.go.id", i),
				Name: fmt.Sprintf("Nur'aini Dottoro'ta %d", i), Role: policy.Employee, Agency: "DISKOMINFO"})
		}
		pw := h.Users(t, people...)
		if err := h.Svc.Survey.DefaultsJob(t.Context(), time.Now()); err != nil {
			t.Fatal(err)
		}
		exec := h.Token(t, "walikota@makassarkota.go.id")
		var ins struct{ Items []survey.Instrument }
		h.Do(t, "GET", "/api/v1/survey-instruments", exec, nil, "").JSON(t, &ins)
		if len(ins.Items) != 1 || len(ins.Items[0].Items) != 21 || ins.Items[0].Items[0].TextEN == "" {
			t.Fatalf("instruments = %+v", ins)
		}
		items := ins.Items[0].Items
		var diskominfo, mariso int64
		_ = d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'DISKOMINFO'`).Scan(&diskominfo)
		_ = d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'KEC-MARISO'`).Scan(&mariso)
		agencies := []int64{diskominfo}
		today := time.Now().Format(time.DateOnly)
		week := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)

		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/surveys", exec, map[string]any{"period": "2026-Q5",
			"agency_ids": agencies, "opens_on": today, "closes_on": week}, ""), 422, "period")
		res := h.Do(t, "POST", "/api/v1/surveys", exec, map[string]any{"period": "2026-Q3", "agency_ids": agencies,
			"opens_on": today, "closes_on": week}, "")
		var c survey.Campaign
		res.JSON(t, &c)
		if res.Status != http.StatusCreated || c.Status != survey.Draft {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		base := fmt.Sprintf("/api/v1/surveys/%d", c.ID)
		h.Do(t, "POST", base+"/open", exec, nil, "").JSON(t, &c)
		if c.Status != survey.Open || c.Invited != 7 {
			t.Fatalf("opened = %+v", c)
		}
		toks := tokens(t, d)
		good := func(v int) []map[string]any {
			var out []map[string]any
			for i, it := range items {
				out = append(out, map[string]any{"item_id": it.ID, "value": 1 + (v+i%3)%6})
			}
			return out
		}
		tok := func(email string) string { return toks[h.AccountID(t, email)] }
		first := tok("p0@makassarkota.go.id")
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/responses", "", map[string]any{"token": first,
			"answers": append(good(1)[:20], map[string]any{"item_id": items[20].ID, "value": 7})}, ""), 422, "answers")
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/responses", "", map[string]any{"token": first, "answers": good(1)[:20]}, ""), 422, "answers")
		servertest.Problem(t, h.Do(t, "POST", base+"/responses", "", map[string]any{"token": "palsu", "answers": good(1)}, ""), 404)
		if n := count(t, d, `SELECT count(*) FROM survey_pending`) + count(t, d, `SELECT count(*) FROM survey_invitations WHERE answered`); n != 0 {
			t.Fatalf("refused answers stored %d rows", n)
		}
		res = h.Do(t, "POST", base+"/responses", "", map[string]any{"token": first, "answers": good(1)}, "")
		if res.Status != http.StatusCreated || !strings.Contains(string(res.Body), `"received":true`) {
			t.Fatalf("answer: %d %s", res.Status, res.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", base+"/responses", "", map[string]any{"token": first, "answers": good(1)}, ""), 409)
		for i := 1; i < 4; i++ {
			res := h.Do(t, "POST", base+"/responses", "", map[string]any{"token": tok(fmt.Sprintf("p%d@makassarkota.go.id", i)), "answers": good(i)}, "")
			if res.Status != http.StatusCreated {
				t.Fatalf("answer %d: %d %s", i, res.Status, res.Body)
			}
		}
		var r survey.Results
		h.Do(t, "GET", base+"/results", exec, nil, "").JSON(t, &r)
		if !r.Suppressed || r.Reason == "" || r.Dimensions != nil || r.Answered != 4 {
			t.Errorf("results while open = %+v", r)
		}

		// The one-time link as a page, not signed in; the signed-in person's own invitation.
		anon := h.Client(t)
		link := survey.AnswerLink(tok("p4@makassarkota.go.id"))
		anon.Get(link).Want(t, 200, "the answer form", items[0].TextID, "Hampir selalu benar")
		form := url.Values{"token": {tok("p4@makassarkota.go.id")}}
		for _, it := range items[:20] {
			form.Set(fmt.Sprintf("item-%d", it.ID), "5")
		}
		anon.Submit(link, form).Want(t, 422, "an incomplete form", "jawab semua pernyataan")
		form.Set(fmt.Sprintf("item-%d", items[20].ID), "enam")
		anon.Submit(link, form).Want(t, 422, "a value that is no number", "setiap jawaban harus bernilai 1 sampai 6")
		if n := count(t, d, `SELECT count(*) FROM survey_invitations WHERE answered`); n != 4 {
			t.Fatalf("a value that is no number was stored: %d answered", n)
		}
		form.Set(fmt.Sprintf("item-%d", items[20].ID), "6")
		p := anon.Submit(link, form)
		p.Redirects(t, "the answered form", "/survei/terima-kasih")
		anon.Get(link).Want(t, 409, "the used link")

		me := h.SignIn(t, "p5@makassarkota.go.id", pw["p5@makassarkota.go.id"])
		me.Get("/survei").Want(t, 200, "my surveys", c.Title, fmt.Sprintf("/survei/kampanye/%d/isi", c.ID))
		mine := url.Values{}
		for _, it := range items {
			mine.Set(fmt.Sprintf("item-%d", it.ID), "3")
		}
		me.Submit(fmt.Sprintf("/survei/kampanye/%d/isi", c.ID), mine).Redirects(t, "my answers", "/survei")
		me.Get("/survei").Want(t, 200, "my surveys after answering", "Sudah dijawab")
		me.Get(fmt.Sprintf("/survei/kampanye/%d", c.ID)).Want(t, 403, "results for an employee")

		h.Do(t, "POST", base+"/close", exec, nil, "").JSON(t, &c)
		if c.Status != survey.Closed || c.Answered != 6 {
			t.Fatalf("closed = %+v", c)
		}
		servertest.Problem(t, h.Do(t, "POST", base+"/responses", "", map[string]any{"token": tok("walikota@makassarkota.go.id"), "answers": good(1)}, ""), 409)
		r = survey.Results{}
		h.Do(t, "GET", base+"/results", exec, nil, "").JSON(t, &r)
		if r.Suppressed || r.Respondents != 6 || len(r.Dimensions) != 7 || r.Dimensions[0].Alpha == nil && r.Dimensions[0].AlphaNote == "" {
			t.Fatalf("city results = %+v", r)
		}
		h.Do(t, "GET", fmt.Sprintf("%s/results?agency_id=%d", base, diskominfo), exec, nil, "").JSON(t, &r)
		if r.Suppressed || r.Respondents != 6 || r.Group.Name != "Dinas Komunikasi dan Informatika" {
			t.Errorf("agency results = %+v", r)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", fmt.Sprintf("%s/results?agency_id=%d", base, mariso), exec, nil, ""), 422, "agency_id")
		servertest.Problem(t, h.Do(t, "GET", base+"/results", h.Token(t, "p0@makassarkota.go.id"), nil, ""), 403)

		boss := h.SignIn(t, "walikota@makassarkota.go.id", pw["walikota@makassarkota.go.id"])
		boss.Get(fmt.Sprintf("/survei/kampanye/%d", c.ID)).Want(t, 200, "the results page", "Hasil per kelompok",
			"Pembelajaran berkelanjutan", "Dinas Komunikasi dan Informatika")
		csv := boss.Get(fmt.Sprintf("/survei/kampanye/%d/unduh?format=csv", c.ID))
		csv.Want(t, 200, "the CSV", "Pembelajaran berkelanjutan")
	})
}

func TestSmallGroupsAreSuppressedThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "KEC-UJUNG", "Kecamatan Ujung Pandang", "kecamatan")
		h.Users(t, servertest.Person{Email: "sekda@makassarkota.go.id", Name: "Sekda", Role: policy.Executive, Agency: "DISKES"})
		var big, small int64
		_ = d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'DISKES'`).Scan(&big)
		_ = d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'KEC-UJUNG'`).Scan(&small)
		id := dbtest.LOCampaign(t, d, "2026-Q2", time.Now().AddDate(0, 0, -1), map[int64][]int{big: {5, 5, 4, 6, 5, 5, 3}, small: {1, 2}})
		exec := h.Token(t, "sekda@makassarkota.go.id")
		for _, q := range []string{fmt.Sprintf("agency_id=%d", small), fmt.Sprintf("agency_id=%d", big), "agency_type=kecamatan", "agency_type=dinas"} {
			res := h.Do(t, "GET", fmt.Sprintf("/api/v1/surveys/%d/results?%s", id, q), exec, nil, "")
			body := string(res.Body)
			if res.Status != 200 || !strings.Contains(body, `"suppressed":true`) || !strings.Contains(body, `"reason":"`) ||
				strings.Contains(body, `"dimensions"`) || strings.Contains(body, `"score"`) {
				t.Errorf("%s: %d %s", q, res.Status, body)
			}
		}
		res := h.Do(t, "GET", fmt.Sprintf("/api/v1/surveys/%d/results", id), exec, nil, "")
		if !strings.Contains(string(res.Body), `"suppressed":false`) || !strings.Contains(string(res.Body), `"respondents":9`) {
			t.Errorf("city: %s", res.Body)
		}
	})
}

func TestBuildingAnInstrument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.Users(t, servertest.Person{Email: "walikota@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive, Agency: "DISKOMINFO"},
			servertest.Person{Email: "staf@makassarkota.go.id", Name: "Staf", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"})
		exec := h.Token(t, "walikota@makassarkota.go.id")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/survey-instruments", exec, map[string]any{"code": "Bukan Kode",
			"title": "", "scale_min": 5, "scale_max": 3, "items": []any{}}, ""), 422, "code", "title", "scale_max", "items")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/survey-instruments", exec, map[string]any{"code": "skala-besar",
			"title": "Skala di atas 100", "scale_min": 95, "scale_max": 101,
			"items": []map[string]string{{"dimension": "d", "text_id": "Pernyataan."}}}, ""), 422, "scale_max")
		res := h.Do(t, "POST", "/api/v1/survey-instruments", exec, map[string]any{"code": "kepuasan-layanan", "title": "Kepuasan layanan help desk",
			"items": []map[string]string{{"dimension": "kecepatan", "text_id": "Tiket saya ditangani dengan cepat."},
				{"dimension": "kecepatan", "text_id": "Saya tidak perlu menunggu lama.", "section": "Waktu"}}}, "")
		var in survey.Instrument
		res.JSON(t, &in)
		if res.Status != 201 || in.ScaleMin != 1 || in.ScaleMax != 6 || len(in.Items) != 2 || in.Items[1].Section != "Waktu" {
			t.Fatalf("created: %d %s", res.Status, res.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/survey-instruments", exec, map[string]any{"code": "kepuasan-layanan",
			"title": "Lagi", "items": []map[string]string{{"dimension": "x", "text_id": "y"}}}, ""), 422, "code")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/survey-instruments", h.Token(t, "staf@makassarkota.go.id"), map[string]any{"code": "lain",
			"title": "Lain", "items": []map[string]string{{"dimension": "x", "text_id": "y"}}}, ""), 403)

		boss := h.SignIn(t, "walikota@makassarkota.go.id", pw["walikota@makassarkota.go.id"])
		boss.Submit("/survei/instrumen/baru", url.Values{"code": {"budaya-belajar"}, "title": {"Budaya belajar Dottoro'ta"},
			"scale_min": {"1"}, "scale_max": {"5"}, "items": {"tanpa dimensi"}}).Want(t, 422, "an item without a dimension", "setiap pernyataan perlu dimensi")
		boss.Submit("/survei/instrumen/baru", url.Values{"code": {"budaya-belajar"}, "title": {"Budaya belajar Dottoro'ta"},
			"scale_min": {"1"}, "scale_max": {"5"}, "items": {"berbagi | Kami berbagi catatan. | We share notes. | Bagian A\nbertanya | Kami bertanya."}}).
			Redirects(t, "a new instrument", "/survei/instrumen")
		boss.Get("/survei/instrumen").Want(t, 200, "the instruments", "Budaya belajar Dottoro&#39;ta", "Kami berbagi catatan.", "Bagian A", "kepuasan-layanan")
		h.SignIn(t, "staf@makassarkota.go.id", pw["staf@makassarkota.go.id"]).Get("/survei/instrumen").Want(t, 403, "instruments for an agency admin")
	})
}
