package demo

import (
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// checkLeadership checks that the city has visions, regulations, announcements and follow-ups.
func checkLeadership(t *testing.T, d *db.DB) {
	var visions, inForce, revoked, announcements, read, unread, overdue, done, recognitions int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM visions), (SELECT count(*) FROM regulations WHERE status = 'in_force'),
		(SELECT count(*) FROM regulations WHERE status = 'revoked'), (SELECT count(*) FROM announcements),
		(SELECT count(*) FROM announcement_recipients WHERE read_at IS NOT NULL),
		(SELECT count(*) FROM announcement_recipients WHERE read_at IS NULL),
		(SELECT count(*) FROM follow_ups WHERE status = 'open' AND due_on < $1),
		(SELECT count(*) FROM follow_ups WHERE status = 'done'), (SELECT count(*) FROM recognitions)`, time.Now().UTC()).
		Scan(&visions, &inForce, &revoked, &announcements, &read, &unread, &overdue, &done, &recognitions); err != nil {
		t.Fatal(err)
	}
	if visions != 3 || inForce != 4 || revoked != 1 || announcements < 1 || read == 0 || unread == 0 ||
		overdue != 1 || done != 1 || recognitions != 2 {
		t.Errorf("leadership: %d visions, %d in force, %d revoked, %d announcements (%d read, %d not), %d overdue, %d done, %d recognitions",
			visions, inForce, revoked, announcements, read, unread, overdue, done, recognitions)
	}
	// The done follow-up was reported by its assignee, and no follow-up
	// went to the head who assigned them.
	var byAssignee, toHead int
	if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM follow_up_notes n JOIN follow_ups f ON f.id = n.follow_up_id
		JOIN accounts a ON a.id = n.author_id WHERE a.employee_id = f.assignee_id),
		(SELECT count(*) FROM follow_ups f JOIN accounts a ON a.employee_id = f.assignee_id
		JOIN role_grants g ON g.account_id = a.id AND g.role = 'agency_head')`).Scan(&byAssignee, &toHead); err != nil {
		t.Fatal(err)
	}
	if byAssignee != 1 || toHead != 0 {
		t.Errorf("follow-ups: %d notes by the assignee, %d assigned to a head; want 1 and 0", byAssignee, toHead)
	}
}
