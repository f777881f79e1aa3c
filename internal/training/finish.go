package training

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// Completes reports whether attending attended of sessions sessions
// completes an event: at least three quarters of them (every one of one,
// two or three sessions; three of four), as the city's bimtek rules ask.
func Completes(attended, sessions int) bool {
	return sessions > 0 && attended*4 >= sessions*3
}

// Finished is what finishing an event did.
type Finished struct {
	Completed    int `json:"completed"`     // participants who completed it
	NotCompleted int `json:"not_completed"` // holding a seat but attended too little
}

// Finish closes an event once its last session has begun: each
// participant holding a seat, approved, who attended enough (Completes)
// completes it — their JP goes into the ledger and each competency the
// event builds, at its level, into their profile as evidence of an
// attended session (with the post-test score). Attendance and scores are
// closed from then on; certificates can be issued.
func (s *Service) Finish(ctx context.Context, actor *policy.Actor, eventID int64) (Finished, error) {
	var out Finished
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.managed(ctx, tx, actor, eventID, true)
		if err != nil {
			return err
		}
		sessions, err := sessionsOf(ctx, tx, eventID)
		if err != nil {
			return err
		}
		at := now()
		if len(sessions) == 0 || at.Before(sessions[len(sessions)-1].StartsAt) {
			return errs.New(errs.Conflict, "training.finish_early")
		}
		if err := fillEvents(ctx, tx, []*Event{&e}); err != nil {
			return err
		}
		people, err := queryEnrolments(ctx, tx, `n.event_id = $1 AND n.status = 'enrolled'`, "n.id", eventID)
		if err != nil {
			return err
		}
		var done []int64
		for _, n := range people {
			if !n.Cleared() || !Completes(n.Attended, len(sessions)) {
				out.NotCompleted++
				continue
			}
			if err := complete(ctx, tx, e, n, endOf(sessions, at)); err != nil {
				return err
			}
			account, err := accountOf(ctx, tx, n.EmployeeID)
			if err != nil {
				return err
			}
			done = append(done, account)
			out.Completed++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET finished_at = $1, updated_at = $1 WHERE id = $2`, at, eventID); err != nil {
			return fmt.Errorf("training: finish %d: %w", eventID, err)
		}
		if err := s.tell(ctx, tx, done, "training.completed", e); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "finish", Entity: "event", EntityID: eventID,
			AgencyID: deref(e.AgencyID), After: out})
	})
	return out, err
}

// endOf is when an event ran to: the end of its last session, not later
// than at (finishing before the last session ends).
func endOf(sessions []Session, at time.Time) time.Time {
	end := sessions[len(sessions)-1].EndsAt
	for _, s := range sessions {
		if s.EndsAt.After(end) {
			end = s.EndsAt
		}
	}
	if end.After(at) {
		return at
	}
	return end.UTC()
}

// complete marks one participant's completion with its ledger record and
// competency evidence, dated when the event ended (ended), so its JP land
// in the year the event ran, not the year it was finished in Lontara.
func complete(ctx context.Context, tx *sql.Tx, e Event, n Enrolment, ended time.Time) error {
	at := now()
	if _, err := tx.ExecContext(ctx, `UPDATE enrolments SET status = 'completed', completed_at = $1, updated_at = $1
		WHERE id = $2`, at, n.ID); err != nil {
		return fmt.Errorf("training: complete %d: %w", n.ID, err)
	}
	if err := ledger.Record(ctx, tx, ledger.Entry{EmployeeID: n.EmployeeID, Kind: e.Kind, Title: e.Title, JP: e.JP,
		ActivityID: deref(e.ActivityID), EventID: e.ID, SourceKind: ledger.SourceEnrolment, SourceID: n.ID,
		CompletedAt: ended}); err != nil {
		return err
	}
	shown := make([]competency.Evidence, len(e.Competencies))
	for i, c := range e.Competencies {
		shown[i] = competency.Evidence{EmployeeID: n.EmployeeID, CompetencyID: c.CompetencyID, Level: c.Level,
			Source: competency.SourceSession, EvidenceKind: "session", EvidenceRef: idString(e.ID), Score: n.PostScore,
			Note: e.Title, At: ended}
	}
	return competency.RecordEvidence(ctx, tx, shown...)
}
