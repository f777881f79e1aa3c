package impact

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Finished is a finished event in the list of those whose impact can be
// read.
type Finished struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	FinishedAt time.Time `json:"finished_at"`
	Completed  int       `json:"completed"` // in the reader's scope
	Apps       string    `json:"apps"`      // the applications taught, by name
}

// List returns a page of the finished events (newest first) that people of
// the actor's scope (see Scope) completed, with how many did.
func (s *Service) List(ctx context.Context, actor *policy.Actor, agencyID int64, p db.Page) ([]Finished, string, error) {
	scope, err := s.scope(ctx, actor, agencyID)
	if err != nil {
		return nil, "", err
	}
	var after int64
	if p.After != "" {
		if after, err = strconv.ParseInt(p.After, 10, 64); err != nil || after < 1 {
			return nil, "", errs.FieldErr("cursor", "cursor")
		}
	}
	args := []any{scope, p.Size() + 1}
	cond := ""
	if after > 0 {
		cond = " AND v.id < $3"
		args = append(args, after)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT v.id, v.title, v.kind, v.starts_at, v.ends_at, v.finished_at,
		(SELECT count(*) FROM enrolments n JOIN employees e ON e.id = n.employee_id
			WHERE n.event_id = v.id AND n.status = 'completed' AND (CAST($1 AS BIGINT) = 0 OR e.agency_id = CAST($1 AS BIGINT))) AS done
		FROM events v WHERE v.finished_at IS NOT NULL AND v.cancelled_at IS NULL`+cond+`
		AND (CAST($1 AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM enrolments n JOIN employees e ON e.id = n.employee_id
			WHERE n.event_id = v.id AND n.status = 'completed' AND e.agency_id = CAST($1 AS BIGINT)))
		ORDER BY v.id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("impact: list: %w", err)
	}
	defer rows.Close()
	var out []Finished
	for rows.Next() {
		var f Finished
		if err := rows.Scan(&f.ID, &f.Title, &f.Kind, &f.StartsAt, &f.EndsAt, &f.FinishedAt, &f.Completed); err != nil {
			return nil, "", fmt.Errorf("impact: list: %w", err)
		}
		f.StartsAt, f.EndsAt, f.FinishedAt = f.StartsAt.UTC(), f.EndsAt.UTC(), f.FinishedAt.UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("impact: list: %w", err)
	}
	next := ""
	if len(out) > p.Size() {
		out = out[:p.Size()]
		next = strconv.FormatInt(out[len(out)-1].ID, 10)
	}
	return out, next, appNames(ctx, s.db.R, out)
}

// appNames fills in the applications each event taught, in one query.
func appNames(ctx context.Context, q db.Querier, list []Finished) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for i, f := range list {
		ids[i], at[f.ID] = f.ID, i
	}
	marks, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT ec.event_id, a.name FROM event_competencies ec
		JOIN competencies c ON c.id = ec.competency_id JOIN apps a ON a.id = c.app_id
		WHERE ec.event_id IN (`+marks+`) ORDER BY a.name`, args...)
	if err != nil {
		return fmt.Errorf("impact: list apps: %w", err)
	}
	defer rows.Close()
	names := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("impact: list apps: %w", err)
		}
		names[id] = append(names[id], name)
	}
	for id, n := range names {
		list[at[id]].Apps = strings.Join(n, ", ")
	}
	return rows.Err()
}
