package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/targets"
)

// An agency's M&E report carries what leadership and the targets record
// for it: the review's findings and follow-ups, and the targets of the
// period with where they stand.
func TestTheMEReportCarriesTheReviewsAndTargetsOfTheAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan")
		h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Kepala Bapenda", Role: policy.AgencyHead, Agency: "BAPENDA"},
		)
		ctx, sys := context.Background(), policy.SystemActor("test")
		zone, _ := time.LoadLocation("Asia/Makassar")
		q := period.Of(time.Now().In(zone), period.Quarter)
		review, err := h.Svc.Leadership.CreateReview(ctx, sys, leadership.ReviewInput{AgencyID: a.ID, Period: q.Label, Title: "Monev triwulan"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Leadership.AddFinding(ctx, sys, review.ID, leadership.FindingInput{
			Text: "Operator SIPD belum mengikuti bimtek", Severity: "high"}); err != nil {
			t.Fatal(err)
		}
		goal := 20.0
		if _, err := h.Svc.Targets.Create(ctx, sys, targets.Input{AgencyID: &a.ID, Period: q.Label[:4],
			Metric: targets.MetricJP, Goal: &goal}); err != nil {
			t.Fatal(err)
		}

		exec := h.SignIn(t, "wali@makassarkota.go.id", pw["wali@makassarkota.go.id"])
		r := exec.Get(fmt.Sprintf("/dasbor/opd/%d/laporan.pdf?period=%s", a.ID, q.Label))
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "%PDF-") {
			t.Fatalf("the report: %d %.40q", r.Status, r.Body)
		}
		text := pdftest.Text(t, []byte(r.Body))
		for _, want := range []string{"(Operator SIPD belum mengikuti bimtek) Tj", "(JP per pegawai) Tj", "(" + q.Label[:4] + ") Tj"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		head := h.SignIn(t, "kepala@bapenda.go.id", pw["kepala@bapenda.go.id"])
		head.Get(fmt.Sprintf("/dasbor/opd/%d/laporan.pdf", a.ID)).Want(t, http.StatusForbidden, "another agency's report")
	})
}
