package training

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Option is a choice in a form: an id and its label.
type Option struct {
	ID    int64
	Label string
	Code  string
}

// Options are the choices of the event and activity forms.
type Options struct {
	Competencies []Option // in use, by name
	Trainers     []Option // accounts holding the trainer role, by name
	Agencies     []Option // the organizers the actor may choose; ID 0: the city
}

// FormOptions loads the choices of the event and activity forms for actor.
func (s *Service) FormOptions(ctx context.Context, actor *policy.Actor) (Options, error) {
	var o Options
	var err error
	if o.Competencies, err = options(ctx, s.db.R, `SELECT id, name, code FROM competencies WHERE retired_at IS NULL
		ORDER BY name, id LIMIT 1000`); err != nil {
		return o, err
	}
	if o.Trainers, err = options(ctx, s.db.R, `SELECT DISTINCT a.id, p.name, '' FROM role_grants g
		JOIN accounts a ON a.id = g.account_id JOIN employees p ON p.id = a.employee_id
		WHERE g.role = 'trainer' AND a.active = TRUE ORDER BY p.name, a.id LIMIT 1000`); err != nil {
		return o, err
	}
	if CanManageActivity(actor, 0) {
		o.Agencies = append(o.Agencies, Option{})
	}
	agencies, err := options(ctx, s.db.R, `SELECT id, name, code FROM agencies ORDER BY name LIMIT 2000`)
	if err != nil {
		return o, err
	}
	for _, a := range agencies {
		if CanManageActivity(actor, a.ID) {
			o.Agencies = append(o.Agencies, a)
		}
	}
	return o, nil
}

func options(ctx context.Context, q db.Querier, query string, args ...any) ([]Option, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("training: options: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Label, &o.Code); err != nil {
			return nil, fmt.Errorf("training: options: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Candidate is a person who could be given a place at an event.
type Candidate struct {
	EmployeeID int64
	Name       string
	NIP        string
	Agency     string
	Status     string // their place already, "" if none
}

// maxCandidates is how many people the add-people page lists at once.
const maxCandidates = 200

// Candidates lists the people actor may put forward for an event, by
// name: anyone in the city (or the organizing agency) for its organizers,
// the people of the agencies they nominate for otherwise; q narrows by
// name or NIP.
func (s *Service) Candidates(ctx context.Context, actor *policy.Actor, eventID int64, q string) ([]Candidate, error) {
	e, err := s.Event(ctx, actor, eventID)
	if err != nil {
		return nil, err
	}
	manage, err := s.CanManage(ctx, actor, e)
	if err != nil {
		return nil, err
	}
	where := []string{"p.active = TRUE"}
	args := []any{eventID}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if e.AgencyID != nil {
		where = append(where, "p.agency_id = "+arg(*e.AgencyID))
	}
	if !manage {
		mine := agenciesFor(actor, policy.EnrolmentNominate)
		if len(mine) == 0 {
			return nil, errs.New(errs.Forbidden, "forbidden")
		}
		var marks []string
		for _, a := range mine {
			marks = append(marks, arg(a))
		}
		where = append(where, "p.agency_id IN ("+strings.Join(marks, ", ")+")")
	}
	if q = strings.TrimSpace(q); q != "" {
		like := arg(db.EscapeLike(q))
		where = append(where, "("+s.db.Dialect.ContainsFold("p.name", like)+" OR p.nip = "+arg(q)+")")
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT p.id, p.name, COALESCE(p.nip, ''), g.name, COALESCE(n.status, '')
		FROM employees p JOIN agencies g ON g.id = p.agency_id
		LEFT JOIN enrolments n ON n.employee_id = p.id AND n.event_id = $1
		WHERE `+strings.Join(where, " AND ")+` ORDER BY p.name, p.id LIMIT `+arg(maxCandidates), args...)
	if err != nil {
		return nil, fmt.Errorf("training: candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.EmployeeID, &c.Name, &c.NIP, &c.Agency, &c.Status); err != nil {
			return nil, fmt.Errorf("training: candidates: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveScores records the test scores of several participants of an event
// at once, all or none; a score out of range is a field error on
// pre_<enrolment id> or post_<enrolment id>.
func (s *Service) SaveScores(ctx context.Context, actor *policy.Actor, eventID int64, scores map[int64]ScoresInput) error {
	var v errs.Validation
	for id, in := range scores {
		if in.PreScore != nil && (*in.PreScore < 0 || *in.PreScore > 100) {
			v.Add(fmt.Sprintf("pre_%d", id), "training.score_range")
		}
		if in.PostScore != nil && (*in.PostScore < 0 || *in.PostScore > 100) {
			v.Add(fmt.Sprintf("post_%d", id), "training.score_range")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		e, err := s.managed(ctx, tx, actor, eventID, true)
		if err != nil {
			return err
		}
		for id, in := range scores {
			res, err := tx.ExecContext(ctx, `UPDATE enrolments SET pre_score = $1, post_score = $2, updated_at = $3
				WHERE id = $4 AND event_id = $5 AND status IN ('enrolled','completed')`,
				in.PreScore, in.PostScore, now(), id, eventID)
			if err != nil {
				return fmt.Errorf("training: scores of %d: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errs.New(errs.Conflict, "training.scores_no_seat")
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "scores", Entity: "event", EntityID: eventID,
			AgencyID: deref(e.AgencyID), After: scores})
	})
}
