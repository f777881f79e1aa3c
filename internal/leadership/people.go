package leadership

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Choice is an agency a leader may act for, 0 being the city.
type Choice struct {
	ID   int64
	Name string
}

// Choices lists where the actor may take action act: the city first (ID 0)
// when they may act for it, then the agencies by name.
func (s *Service) Choices(ctx context.Context, actor *policy.Actor, act policy.Action, city string) ([]Choice, error) {
	all, err := s.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	var out []Choice
	if policy.Can(actor, act, policy.Target{}) {
		out = append(out, Choice{ID: 0, Name: city})
	}
	for _, a := range all {
		if policy.Can(actor, act, policy.Target{AgencyID: a.ID}) {
			out = append(out, Choice{ID: a.ID, Name: a.Name})
		}
	}
	return out, nil
}

// PeopleByEmail finds active employees by their email addresses (one per
// line or separated by commas), for forms that name people; an address
// that is nobody's is an Invalid error on field.
func (s *Service) PeopleByEmail(ctx context.Context, field, raw string) ([]int64, error) {
	var ids []int64
	for _, e := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == ';' }) {
		var id int64
		err := s.db.R.QueryRowContext(ctx, `SELECT id FROM employees WHERE active AND LOWER(email) = LOWER($1)`, e).Scan(&id)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, errs.FieldErr(field, "leadership.email_unknown", e)
			}
			return nil, fmt.Errorf("leadership: person %q: %w", e, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// errFieldOne refuses more than one person where one is asked for.
func errFieldOne(field string) error { return errs.FieldErr(field, "leadership.one_person") }
