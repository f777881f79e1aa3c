package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// MaxMembers bounds the people one recognition names.
const MaxMembers = 50

// Recognition is a leader's public thanks to a person or a team.
type Recognition struct {
	ID         int64     `json:"id"`
	AgencyID   int64     `json:"agency_id"`
	AgencyName string    `json:"agency_name,omitempty"`
	Team       string    `json:"team"`
	Members    []Member  `json:"members"`
	Reason     string    `json:"reason"`
	Period     string    `json:"period"`
	GivenBy    string    `json:"given_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Member is a person a recognition names.
type Member struct {
	EmployeeID int64  `json:"employee_id"`
	Name       string `json:"name"`
}

// RecognitionInput is a recognition to give: a team's name (or none, for
// one person) and the people recognized.
type RecognitionInput struct {
	AgencyID  int64   `json:"agency_id"`
	Team      string  `json:"team,omitempty"`
	MemberIDs []int64 `json:"member_ids"`
	Reason    string  `json:"reason"`
	Period    string  `json:"period"`
}

// Recognize gives a recognition; the people named are told. A leader of
// an agency recognizes its people; the executive anyone in the city.
func (s *Service) Recognize(ctx context.Context, actor *policy.Actor, in RecognitionInput) (Recognition, error) {
	if err := policy.Check(actor, policy.RecognitionGive, policy.Target{AgencyID: in.AgencyID}); err != nil {
		return Recognition{}, err
	}
	var v errs.Validation
	in.Team = strings.TrimSpace(in.Team)
	text(&v, "team", in.Team, len(in.MemberIDs) > 1, 200)
	text(&v, "reason", in.Reason, true, 2000)
	if p, err := period.Parse(in.Period, s.zone); err != nil {
		v.Add("period", "period.invalid")
	} else {
		in.Period = p.Label
	}
	slices.Sort(in.MemberIDs)
	in.MemberIDs = slices.Compact(in.MemberIDs)
	switch {
	case len(in.MemberIDs) == 0:
		v.Add("member_ids", "required")
	case len(in.MemberIDs) > MaxMembers:
		v.Add("member_ids", "leadership.too_many", MaxMembers)
	}
	if err := v.Err(); err != nil {
		return Recognition{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := agencyExists(ctx, tx, "agency_id", in.AgencyID); err != nil {
			return err
		}
		in2, args := db.InList(in.MemberIDs)
		cond := ""
		if in.AgencyID != 0 {
			args = append(args, in.AgencyID)
			cond = fmt.Sprintf(" AND agency_id = $%d", len(args))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM employees WHERE active AND id IN (`+in2+`)`+cond,
			args...).Scan(&n); err != nil {
			return err
		}
		if n != len(in.MemberIDs) {
			return errs.FieldErr("member_ids", "leadership.member_unknown")
		}
		at := now()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO recognitions (agency_id, team, reason, period, given_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, nullID(in.AgencyID), in.Team, in.Reason, in.Period,
			actor.AccountID, at)
		if err != nil {
			return fmt.Errorf("leadership: recognize: %w", err)
		}
		for _, m := range in.MemberIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recognition_members (recognition_id, employee_id)
				VALUES ($1, $2)`, id, m); err != nil {
				return fmt.Errorf("leadership: member of %d: %w", id, err)
			}
			if err := tellAssignee(ctx, tx, m, "recognition", []string{in.Reason}, "/pimpinan/apresiasi"); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "recognition", EntityID: id,
			AgencyID: in.AgencyID, After: in})
	})
	if err != nil {
		return Recognition{}, err
	}
	list, _, err := s.Recognitions(ctx, actor, RecognitionFilter{ID: id}, db.Page{Limit: 1})
	if err != nil || len(list) == 0 {
		return Recognition{}, err
	}
	return list[0], nil
}

// RecognitionFilter narrows the wall.
type RecognitionFilter struct {
	ID         int64
	AgencyID   *int64
	EmployeeID int64
	Period     string
}

// Recognitions is the public wall, newest first: everyone signed in reads it.
func (s *Service) Recognitions(ctx context.Context, actor *policy.Actor, f RecognitionFilter, p db.Page) ([]Recognition, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.ID != 0 {
		where = append(where, "r.id = "+arg(f.ID))
	}
	if f.AgencyID != nil {
		where = append(where, "COALESCE(r.agency_id, 0) = "+arg(*f.AgencyID))
	}
	if f.EmployeeID != 0 {
		where = append(where, "r.id IN (SELECT recognition_id FROM recognition_members WHERE employee_id = "+arg(f.EmployeeID)+")")
	}
	if f.Period != "" {
		pp, err := period.Parse(f.Period, s.zone)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "r.period = "+arg(pp.Label))
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		where = append(where, "r.id < "+arg(after))
	}
	query := `SELECT r.id, r.agency_id, COALESCE(g.name, ''), r.team, r.reason, r.period, COALESCE(e.name, ''), r.created_at
		FROM recognitions r LEFT JOIN agencies g ON g.id = r.agency_id
		JOIN accounts a ON a.id = r.given_by LEFT JOIN employees e ON e.id = a.employee_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY r.id DESC LIMIT %d", p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("leadership: recognitions: %w", err)
	}
	var out []Recognition
	for rows.Next() {
		var r Recognition
		var agency sql.NullInt64
		if err := rows.Scan(&r.ID, &agency, &r.AgencyName, &r.Team, &r.Reason, &r.Period, &r.GivenBy, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("leadership: recognitions: %w", err)
		}
		r.AgencyID, r.CreatedAt, r.Members = idOf(agency), r.CreatedAt.UTC(), []Member{}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > p.Size() {
		out = out[:p.Size()]
		next = db.Cursor(out[len(out)-1].ID)
	}
	return out, next, members(ctx, s.db.R, out)
}

func members(ctx context.Context, q db.Querier, list []Recognition) error {
	if len(list) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(list))
	for i, r := range list {
		at[r.ID], ids[i] = i, r.ID
	}
	in, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT m.recognition_id, e.id, e.name FROM recognition_members m
		JOIN employees e ON e.id = m.employee_id WHERE m.recognition_id IN (`+in+`) ORDER BY m.recognition_id, e.name`, args...)
	if err != nil {
		return fmt.Errorf("leadership: members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m Member
		if err := rows.Scan(&id, &m.EmployeeID, &m.Name); err != nil {
			return err
		}
		list[at[id]].Members = append(list[at[id]].Members, m)
	}
	return rows.Err()
}
