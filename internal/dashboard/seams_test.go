package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
)

// TestTheReportTakesTargetsAndReviewsThroughItsSeams: the lead wires
// leadership.ReviewTables and the targets' tables after the merge; what
// they return is printed in the report, and a failure fails it.
func TestTheReportTakesTargetsAndReviewsThroughItsSeams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "BAPENDA", "Badan Pendapatan Daerah Dottoro'ta", "badan")
		zone := time.FixedZone("WITA", 8*3600)
		h := NewHandler(loindex.NewService(d, zone), d)
		p := period.Of(time.Now().In(zone), period.Quarter)
		var asked []int64
		h.ReviewTables = func(_ context.Context, q db.Querier, lang string, id int64, got period.Period) ([]tabular.Table, error) {
			asked = append(asked, id)
			if q == nil || lang != "id" || got.Label != p.Label {
				t.Errorf("review tables asked with %v %q %s", q, lang, got.Label)
			}
			return []tabular.Table{{ID: "findings", Title: "Temuan monev", Header: []string{"Temuan"},
				Rows: [][]tabular.Cell{{{Text: "Nur'aini belum menindaklanjuti", Value: "x"}}}}}, nil
		}
		h.TargetTables = func(_ context.Context, actor *policy.Actor, lang string, id int64, got period.Period) ([]tabular.Table, error) {
			if actor == nil || id != agency {
				t.Errorf("target tables asked by %v for %d", actor, id)
			}
			return []tabular.Table{{ID: "targets", Title: "Target belajar", Header: []string{"Target"},
				Rows: [][]tabular.Cell{{{Text: "20 JP per pegawai", Value: "x"}}}}}, nil
		}
		exec := &policy.Actor{AccountID: 1, Name: "Wali Kota", Grants: []policy.Grant{{Role: policy.Executive}}}
		body, err := h.reportPDF(ctx, exec, "id", agency, p)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Text(t, body)
		for _, want := range []string{"(Temuan monev) Tj", "(Nur'aini belum menindaklanjuti) Tj", "(Target belajar) Tj",
			"(20 JP per pegawai) Tj", "Dottoro'ta"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %s", want)
			}
		}
		if strings.Contains(text, "Belum ada temuan") {
			t.Error("the report says there are no findings")
		}
		if len(asked) != 1 || asked[0] != agency {
			t.Errorf("reviews asked for %v", asked)
		}
		head := &policy.Actor{AccountID: 2, Name: "Kepala", Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: agency + 1}}}
		if _, err := h.reportPDF(ctx, head, "id", agency, p); err == nil {
			t.Error("another agency's head got the report")
		}
	})
}
