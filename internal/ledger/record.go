// Package ledger is the JP ledger: the lesson hours (jam pelajaran, 45
// minutes each) of competency development each person finished, against
// the 20 JP a year Indonesian regulation gives every civil servant.
package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// Sources of a record: the row a piece of finished learning came from.
// SourceManual is a row of external_learning (learning done outside
// Lontara, recorded by the person's agency: RecordExternal).
const (
	SourceEnrolment = "enrolment"
	SourceMentoring = "mentoring"
	SourceSelfStudy = "self_study"
	SourceManual    = "manual"
)

// Entry is a piece of learning a person finished.
type Entry struct {
	EmployeeID  int64
	Kind        string // the activity kind: bimtek, workshop, course, ojt, mentoring, self_study, online_meeting
	Title       string
	JP          int
	ActivityID  int64 // 0: none
	EventID     int64 // 0: none
	SourceKind  string
	SourceID    int64
	CompletedAt time.Time
}

// Record writes e in the caller's transaction, once per source: recording
// the same enrolment or mentoring session again changes nothing, so a
// completion that is marked twice is not counted twice.
func Record(ctx context.Context, tx db.Querier, e Entry) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO learning_records (employee_id, kind, title, jp, activity_id, event_id,
		source_kind, source_id, completed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (source_kind, source_id) DO NOTHING`,
		e.EmployeeID, e.Kind, e.Title, e.JP, db.NullID(e.ActivityID), db.NullID(e.EventID), e.SourceKind, e.SourceID,
		e.CompletedAt.UTC(), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("record learning: %w", err)
	}
	return nil
}

// Forget removes the record of a source, when the completion it came from
// is taken back (attendance corrected, a mentoring session deleted).
func Forget(ctx context.Context, tx db.Querier, sourceKind string, sourceID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM learning_records WHERE source_kind = $1 AND source_id = $2`,
		sourceKind, sourceID); err != nil {
		return fmt.Errorf("forget learning: %w", err)
	}
	return nil
}
