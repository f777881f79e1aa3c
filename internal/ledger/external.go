package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Kinds of learning, as activities have them.
var Kinds = []string{"bimtek", "workshop", "course", "ojt", "mentoring", "self_study", "online_meeting"}

// External is learning a person finished outside Lontara, as their
// agency's admin records it: CompletedOn is a date (YYYY-MM-DD) in the
// city's zone.
type External struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Provider    string `json:"provider"`
	Evidence    string `json:"evidence"`
	JP          int    `json:"jp"`
	CompletedOn string `json:"completed_on"`
}

// The most JP one record of outside learning may carry: a long course
// (a leadership training is about 200 JP).
const maxExternalJP = 200

func (s *Service) validateExternal(in *External) (time.Time, error) {
	in.Title, in.Provider, in.Evidence = strings.TrimSpace(in.Title), strings.TrimSpace(in.Provider), strings.TrimSpace(in.Evidence)
	var v errs.Validation
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "one_of", strings.Join(Kinds, ", "))
	}
	switch {
	case in.Title == "":
		v.Add("title", "required")
	case utf8.RuneCountInString(in.Title) > 200:
		v.Add("title", "too_long", 200)
	}
	for name, text := range map[string]string{"provider": in.Provider, "evidence": in.Evidence} {
		if utf8.RuneCountInString(text) > 200 {
			v.Add(name, "too_long", 200)
		}
	}
	if in.JP < 1 || in.JP > maxExternalJP {
		v.Add("jp", "ledger.external_jp", maxExternalJP)
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.CompletedOn), s.zone)
	switch {
	case err != nil:
		v.Add("completed_on", "date.format")
	case day.After(s.now().In(s.zone)):
		v.Add("completed_on", "ledger.external_future")
	case day.Year() < 2000:
		v.Add("completed_on", "ledger.year")
	}
	// Noon of the day: within the day in any reading of the city's zone.
	return day.Add(12 * time.Hour).UTC(), v.Err()
}

// RecordExternal records learning person employeeID finished outside
// Lontara in their ledger (source manual), with what it rests on.
func (s *Service) RecordExternal(ctx context.Context, actor *policy.Actor, employeeID int64, in External) (Line, error) {
	var line Line
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		agency, err := agencyOfPerson(ctx, tx, employeeID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.LearningRecord, policy.Target{AgencyID: agency, EmployeeID: employeeID}); err != nil {
			return err
		}
		at, err := s.validateExternal(&in)
		if err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO external_learning (employee_id, kind, title, provider, evidence, jp,
			completed_at, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			employeeID, in.Kind, in.Title, in.Provider, in.Evidence, in.JP, at, db.NullID(actor.AccountID), time.Now().UTC())
		if _, dup := s.db.Dialect.UniqueViolation(err); dup { // the same record submitted twice
			return errs.New(errs.Conflict, "ledger.external_twice")
		}
		if err != nil {
			return fmt.Errorf("ledger: record external: %w", err)
		}
		if err := Record(ctx, tx, Entry{EmployeeID: employeeID, Kind: in.Kind, Title: in.Title, JP: in.JP,
			SourceKind: SourceManual, SourceID: id, CompletedAt: at}); err != nil {
			return err
		}
		line = Line{Kind: in.Kind, Title: in.Title, JP: in.JP, Source: SourceManual, CompletedAt: at,
			Provider: in.Provider, Evidence: in.Evidence, ExternalID: &id}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM learning_records WHERE source_kind = $1 AND source_id = $2`,
			SourceManual, id).Scan(&line.ID); err != nil {
			return fmt.Errorf("ledger: record external: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "external_learning", EntityID: id,
			AgencyID: agency, After: in})
	})
	return line, err
}

// ForgetExternal takes back a record of outside learning of person
// employeeID (recorded by mistake), and its JP with it.
func (s *Service) ForgetExternal(ctx context.Context, actor *policy.Actor, employeeID, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		agency, err := agencyOfPerson(ctx, tx, employeeID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.LearningRecord, policy.Target{AgencyID: agency, EmployeeID: employeeID}); err != nil {
			return err
		}
		var title string
		err = tx.QueryRowContext(ctx, `SELECT title FROM external_learning WHERE id = $1 AND employee_id = $2`, id, employeeID).
			Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "ledger.external_not_found")
		}
		if err != nil {
			return fmt.Errorf("ledger: forget external: %w", err)
		}
		if err := Forget(ctx, tx, SourceManual, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM external_learning WHERE id = $1`, id); err != nil {
			return fmt.Errorf("ledger: forget external: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "external_learning", EntityID: id,
			AgencyID: agency, Before: map[string]any{"employee_id": employeeID, "title": title}})
	})
}

func agencyOfPerson(ctx context.Context, q db.Querier, employeeID int64) (int64, error) {
	var agency int64
	err := q.QueryRowContext(ctx, `SELECT agency_id FROM employees WHERE id = $1`, employeeID).Scan(&agency)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNoPerson
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: person %d: %w", employeeID, err)
	}
	return agency, nil
}
