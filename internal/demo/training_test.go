package demo

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
)

// checkTraining checks that the city has training at every stage.
func checkTraining(t *testing.T, d *db.DB) {
	var activities, finished, completed, waitlisted, pending, present, evaluations int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM activities), (SELECT count(*) FROM events WHERE finished_at IS NOT NULL),
		(SELECT count(*) FROM enrolments WHERE status = 'completed'), (SELECT count(*) FROM enrolments WHERE status = 'waitlisted'),
		(SELECT count(*) FROM enrolments WHERE approval = 'pending'), (SELECT count(*) FROM session_attendance),
		(SELECT count(*) FROM event_evaluations)`).Scan(&activities, &finished, &completed, &waitlisted, &pending, &present,
		&evaluations); err != nil {
		t.Fatal(err)
	}
	if activities < len(demoActivities) || finished < 1 || completed < 12 || waitlisted < 1 || pending < 1 ||
		present < 20 || evaluations < 5 {
		t.Errorf("training: %d activities, %d finished, %d completed, %d waitlisted, %d pending, %d marks, %d evaluations",
			activities, finished, completed, waitlisted, pending, present, evaluations)
	}
}
