package certificate_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// site is a running server with a finished event: Nur'aini and Andi
// completed it, Rahmat trains it.
type site struct {
	h                    *servertest.Harness
	event                int64
	pw                   map[string]string
	trainerTok, nurTok   string
	outsiderTok, andiTok string
}

func startSite(t *testing.T, d *db.DB) site {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
	s := site{h: h, pw: h.Users(t,
		servertest.Person{Email: "rahmat@makassarkota.go.id", Name: "Rahmat", Role: "trainer", Agency: "DISKOMINFO"},
		servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini", Role: "employee", Agency: "DINKES"},
		servertest.Person{Email: "andi@makassarkota.go.id", Name: "Andi Dottoro'ta", Role: "employee", Agency: "DINKES"},
		servertest.Person{Email: "lain@makassarkota.go.id", Name: "Orang Lain", Role: "trainer", Agency: "DISKOMINFO"})}
	s.event = dbtest.Event(t, d, "Bimtek Webmail untuk OPD", 30, 8)
	comp := dbtest.Competency(t, d, "webmail", "Webmail")
	exec(t, d, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, 2)`, s.event, comp)
	exec(t, d, `INSERT INTO event_trainers (event_id, account_id) VALUES ($1, $2)`, s.event, h.AccountID(t, "rahmat@makassarkota.go.id"))
	for _, email := range []string{"nuraini@makassarkota.go.id", "andi@makassarkota.go.id"} {
		var emp int64
		if err := d.W.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&emp); err != nil {
			t.Fatal(err)
		}
		dbtest.Enrolment(t, d, s.event, emp, "completed")
	}
	s.trainerTok, s.nurTok = h.Token(t, "rahmat@makassarkota.go.id"), h.Token(t, "nuraini@makassarkota.go.id")
	s.outsiderTok, s.andiTok = h.Token(t, "lain@makassarkota.go.id"), h.Token(t, "andi@makassarkota.go.id")
	return s
}

func (s site) finish(t *testing.T) {
	exec(t, s.h.DB, `UPDATE events SET finished_at = $1 WHERE id = $2`, time.Now().UTC(), s.event)
}

func TestTheAPIIssuesListsVerifiesAndRevokes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := startSite(t, d)
		h, path := s.h, "/api/v1/events/"+itoa(s.event)+"/certificates"

		p := servertest.Problem(t, h.Do(t, "POST", path, s.trainerTok, nil, ""), http.StatusConflict)
		if !strings.Contains(p.Detail, "selesai") && !strings.Contains(p.Detail, "finished") {
			t.Errorf("unfinished: %s", p.Detail)
		}
		s.finish(t)
		servertest.Problem(t, h.Do(t, "POST", path, s.outsiderTok, nil, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "POST", path, "", nil, ""), http.StatusUnauthorized)

		r := h.Do(t, "POST", path, s.trainerTok, nil, "")
		var out certificate.Issued
		r.JSON(t, &out)
		if r.Status != http.StatusCreated || out.Issued != 2 || len(out.Certificates) != 2 {
			t.Fatalf("issue: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "POST", path, s.trainerTok, nil, "")
		r.JSON(t, &out)
		if r.Status != http.StatusCreated || out.Issued != 0 {
			t.Fatalf("issue again: %d %s", r.Status, r.Body)
		}

		var list struct {
			Items []certificate.Certificate `json:"items"`
			Next  *string                   `json:"next"`
		}
		h.Do(t, "GET", path+"?limit=1", s.trainerTok, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Next == nil {
			t.Errorf("event list page 1: %+v", list)
		}
		servertest.Problem(t, h.Do(t, "GET", path, s.nurTok, nil, ""), http.StatusForbidden)
		h.Do(t, "GET", "/api/v1/certificates", s.nurTok, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].HolderName != "Nur'aini" || list.Items[0].Competencies[0].Code != "webmail" {
			t.Fatalf("my certificates: %+v", list)
		}
		mine := list.Items[0]
		if r := h.Do(t, "GET", "/api/v1/certificates/"+mine.Code, s.nurTok, nil, ""); r.Status != http.StatusOK {
			t.Errorf("own certificate: %d", r.Status)
		}
		// Someone else's code is not found, as an unknown one: a refusal would confirm it exists.
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/certificates/"+mine.Code, s.andiTok, nil, ""), http.StatusNotFound)
		person := "/api/v1/employees/" + itoa(mine.EmployeeID) + "/certificates"
		h.Do(t, "GET", person, s.nurTok, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Code != mine.Code {
			t.Errorf("a person's certificates: %+v", list)
		}
		servertest.Problem(t, h.Do(t, "GET", person, s.andiTok, nil, ""), http.StatusNotFound)

		// Verification needs no sign-in and shows only what the certificate states.
		r = h.Do(t, "GET", "/api/v1/verify/"+strings.ToLower(mine.DisplayCode), "", nil, "")
		var v map[string]any
		r.JSON(t, &v)
		if r.Status != http.StatusOK || v["valid"] != true || v["holder_name"] != "Nur'aini" || v["event_title"] != "Bimtek Webmail untuk OPD" {
			t.Fatalf("verify: %d %s", r.Status, r.Body)
		}
		for _, private := range []string{"employee_id", "email", "event_id", "pdf_url"} {
			if _, ok := v[private]; ok {
				t.Errorf("verification tells %s", private)
			}
		}
		p = servertest.Problem(t, h.Do(t, "GET", "/api/v1/verify/000000000000", "", nil, ""), http.StatusNotFound)
		if !strings.Contains(p.Detail, "kode") && !strings.Contains(p.Detail, "code") {
			t.Errorf("unknown code: %s", p.Detail)
		}
		forged := mine.Code[:11] + map[bool]string{true: "A", false: "B"}[mine.Code[11] != 'A']
		p = servertest.Problem(t, h.Do(t, "GET", "/api/v1/verify/"+forged, "", nil, ""), http.StatusNotFound)
		if !strings.Contains(p.Detail, "palsu") && !strings.Contains(p.Detail, "forged") {
			t.Errorf("forged code: %s", p.Detail)
		}

		// Open Badges: the assertion, its class and issuer are public JSON-LD.
		r = h.Do(t, "GET", "/badges/assertions/"+mine.Code, "", nil, "")
		var a map[string]any
		r.JSON(t, &a)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/ld+json" ||
			a["@context"] != "https://w3id.org/openbadges/v2" || a["type"] != "Assertion" ||
			a["id"] != h.URL+"/badges/assertions/"+mine.Code {
			t.Fatalf("assertion: %d %s", r.Status, r.Body)
		}
		rec := a["recipient"].(map[string]any)
		if rec["hashed"] != true || !strings.HasPrefix(rec["identity"].(string), "sha256$") {
			t.Errorf("recipient %v", rec)
		}
		var class, issuer map[string]any
		r = h.Do(t, "GET", strings.TrimPrefix(a["badge"].(string), h.URL), "", nil, "")
		r.JSON(t, &class)
		if r.Status != http.StatusOK || class["type"] != "BadgeClass" || class["name"] != "Bimtek Webmail untuk OPD" {
			t.Fatalf("badge class: %d %s", r.Status, r.Body)
		}
		r = h.Do(t, "GET", strings.TrimPrefix(class["issuer"].(string), h.URL), "", nil, "")
		r.JSON(t, &issuer)
		if r.Status != http.StatusOK || issuer["type"] != "Issuer" || issuer["name"] == "" {
			t.Fatalf("issuer: %d %s", r.Status, r.Body)
		}
		if r := h.Do(t, "GET", strings.TrimPrefix(class["image"].(string), h.URL), "", nil, ""); r.Status != http.StatusOK ||
			!strings.Contains(string(r.Body), "<svg") {
			t.Errorf("badge image: %d", r.Status)
		}

		// Revocation: a reason is needed; then verification and the assertion say so.
		rev := "/api/v1/certificates/" + mine.Code + "/revoke"
		servertest.ProblemFields(t, h.Do(t, "POST", rev, s.trainerTok, map[string]string{"reason": ""}, ""), 422, "reason")
		servertest.Problem(t, h.Do(t, "POST", rev, s.nurTok, map[string]string{"reason": "x"}, ""), http.StatusForbidden)
		r = h.Do(t, "POST", rev, s.trainerTok, map[string]string{"reason": "Salah peserta"}, "")
		if r.Status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		// Publicly only the status and the date; the reason is the holder's.
		r = h.Do(t, "GET", "/api/v1/verify/"+mine.Code, "", nil, "")
		v = nil
		r.JSON(t, &v)
		if _, said := v["revoke_reason"]; v["valid"] != false || v["status"] != "revoked" || v["revoked_at"] == nil || said ||
			strings.Contains(string(r.Body), "Salah peserta") {
			t.Errorf("verify revoked: %s", r.Body)
		}
		r = h.Do(t, "GET", "/badges/assertions/"+mine.Code, "", nil, "")
		r.JSON(t, &a)
		if r.Status != http.StatusGone || a["revoked"] != true || a["revocationReason"] == "" ||
			strings.Contains(string(r.Body), "Salah peserta") {
			t.Errorf("revoked assertion: %d %s", r.Status, r.Body)
		}
		var held certificate.Certificate
		h.Do(t, "GET", "/api/v1/certificates/"+mine.Code, s.nurTok, nil, "").JSON(t, &held)
		if held.Status != "revoked" || held.RevokeReason != "Salah peserta" {
			t.Errorf("the holder's revoked certificate: %+v", held)
		}
	})
}

func TestThePagesIssueShowVerifyAndPrint(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := startSite(t, d)
		h := s.h
		s.finish(t)
		page := "/pelatihan/acara/" + itoa(s.event) + "/sertifikat"
		trainer := h.SignIn(t, "rahmat@makassarkota.go.id", s.pw["rahmat@makassarkota.go.id"])
		trainer.Get(page).Want(t, http.StatusOK, "event certificates", "Bimtek Webmail untuk OPD", "Terbitkan 2 sertifikat")
		trainer.PostForm(page, nil).Redirects(t, "issue", page)
		got := trainer.Get(page)
		got.Want(t, http.StatusOK, "issued", "Sertifikat telah diterbitkan", "Nur&#39;aini", "Andi Dottoro&#39;ta",
			"Semua peserta yang tuntas sudah menerima sertifikat.")
		got.Lacks(t, "issued", "Unduh PDF") // the trainer does not see their record

		other := h.SignIn(t, "lain@makassarkota.go.id", s.pw["lain@makassarkota.go.id"])
		if p := other.Get(page); p.Status != http.StatusForbidden {
			t.Errorf("another trainer: %d", p.Status)
		}

		nur := h.SignIn(t, "nuraini@makassarkota.go.id", s.pw["nuraini@makassarkota.go.id"])
		mine := nur.Get("/sertifikat")
		mine.Want(t, http.StatusOK, "my certificates", "Bimtek Webmail untuk OPD", "Webmail (level 2)", "Unduh PDF")
		var list struct {
			Items []certificate.Certificate `json:"items"`
		}
		h.Do(t, "GET", "/api/v1/certificates", s.nurTok, nil, "").JSON(t, &list)
		code := list.Items[0].Code
		pdf := nur.Get(certificate.PDFLink(code))
		if pdf.Status != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
			t.Fatalf("PDF: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
		}
		andi := h.SignIn(t, "andi@makassarkota.go.id", s.pw["andi@makassarkota.go.id"])
		nur.Get("/pegawai/"+itoa(list.Items[0].EmployeeID)+"/sertifikat").Want(t, http.StatusOK, "a person's page",
			"Sertifikat Nur&#39;aini", "Bimtek Webmail untuk OPD")
		if p := andi.Get("/pegawai/" + itoa(list.Items[0].EmployeeID) + "/sertifikat"); p.Status != http.StatusNotFound {
			t.Errorf("someone else's certificates page: %d", p.Status)
		}
		if p := andi.Get(certificate.PDFLink(code)); p.Status != http.StatusNotFound {
			t.Errorf("someone else's PDF: %d", p.Status)
		}
		if p := h.Client(t).Get(certificate.PDFLink(code)); p.Status != http.StatusSeeOther {
			t.Errorf("PDF without signing in: %d", p.Status)
		}

		// Anyone verifies, by link or by typing the code.
		anon := h.Client(t)
		anon.Get(certificate.VerifyLink(code)).Want(t, http.StatusOK, "verify", "Sertifikat ini sah.", "Nur&#39;aini",
			"Bimtek Webmail untuk OPD", list.Items[0].DisplayCode)
		anon.Get("/verify?kode="+url.QueryEscape(strings.ToLower(list.Items[0].DisplayCode))).Redirects(t, "typed code", certificate.VerifyLink(code))
		anon.Get("/verify/000000000000").Want(t, http.StatusNotFound, "unknown", "Tidak ada sertifikat dengan kode")
		anon.Get("/verify/SAYA-PALSU-1234").Want(t, http.StatusNotFound, "forged", "bukan kode sertifikat yang sah")

		// Revoking from the event's page: without a reason the form says so.
		trainer.Get(page)
		trainer.PostForm("/sertifikat/"+code+"/cabut", url.Values{"reason": {""}}).Want(t, 422, "no reason",
			"Tuliskan alasan pencabutan.")
		trainer.PostForm("/sertifikat/"+code+"/cabut", url.Values{"reason": {"Data peserta keliru"}}).Redirects(t, "revoke", page)
		revoked := anon.Get(certificate.VerifyLink(code))
		revoked.Want(t, http.StatusOK, "verify revoked", "telah dicabut")
		revoked.Lacks(t, "verify revoked", "Data peserta keliru")
		nur.Get("/sertifikat").Want(t, http.StatusOK, "mine revoked", "Dicabut", "Data peserta keliru")
		var n int
		if err := d.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM notifications n
			JOIN accounts a ON a.id = n.account_id JOIN employees e ON e.id = a.employee_id
			WHERE e.email = 'nuraini@makassarkota.go.id' AND n.kind IN ('cert.issued', 'cert.revoked')`).Scan(&n); err != nil || n != 2 {
			t.Errorf("Nur'aini was told %d times (%v), want 2", n, err)
		}
	})
}
