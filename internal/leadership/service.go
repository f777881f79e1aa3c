// Package leadership is support from the top: the vision and mission of the
// city and each agency, the registry of regulations and what they require,
// announcements to an audience with read receipts, monitoring-and-evaluation
// reviews whose follow-ups are assigned to people with due dates, and the
// recognition of people and teams. Agency 0 is the city throughout, as in
// policy.Target.
package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// Service holds the rules of leadership.
type Service struct {
	db    *db.DB
	zone  *time.Location
	files upload.Limits
}

// NewService returns the leadership service over d; dates (regulations,
// due dates) are days in zone, the city's.
func NewService(d *db.DB, zone *time.Location) *Service {
	return &Service{db: d, zone: zone, files: upload.Default}
}

// SetFileLimits bounds the documents attached to regulations.
func (s *Service) SetFileLimits(l upload.Limits) { s.files = l }

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// nullID stores 0 (the city, nobody) as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// signedIn refuses an anonymous actor.
func signedIn(actor *policy.Actor) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return nil
}

// text checks a required or optional text field against a length.
func text(v *errs.Validation, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "too_long", max)
	}
}

// parseDay reads "2026-03-31" as midnight of that day in the city's zone.
// It also takes an instant as the API answers days ("2026-03-30T16:00:00Z",
// that midnight in UTC): its day in the city's zone, so what a client
// reads it can send back unchanged.
func (s *Service) parseDay(v *errs.Validation, field, raw string, required bool) *time.Time {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			v.Add(field, "required")
		}
		return nil
	}
	t, err := time.ParseInLocation(time.DateOnly, raw, s.zone)
	if err != nil {
		at, err2 := time.Parse(time.RFC3339, raw)
		if err2 != nil {
			v.Add(field, "date.format")
			return nil
		}
		at = at.In(s.zone)
		t = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, s.zone)
	}
	t = t.UTC()
	return &t
}

// Day formats a stored day in the city's zone as the forms write it.
func (s *Service) Day(t time.Time) string { return t.In(s.zone).Format(time.DateOnly) }

// agencyExists refuses an agency id that is not one (0, the city, is).
func agencyExists(ctx context.Context, q db.Querier, field string, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id = $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("leadership: agency %d: %w", id, err)
	}
	if n == 0 {
		return errs.FieldErr(field, "leadership.agency_unknown")
	}
	return nil
}

// Agency is an agency as the forms offer it.
type Agency struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Agencies lists every agency by name, for the forms' choices.
func (s *Service) Agencies(ctx context.Context) ([]Agency, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name FROM agencies ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("leadership: agencies: %w", err)
	}
	defer rows.Close()
	var out []Agency
	for rows.Next() {
		var a Agency
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// idOf reads a nullable id column as 0 for the city.
func idOf(n sql.NullInt64) int64 { return n.Int64 }
