package demo

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
)

// checkCertificates checks that the city has certificates to verify and at least one revoked.
func checkCertificates(t *testing.T, d *db.DB) {
	var valid, revoked, evidence, jp int
	if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM certificates WHERE revoked_at IS NULL),
		(SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL),
		(SELECT COUNT(*) FROM competency_assessments WHERE source = 'certificate'),
		(SELECT COALESCE(SUM(jp), 0) FROM learning_records)`).Scan(&valid, &revoked, &evidence, &jp); err != nil {
		t.Fatal(err)
	}
	if valid < 10 || revoked < 1 || jp < 80 {
		t.Errorf("%d valid and %d revoked certificates, %d evidence rows, %d JP", valid, revoked, evidence, jp)
	}
}
