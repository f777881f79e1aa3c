package leadership

import (
	"context"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
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
// that is nobody's is an Invalid error on field, and so are more than max
// distinct addresses. Callers check the actor's right first: the answer
// tells which addresses exist. Emails are stored lower-cased (org), so one
// query over the unique index finds them all.
func (s *Service) PeopleByEmail(ctx context.Context, field, raw string, max int) ([]int64, error) {
	var emails []string
	seen := map[string]bool{}
	for _, e := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == ';' }) {
		e = strings.ToLower(e)
		if seen[e] {
			continue
		}
		if len(emails) == max {
			if max == 1 {
				return nil, errFieldOne(field)
			}
			return nil, errs.FieldErr(field, "leadership.too_many", max)
		}
		seen[e] = true
		emails = append(emails, e)
	}
	if len(emails) == 0 {
		return nil, nil
	}
	in, args := db.InList(emails)
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, email FROM employees WHERE active AND email IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("leadership: people by email: %w", err)
	}
	defer rows.Close()
	found := map[string]int64{}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("leadership: people by email: %w", err)
		}
		found[email] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("leadership: people by email: %w", err)
	}
	ids := make([]int64, len(emails))
	for i, e := range emails {
		id, ok := found[e]
		if !ok {
			return nil, errs.FieldErr(field, "leadership.email_unknown", e)
		}
		ids[i] = id
	}
	return ids, nil
}

// errFieldOne refuses more than one person where one is asked for.
func errFieldOne(field string) error { return errs.FieldErr(field, "leadership.one_person") }
