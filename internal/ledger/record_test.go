package ledger_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
)

func TestACompletionIsRecordedOnceAndItsEvidenceLapsesWithTheCompetency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		person, _ := dbtest.Person(t, d, agency, "Nur'aini", "nuraini@makassarkota.go.id")
		comp := dbtest.Competency(t, d, "sipd.operasi", "Mengoperasikan SIPD")
		if _, err := d.W.Exec(`UPDATE competencies SET validity_months = 24 WHERE id = $1`, comp); err != nil {
			t.Fatal(err)
		}
		event := dbtest.Event(t, d, "Bimtek SIPD", 30, 16)
		enrolment := dbtest.Enrolment(t, d, event, person, "completed")
		done := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

		entry := ledger.Entry{EmployeeID: person, Kind: "bimtek", Title: "Bimtek SIPD", JP: 16, EventID: event,
			SourceKind: ledger.SourceEnrolment, SourceID: enrolment, CompletedAt: done}
		for range 2 {
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				if err := ledger.Record(ctx, tx, entry); err != nil {
					return err
				}
				return competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: person, CompetencyID: comp,
					Level: 2, Source: competency.SourceSession, EvidenceKind: "session", EvidenceRef: "event:1", At: done})
			}); err != nil {
				t.Fatal(err)
			}
		}
		var jp int
		if err := d.R.QueryRow(`SELECT SUM(jp) FROM learning_records WHERE employee_id = $1`, person).Scan(&jp); err != nil {
			t.Fatal(err)
		}
		if jp != 16 {
			t.Errorf("JP after recording the same enrolment twice = %d, want 16", jp)
		}
		var expires time.Time
		if err := d.R.QueryRow(`SELECT expires_at FROM competency_assessments WHERE employee_id = $1`, person).Scan(&expires); err != nil {
			t.Fatal(err)
		}
		if want := done.AddDate(2, 0, 0); !expires.UTC().Equal(want) {
			t.Errorf("evidence lapses at %v, want %v", expires.UTC(), want)
		}
	})
}
