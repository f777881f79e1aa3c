package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/jobs"
	"github.com/lontara-id/lontara/internal/policy"
)

// laporActor is who closes LAPOR! complaints nobody answered: Lontara
// itself, named so in the ticket's history.
var laporActor = &policy.Actor{System: true, Label: "lapor", Name: "Lontara (LAPOR!)"}

// laporBatch bounds the complaints one run closes; the next run takes the
// rest.
const laporBatch = 100

// LaporJob is the background job that closes LAPOR! complaints whose
// reporter has not answered within LaporCloseDays working days of the
// follow-up.
func (s *Service) LaporJob() jobs.Job {
	return jobs.Job{Name: "lapor-close", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) error {
		_, err := s.CloseUnansweredLapor(ctx, now)
		return err
	}}
}

// laporClosable is the rule of which complaints the job closes, on
// lapor_complaints l: those due (close_due, LaporCloseDays working days
// after the follow-up, has passed), not closed by the job yet, whose ticket
// waits for the reporter (pending or resolved; a new or open ticket is one
// the help desk is still working, so it is never closed under it) and whose
// reporter has not answered since the follow-up. A LAPOR! reporter has no
// account: an agent enters their answer, on the ticket, and takes the ticket
// up again. So the reporter answered when, after the follow-up, either
//   - someone of the reporter's side (an account that does not work the help
//     desk) wrote a public reply, or
//   - the ticket was moved back to open (a status event), by an agent or by
//     such a reply;
//
// an agent's reply alone (a reminder, say) is no answer. A complaint once
// answered is not closed by the job: the help desk closes it. It takes
// now as $1 and the help desk's roles from $3 (deskRoleArgs).
var laporClosable = `l.closed_by_job_at IS NULL AND l.close_due <= $1
	AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = l.ticket_id AND t.status IN ('pending', 'resolved'))
	AND NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = l.ticket_id
		AND m.internal = FALSE AND m.created_at > l.followed_up_at AND m.author_account_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = m.author_account_id
			AND g.role IN (` + deskRolesIn(3) + `)))
	AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = l.ticket_id
		AND e.kind = 'status' AND e.new_value = 'open' AND e.at > l.followed_up_at)`

// CloseUnansweredLapor closes the tickets of LAPOR! complaints whose close
// is due by now, waiting for a reporter who has not answered since the
// follow-up (laporClosable), each in its own transaction with its history entry and audit record, and
// returns how many it closed. It is idempotent: closed_by_job_at is set by
// a conditional UPDATE in the closing transaction, so a complaint another
// node closed meanwhile is skipped.
func (s *Service) CloseUnansweredLapor(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT l.ticket_id FROM lapor_complaints l WHERE `+laporClosable+`
		ORDER BY l.close_due LIMIT $2`, deskRoleArgs(now.UTC(), laporBatch)...)
	if err != nil {
		return 0, fmt.Errorf("helpdesk: LAPOR! due: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	closed := 0
	for _, id := range ids {
		ok, err := s.closeLapor(ctx, id, now)
		if err != nil {
			return closed, err
		}
		if ok {
			closed++
		}
	}
	return closed, nil
}

// closeLapor closes one complaint's ticket if it is still due and
// unanswered, and reports whether it did.
func (s *Service) closeLapor(ctx context.Context, id int64, now time.Time) (bool, error) {
	at := now.UTC().Truncate(time.Microsecond)
	done := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// The ticket is held first, as an agent's save holds it before it
		// records on the complaint (laporRecord): taken the other way
		// round, the two could each wait for the other. A reply saved
		// meanwhile is then seen by the claim.
		if err := db.HoldRow(ctx, tx, "tickets", id); err != nil {
			return fmt.Errorf("helpdesk: claim LAPOR! complaint: %w", err)
		}
		// Claim the complaint: the row lock (PostgreSQL) or the one
		// writer (SQLite) makes a second node's claim find it taken.
		res, err := tx.ExecContext(ctx, `UPDATE lapor_complaints AS l SET closed_by_job_at = $1 WHERE `+laporClosable+`
			AND l.ticket_id = $2`, deskRoleArgs(at, id)...)
		if err != nil {
			return fmt.Errorf("helpdesk: claim LAPOR! complaint: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		before, err := findTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		t := before
		cal, err := s.pauseCalendar(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := transition(&t, StatusClosed, at, cal); err != nil {
			return err
		}
		t.UpdatedAt = at
		events := []Event{{Actor: authorName(laporActor), Kind: "status", Old: before.Status, New: t.Status, At: at},
			{Actor: authorName(laporActor), Kind: "lapor_closed", At: at}}
		if err := s.save(ctx, tx, laporActor, before, t, events); err != nil {
			return err
		}
		t.Version = before.Version + 1
		done = true
		return audit.Write(ctx, tx, laporActor, audit.Entry{Action: "lapor_close", Entity: "ticket", EntityID: t.ID,
			AgencyID: deref(t.AgencyID), Before: before, After: t})
	})
	return done, err
}
