// Package competency is the competency framework: the competencies
// e-government needs with their four levels, what positions, roles and
// applications require, each person's profile of what they have shown,
// and the gap analysis that says who lacks what.
package competency

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Sources of an assessment: what a level rests on. Only SourceSelf is not
// a verification.
const (
	SourceSelf        = "self"
	SourceTrainer     = "trainer"
	SourceSupervisor  = "supervisor"
	SourceTest        = "test"
	SourceSession     = "session"
	SourceCertificate = "certificate"
	SourceMentoring   = "mentoring"
)

// Evidence is a level a person has shown in a competency: their own
// self-assessment, a verification, or a record from another part of
// Lontara (a finished training event, an issued certificate, a passed test,
// a mentoring session). Every assessment is written through RecordEvidence.
type Evidence struct {
	EmployeeID   int64
	CompetencyID int64
	Level        int
	Source       string // one of the Source constants
	AssessorID   int64  // the account that verified it; 0 when it follows from a record
	EvidenceKind string // certificate, session, test, document, mentoring
	EvidenceRef  string // the certificate code, the event id, …
	Score        *int   // a test score 0..100
	Note         string
	At           time.Time
}

// RecordEvidence records es in the caller's transaction, each lapsing after
// its competency's validity. It is how self-assessment, verification,
// training, certificates and mentoring update a person's profile. Verified
// levels also refresh the held levels (competency_held) gap analysis
// reads, once per person however many competencies es holds for them.
func RecordEvidence(ctx context.Context, tx db.Querier, es ...Evidence) error {
	var verified []int64 // the people whose held levels change, in order
	for _, e := range es {
		if _, err := insertEvidence(ctx, tx, e); err != nil {
			return err
		}
		if e.Source != SourceSelf && !slices.Contains(verified, e.EmployeeID) {
			verified = append(verified, e.EmployeeID)
		}
	}
	for _, id := range verified {
		if err := RefreshLevels(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// recordEvidence is RecordEvidence of one, answering the new assessment's
// id.
func recordEvidence(ctx context.Context, tx db.Querier, e Evidence) (int64, error) {
	id, err := insertEvidence(ctx, tx, e)
	if err != nil || e.Source == SourceSelf {
		return id, err // a self-assessment is shown beside the level, never counted in it
	}
	return id, RefreshLevels(ctx, tx, e.EmployeeID)
}

// insertEvidence writes one assessment row, its lapse from the
// competency's validity.
func insertEvidence(ctx context.Context, tx db.Querier, e Evidence) (int64, error) {
	var months *int
	if err := tx.QueryRowContext(ctx, `SELECT validity_months FROM competencies WHERE id = $1`, e.CompetencyID).Scan(&months); err != nil {
		return 0, fmt.Errorf("competency %d: %w", e.CompetencyID, err)
	}
	var expires *time.Time
	if months != nil {
		t := e.At.AddDate(0, *months, 0)
		expires = &t
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO competency_assessments (employee_id, competency_id, level, source,
		assessor_account_id, evidence_kind, evidence_ref, score, note, assessed_at, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		e.EmployeeID, e.CompetencyID, e.Level, e.Source, db.NullID(e.AssessorID), e.EvidenceKind, e.EvidenceRef,
		e.Score, e.Note, e.At.UTC(), expires, time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("record evidence: %w", err)
	}
	return id, nil
}

// Ref names a person's evidence by its source and reference (a
// certificate's code, an event's id).
type Ref struct{ Source, Ref string }

// LapseEvidence ends, at at, what a person's evidence of the given sources
// and references showed: the rows stay in their record (it happened) but
// count no longer, and their held levels are refreshed once. A revoked
// certificate is taken back this way, with the attended event it stood for.
func LapseEvidence(ctx context.Context, tx db.Querier, employeeID int64, at time.Time, refs ...Ref) error {
	for _, r := range refs {
		if _, err := tx.ExecContext(ctx, `UPDATE competency_assessments SET expires_at = $1
			WHERE employee_id = $2 AND source = $3 AND evidence_ref = $4 AND (expires_at IS NULL OR expires_at > $1)`,
			at.UTC(), employeeID, r.Source, r.Ref); err != nil {
			return fmt.Errorf("lapse evidence %s %s: %w", r.Source, r.Ref, err)
		}
	}
	return RefreshLevels(ctx, tx, employeeID)
}
