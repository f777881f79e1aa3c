package mentoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// logTarget is the policy's view of logging a session in a: the actor
// mentors the mentee when they are the assignment's trainer; the agency is
// the mentee's current one, where the trainer must still hold the role.
func logTarget(actor *policy.Actor, a Assignment) policy.Target {
	return policy.Target{EmployeeID: a.MenteeID, AgencyID: a.MenteeAgencyID,
		Trainer: actor != nil && actor.AccountID != 0 && actor.AccountID == a.MentorAccountID}
}

func (in *SessionInput) validate(at time.Time) error {
	in.Topic, in.Notes, in.CompetencyCode = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Notes), strings.TrimSpace(in.CompetencyCode)
	var v errs.Validation
	switch {
	case in.HeldAt.IsZero():
		v.Add("held_at", "required")
	case in.HeldAt.After(at.Add(time.Hour)):
		v.Add("held_at", "mentoring.held_future")
	case in.HeldAt.Before(at.AddDate(-1, 0, 0)):
		v.Add("held_at", "mentoring.held_old")
	}
	if in.JP < 1 || in.JP > maxJP {
		v.Add("jp", "mentoring.jp_range", maxJP)
	}
	switch {
	case in.Topic == "":
		v.Add("topic", "required")
	case utf8.RuneCountInString(in.Topic) > maxTopic:
		v.Add("topic", "too_long", maxTopic)
	}
	if utf8.RuneCountInString(in.Notes) > maxNotes {
		v.Add("notes", "too_long", maxNotes)
	}
	if (in.CompetencyCode == "") != (in.Level == 0) {
		v.Add("level", "mentoring.level_with_competency")
	} else if in.Level != 0 && (in.Level < 1 || in.Level > 4) {
		v.Add("level", "mentoring.level_range")
	}
	return v.Err()
}

// Log records a session of assignment id: its JP go to the mentee's ledger
// (source mentoring, once), and a competency level the trainer saw to
// their profile (source mentoring), all in one transaction.
func (s *Service) Log(ctx context.Context, actor *policy.Actor, id int64, in SessionInput) (Session, error) {
	var sess Session
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Lock the assignment first, so that it is not ended meanwhile.
		if _, err := tx.ExecContext(ctx, `UPDATE mentoring_assignments SET goal = goal WHERE id = $1`, id); err != nil {
			return fmt.Errorf("mentoring: log: %w", err)
		}
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.MentoringLog, logTarget(actor, a)); err != nil {
			return err
		}
		if a.EndedAt != nil {
			return errs.New(errs.Conflict, "mentoring.ended")
		}
		at := now()
		if err := in.validate(at); err != nil {
			return err
		}
		var compID int64
		var compName string
		if in.CompetencyCode != "" {
			// A level recorded from a session is a verification of it.
			var supervisor *int64
			if err := tx.QueryRowContext(ctx, `SELECT supervisor_id FROM employees WHERE id = $1`, a.MenteeID).
				Scan(&supervisor); err != nil {
				return fmt.Errorf("mentoring: mentee: %w", err)
			}
			if err := policy.Check(actor, policy.CompetencyVerify, policy.Target{EmployeeID: a.MenteeID,
				AgencyID: a.MenteeAgencyID, Supervisor: supervisor != nil && actor.EmployeeID != 0 && *supervisor == actor.EmployeeID}); err != nil {
				return err
			}
			err := tx.QueryRowContext(ctx, `SELECT id, name FROM competencies WHERE code = $1 AND retired_at IS NULL`,
				in.CompetencyCode).Scan(&compID, &compName)
			if errors.Is(err, sql.ErrNoRows) {
				return errs.FieldErr("competency_code", "mentoring.competency_unknown")
			}
			if err != nil {
				return fmt.Errorf("mentoring: competency: %w", err)
			}
		}
		var level any
		if in.Level != 0 {
			level = in.Level
		}
		held := in.HeldAt.UTC().Truncate(time.Microsecond)
		sid, err := db.InsertID(ctx, tx, `INSERT INTO mentoring_sessions (assignment_id, held_at, jp, topic, notes,
			competency_id, level, logged_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			id, held, in.JP, in.Topic, in.Notes, db.NullID(compID), level, db.NullID(actor.AccountID), at)
		if _, dup := s.db.Dialect.UniqueViolation(err); dup { // the same session submitted twice
			return errs.New(errs.Conflict, "mentoring.session_twice")
		}
		if err != nil {
			return fmt.Errorf("mentoring: log: %w", err)
		}
		if err := ledger.Record(ctx, tx, ledger.Entry{EmployeeID: a.MenteeID, Kind: "mentoring",
			Title: "Pendampingan: " + in.Topic, JP: in.JP, SourceKind: ledger.SourceMentoring, SourceID: sid,
			CompletedAt: held}); err != nil {
			return err
		}
		if compID != 0 {
			if err := competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: a.MenteeID, CompetencyID: compID,
				Level: in.Level, Source: competency.SourceMentoring, AssessorID: actor.AccountID, EvidenceKind: "mentoring",
				EvidenceRef: fmt.Sprintf("mentoring:%d", sid), Note: in.Topic, At: held}); err != nil {
				return err
			}
		}
		sess = Session{ID: sid, HeldAt: held, JP: in.JP, Topic: in.Topic, Notes: in.Notes, CompetencyCode: in.CompetencyCode,
			CompetencyName: compName, CreatedAt: at}
		if in.Level != 0 {
			sess.Level = &in.Level
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "mentoring_session", EntityID: sid,
			AgencyID: a.MenteeAgencyID, After: sess})
	})
	return sess, err
}

// DeleteSession takes back a session logged by mistake, its JP with it,
// and the level it showed: the evidence stays in the mentee's record (every
// assessment does) but lapses now, so it counts no longer.
func (s *Service) DeleteSession(ctx context.Context, actor *policy.Actor, id, sessionID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.MentoringLog, logTarget(actor, a)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM mentoring_sessions WHERE id = $1 AND assignment_id = $2`, sessionID, id)
		if err != nil {
			return fmt.Errorf("mentoring: delete session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "mentoring.session_not_found")
		}
		if err := ledger.Forget(ctx, tx, ledger.SourceMentoring, sessionID); err != nil {
			return err
		}
		if err := competency.LapseEvidence(ctx, tx, a.MenteeID, now(),
			competency.Ref{Source: competency.SourceMentoring, Ref: fmt.Sprintf("mentoring:%d", sessionID)}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "mentoring_session",
			EntityID: sessionID, AgencyID: a.MenteeAgencyID})
	})
}
