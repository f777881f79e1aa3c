package spbe_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/spbe"
)

func TestTheEvidencePageDownloadAndAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		seed(t, d)
		pw := h.Users(t,
			servertest.Person{Email: "walikota@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kadis@kominfo.go.id", Name: "Kepala Dinas", Role: policy.AgencyHead, Agency: "DISKOMINFO"},
		)
		exec := h.SignIn(t, "walikota@makassarkota.go.id", pw["walikota@makassarkota.go.id"])
		// The leadership registry's regulation in force is listed (under all
		// three indicators: its obligations tie it to none).
		if _, err := h.Svc.Leadership.CreateRegulation(context.Background(), policy.SystemActor("test"), leadership.RegulationInput{
			Kind: "perwali", Number: "7/2024", Title: "Manajemen pengetahuan Pemkot", SignedOn: "2024-06-01",
			InForceFrom: "2024-06-01"}); err != nil {
			t.Fatal(err)
		}
		page := exec.Get("/spbe?periode=2025")
		page.Want(t, http.StatusOK, "the evidence page", "Bukti SPBE", "Manajemen Pengetahuan", "Cara posting SPJ di SIPD",
			"Bimtek SIPD", "SLA prioritas mendesak: respons pertama 15 menit", "7/2024", "Manajemen pengetahuan Pemkot",
			"<caption>", `href="/spbe/unduh?periode=2025"`, "50,0%",
			`">Perwali</td>`, "Bimbingan teknis (bimtek)") // kinds in words, not their codes
		page.Lacks(t, "the registry is wired", "belum tersambung")
		exec.Get("/spbe?periode=2025-Q7").Want(t, http.StatusUnprocessableEntity, "a bad period", "periode tidak dikenal",
			`aria-invalid="true"`)
		exec.Get("/spbe").Want(t, http.StatusOK, "this year by default", "Bukti SPBE")

		zipped := exec.Get("/spbe/unduh?periode=2025")
		if zipped.Status != http.StatusOK || zipped.Header.Get("Content-Type") != "application/zip" ||
			!strings.Contains(zipped.Header.Get("Content-Disposition"), "bukti-spbe-2025.zip") {
			t.Fatalf("download: %d %s %s", zipped.Status, zipped.Header.Get("Content-Type"), zipped.Header.Get("Content-Disposition"))
		}
		files := unzip(t, []byte(zipped.Body))
		if !strings.HasPrefix(files["ringkasan.pdf"], "%PDF-") || !strings.HasPrefix(files["bukti-spbe.xlsx"], "PK") {
			t.Errorf("the PDF and the workbook: %d and %d bytes", len(files["ringkasan.pdf"]), len(files["bukti-spbe.xlsx"]))
		}
		if text := pdftest.Text(t, []byte(files["ringkasan.pdf"])); !strings.Contains(text, "(7/2024) Tj") ||
			!strings.Contains(text, "Manajemen Pengetahuan") {
			t.Error("the summary PDF lacks the indicators' figures and the regulation in force")
		}
		if r := files["README.txt"]; !strings.Contains(r, "csv/03-km-published.csv") || !strings.Contains(r, "periode 2025") {
			t.Errorf("README: %s", r)
		}
		if c := files["csv/03-km-published.csv"]; !strings.Contains(c, "Cara posting SPJ di SIPD") {
			t.Errorf("the published articles' CSV: %s", c)
		}
		if len(files) != 17 {
			t.Errorf("%d files in the pack, want README, PDF, XLSX and 14 CSVs", len(files))
		}

		head := h.SignIn(t, "kadis@kominfo.go.id", pw["kadis@kominfo.go.id"])
		head.Get("/spbe").Want(t, http.StatusForbidden, "an agency head")
		head.Get("/spbe/unduh").Want(t, http.StatusForbidden, "an agency head's download")

		token := h.Token(t, "walikota@makassarkota.go.id")
		r := h.Do(t, "GET", "/api/v1/spbe-evidence?period=2025", token, nil, "")
		var pack spbe.Pack
		r.JSON(t, &pack)
		if r.Status != http.StatusOK || pack.Period != "2025" || len(pack.Knowledge.Published) != 1 || len(pack.Service.Policies) != 5 || !pack.Registry {
			t.Errorf("API: %d %+v", r.Status, pack)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/spbe-evidence?period=kemarin", token, nil, ""),
			http.StatusUnprocessableEntity, "period")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/spbe-evidence", h.Token(t, "kadis@kominfo.go.id"), nil, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/spbe-evidence", "", nil, ""), http.StatusUnauthorized)
		a := h.Do(t, "GET", "/api/v1/spbe-evidence/archive?period=2025-Q2", token, nil, "")
		if a.Status != http.StatusOK || len(unzip(t, a.Body)) != 17 {
			t.Errorf("API archive: %d", a.Status)
		}
	})
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(data)
	}
	return out
}
