package competency_test

import (
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// gapSite is a running server with a small city whose people lack things.
type gapSite struct {
	h                  *servertest.Harness
	c                  gapCity
	pw                 map[string]string
	nuraini, dottorota int64 // employees of the dinas
}

func newGapSite(t *testing.T, d *db.DB) gapSite {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	h.Agency(t, "KEC-TAMALATE", "Kecamatan Tamalate", "kecamatan")
	pw := h.Users(t,
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
		servertest.Person{Email: "dottorota@makassarkota.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "DISKOMINFO"},
		servertest.Person{Email: "admin@makassarkota.go.id", Name: "Admin Dinas", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
		servertest.Person{Email: "camat@makassarkota.go.id", Name: "Admin Camat", Role: policy.AgencyAdmin, Agency: "KEC-TAMALATE"},
		servertest.Person{Email: "ahli@makassarkota.go.id", Name: "Tim Ahli", Role: policy.Expert},
	)
	s := gapSite{h: h, pw: pw}
	s.c = gapCity{d: d}
	must(t, d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'DISKOMINFO'`).Scan(&s.c.dinas))
	must(t, d.R.QueryRow(`SELECT id FROM agencies WHERE code = 'KEC-TAMALATE'`).Scan(&s.c.camat))
	must(t, d.R.QueryRow(`SELECT id FROM employees WHERE email = 'nuraini@makassarkota.go.id'`).Scan(&s.nuraini))
	must(t, d.R.QueryRow(`SELECT id FROM employees WHERE email = 'dottorota@makassarkota.go.id'`).Scan(&s.dottorota))
	s.c.literasi = dbtest.Competency(t, d, "literasi-digital", "Literasi digital")
	s.c.keamanan = dbtest.Competency(t, d, "keamanan-informasi", "Kesadaran keamanan informasi")
	s.c.requireRole(t, s.c.literasi, 3, "employee", 0)
	s.c.requireRole(t, s.c.keamanan, 2, "employee", s.c.dinas)
	s.c.evidence(t, competency.Evidence{EmployeeID: s.dottorota, CompetencyID: s.c.literasi, Level: 3,
		Source: competency.SourceTrainer})
	// A workshop that builds information security to level 3, a week away.
	ev := dbtest.Event(t, d, "Lokakarya Keamanan Informasi", 30, 8)
	s.c.exec(t, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, 3)`, ev, s.c.keamanan)
	return s
}

func TestGapAPIAnswersListsAndClearErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newGapSite(t, d)
		h := s.h
		expert := h.Token(t, "ahli@makassarkota.go.id")
		self := h.Token(t, "nuraini@makassarkota.go.id")
		colleague := h.Token(t, "dottorota@makassarkota.go.id")
		admin := h.Token(t, "admin@makassarkota.go.id")
		camat := h.Token(t, "camat@makassarkota.go.id")

		var mine struct {
			Items []competency.Gap `json:"items"`
			Next  *string          `json:"next"`
		}
		r := h.Do(t, "GET", fmt.Sprintf("/api/v1/employees/%d/gaps", s.nuraini), self, nil, "")
		if r.Status != http.StatusOK {
			t.Fatalf("own gaps: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &mine)
		if mine.Next != nil || len(mine.Items) != 2 || mine.Items[0].Competency.Code != "literasi-digital" ||
			mine.Items[0].Gap != 3 || mine.Items[1].Gap != 2 {
			t.Fatalf("own gaps: %s", r.Body)
		}
		if p := mine.Items[1].Proposals; len(p) != 1 || p[0].Kind != "event" || p[0].Title != "Lokakarya Keamanan Informasi" {
			t.Errorf("proposals: %+v", p)
		}
		if !strings.Contains(string(r.Body), `"next":null`) {
			t.Errorf("no next: null in %s", r.Body)
		}
		// Paged one at a time.
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/employees/%d/gaps?limit=1", s.nuraini), self, nil, "")
		r.JSON(t, &mine)
		if len(mine.Items) != 1 || mine.Next == nil {
			t.Fatalf("first page: %s", r.Body)
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/employees/%d/gaps?limit=1&cursor=%s", s.nuraini, *mine.Next), self, nil, "")
		r.JSON(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].Competency.Code != "keamanan-informasi" || mine.Next != nil {
			t.Fatalf("second page: %s", r.Body)
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/employees/%d/gaps?met=true", s.dottorota), colleague, nil, "")
		r.JSON(t, &mine)
		if len(mine.Items) != 2 || mine.Items[1].Gap != 0 || mine.Items[1].CurrentLevel != 3 {
			t.Fatalf("with met: %s", r.Body)
		}

		var city struct {
			Items []competency.CompetencyGap `json:"items"`
		}
		r = h.Do(t, "GET", "/api/v1/gaps", expert, nil, "")
		r.JSON(t, &city)
		// Everyone in the directory is an employee: the admins and the
		// expert team need digital literacy too.
		if r.Status != http.StatusOK || len(city.Items) != 2 || city.Items[0].Competency.Code != "literasi-digital" ||
			city.Items[0].Lacking != 4 || city.Items[0].LevelsShort != 12 || city.Items[1].LevelsShort != 6 {
			t.Fatalf("city: %d %s", r.Status, r.Body)
		}
		var agencies struct {
			Items []competency.AgencyGap `json:"items"`
		}
		r = h.Do(t, "GET", "/api/v1/gaps/agencies", expert, nil, "")
		r.JSON(t, &agencies)
		if len(agencies.Items) != 3 || agencies.Items[0].Agency.Code != "DISKOMINFO" || agencies.Items[0].Lacking != 3 ||
			agencies.Items[0].LevelsShort != 12 || agencies.Items[1].Agency.Code != "KEC-TAMALATE" {
			t.Fatalf("agencies: %s", r.Body)
		}
		var people struct {
			Items []competency.PersonGapRow `json:"items"`
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/agencies/%d/gaps/people?competency=keamanan-informasi", s.c.dinas), admin, nil, "")
		r.JSON(t, &people)
		if r.Status != http.StatusOK || len(people.Items) == 0 || people.Items[0].Competency.Code != "keamanan-informasi" {
			t.Fatalf("agency people: %d %s", r.Status, r.Body)
		}
		if !slices.ContainsFunc(people.Items, func(p competency.PersonGapRow) bool { return p.Employee.Name == "Nur'aini" }) {
			t.Errorf("Nur'aini not among %s", r.Body)
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/agencies/%d/gaps", s.c.dinas), admin, nil, "")
		if r.Status != http.StatusOK {
			t.Errorf("agency gaps for its admin: %d", r.Status)
		}

		for _, tc := range []struct {
			name, path, token string
			status            int
			field             string
		}{
			{"a colleague's gaps", fmt.Sprintf("/api/v1/employees/%d/gaps", s.nuraini), colleague, 403, ""},
			{"another agency's admin", fmt.Sprintf("/api/v1/agencies/%d/gaps", s.c.dinas), camat, 403, ""},
			{"the city for an agency admin", "/api/v1/gaps", admin, 403, ""},
			{"no token", "/api/v1/gaps", "", 401, ""},
			{"unknown person", "/api/v1/employees/999999/gaps", expert, 404, ""},
			{"unknown agency", "/api/v1/agencies/999999/gaps", expert, 404, ""},
			{"limit out of range", "/api/v1/gaps?limit=0", expert, 422, "limit"},
			{"a forged cursor", "/api/v1/gaps/people?cursor=zzz", expert, 422, "cursor"},
			{"unknown competency", "/api/v1/gaps/people?competency=tidak-ada", expert, 422, "competency"},
			{"met not a boolean", fmt.Sprintf("/api/v1/employees/%d/gaps?met=ya", s.nuraini), self, 422, "met"},
		} {
			r := h.Do(t, "GET", tc.path, tc.token, nil, "")
			if tc.field != "" {
				servertest.ProblemFields(t, r, tc.status, tc.field)
			} else {
				servertest.Problem(t, r, tc.status)
			}
		}

		r = h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "")
		for _, op := range []string{"listEmployeeGaps", "listAgencyGaps", "listGaps", "listGapAgencies", "listGapPeople",
			"listAgencyGapPeople"} {
			if !strings.Contains(string(r.Body), `"`+op+`"`) {
				t.Errorf("OpenAPI lacks %s", op)
			}
		}
	})
}

func TestGapPagesShowWhoLacksWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newGapSite(t, d)
		h := s.h
		expert := h.SignIn(t, "ahli@makassarkota.go.id", s.pw["ahli@makassarkota.go.id"])
		p := expert.Get("/kompetensi/kesenjangan")
		p.Want(t, http.StatusOK, "city gaps", "Kesenjangan kompetensi kota", "Literasi digital", "Peringkat OPD",
			"Dinas Komunikasi dan Informatika", html.EscapeString("Nur'aini"), "Kebutuhan dari layanan bantuan")
		p = expert.Get(fmt.Sprintf("/kompetensi/kesenjangan?opd=%d&kompetensi=keamanan-informasi", s.c.dinas))
		p.Want(t, http.StatusOK, "agency gaps narrowed", "Kesenjangan kompetensi OPD", "Lokakarya Keamanan Informasi",
			"Hanya kompetensi keamanan-informasi")
		p.Lacks(t, "agency page", "Peringkat OPD")
		expert.Get("/kompetensi/kesenjangan?opd=abc").Want(t, http.StatusUnprocessableEntity, "bad agency")

		admin := h.SignIn(t, "admin@makassarkota.go.id", s.pw["admin@makassarkota.go.id"])
		admin.Get("/kompetensi/kesenjangan").Redirects(t, "agency admin lands on their agency",
			fmt.Sprintf("/kompetensi/kesenjangan?opd=%d", s.c.dinas))
		admin.Get(fmt.Sprintf("/kompetensi/kesenjangan?opd=%d", s.c.camat)).Want(t, http.StatusForbidden, "another agency")
		csvFile := admin.Get(fmt.Sprintf("/kompetensi/kesenjangan.csv?opd=%d", s.c.dinas))
		csvFile.Want(t, http.StatusOK, "the agency's list as CSV", "\uFEFFPegawai,OPD,Kode kompetensi",
			"Nur'aini,Dinas Komunikasi dan Informatika,literasi-digital,Literasi digital,3,0,3,tidak")
		if ct := csvFile.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("CSV served as %q", ct)
		}
		admin.Get(fmt.Sprintf("/kompetensi/kesenjangan.csv?opd=%d", s.c.camat)).Want(t, http.StatusForbidden, "another agency's CSV")
		admin.Get(fmt.Sprintf("/kompetensi/kesenjangan.csv?opd=%d&kompetensi=tidak-ada", s.c.dinas)).
			Want(t, http.StatusUnprocessableEntity, "CSV of an unknown competency")

		// Her own view of digital literacy: level 2, short of the 3 required.
		s.c.evidence(t, competency.Evidence{EmployeeID: s.nuraini, CompetencyID: s.c.literasi, Level: 2,
			Source: competency.SourceSelf})
		me := h.SignIn(t, "nuraini@makassarkota.go.id", s.pw["nuraini@makassarkota.go.id"])
		p = me.Get(fmt.Sprintf("/pegawai/%d/kesenjangan", s.nuraini))
		p.Want(t, http.StatusOK, "own gaps", html.EscapeString("Nur'aini"), "Belum tercapai", "kurang 3 level",
			"Mandiri", "Lokakarya Keamanan Informasi", "Peran Pegawai", `href="/kompetensi/saya"`,
			`data-label="Penilaian diri">Level 2</td>`)
		p.Lacks(t, "an employee's own page", "Lihat kesenjangan OPD")
		me.Get(fmt.Sprintf("/pegawai/%d/kesenjangan", s.dottorota)).Want(t, http.StatusForbidden, "a colleague's")
		me.Get("/kompetensi/kesenjangan").Want(t, http.StatusForbidden, "city for an employee")

		other := h.SignIn(t, "dottorota@makassarkota.go.id", s.pw["dottorota@makassarkota.go.id"])
		other.Get(fmt.Sprintf("/pegawai/%d/kesenjangan", s.dottorota)).Want(t, http.StatusOK, "met shown", "Sudah tercapai")
	})
}
