package rollup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// key is one figure's day ("" for a state).
type key struct{ figure, day string }

type dayset map[key]struct{}

func (ds dayset) add(figure, day string) { ds[key{figure, day}] = struct{}{} }

// day is a day of the city's calendar.
type day struct {
	label      string // 2026-11-27
	start, end time.Time
}

func (s *Service) dayOf(t time.Time) day {
	l := t.In(s.zone)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, s.zone)
	return day{label: start.Format(time.DateOnly), start: start, end: start.AddDate(0, 0, 1)}
}

func (d day) next() day {
	return day{label: d.end.Format(time.DateOnly), start: d.end, end: d.end.AddDate(0, 0, 1)}
}

func (s *Service) parseDay(label string) (day, error) {
	t, err := time.ParseInLocation(time.DateOnly, label, s.zone)
	if err != nil {
		return day{}, fmt.Errorf("day %q: %w", label, err)
	}
	return s.dayOf(t), nil
}

// Day is the label of the city's day t falls in, as rollup_days keeps it.
func (s *Service) Day(t time.Time) string { return s.dayOf(t).label }

// claim deletes the marks this run can see and answers the days they
// stand for: an hour's mark the days the hour overlaps (two in a zone
// off the hour), a person's or account's the days of every record of
// theirs that a figure counts by its author.
func (s *Service) claim(ctx context.Context, tx *sql.Tx) (dayset, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM rollup_dirty RETURNING figure, ref`)
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	days := dayset{}
	var employees, accounts []int64
	seen := map[key]bool{}
	for rows.Next() {
		var figure string
		var ref int64
		if err := rows.Scan(&figure, &ref); err != nil {
			rows.Close()
			return nil, fmt.Errorf("marks: %w", err)
		}
		k := key{figure, fmt.Sprint(ref)}
		if seen[k] {
			continue
		}
		seen[k] = true
		switch figure {
		case "employee":
			employees = append(employees, ref)
		case "account":
			accounts = append(accounts, ref)
		case People:
			days.add(People, "")
		default:
			if _, ok := byName[figure]; !ok {
				continue // a mark of a figure no longer kept
			}
			h := time.Unix(ref*3600, 0)
			days.add(figure, s.Day(h))
			days.add(figure, s.Day(h.Add(time.Hour-time.Second)))
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	if len(employees) > 0 {
		days.add(People, "")
		err := chunks(employees, func(in string, args []any) error {
			more, err := db.IDs(ctx, tx, `SELECT id FROM accounts WHERE employee_id IN (`+in+`)`, args...)
			accounts = append(accounts, more...)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("marks: accounts: %w", err)
		}
	}
	for _, q := range []struct {
		figure, query string
		ids           []int64
	}{
		{JP, `SELECT completed_at FROM learning_records WHERE employee_id IN (%s)`, employees},
		{Self, `SELECT viewed_at FROM search_self_service WHERE account_id IN (%s)`, accounts},
		{Answers, `SELECT p.created_at FROM posts p JOIN threads t ON t.accepted_post_id = p.id
			WHERE p.author_account_id IN (%s)`, accounts},
		{Articles, `SELECT ev.created_at FROM articles a JOIN article_events ev ON ev.article_id = a.id
			AND ev.to_status = 'published' WHERE a.author_account_id IN (%s)`, accounts},
	} {
		if err := s.daysOf(ctx, tx, days, q.figure, q.query, q.ids); err != nil {
			return nil, err
		}
	}
	return days, nil
}

// daysOf adds figure's days of the moments query selects for ids.
func (s *Service) daysOf(ctx context.Context, tx *sql.Tx, days dayset, figure, query string, ids []int64) error {
	return chunks(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(query, in), args...)
		if err != nil {
			return fmt.Errorf("marks: %s: %w", figure, err)
		}
		defer rows.Close()
		for rows.Next() {
			var t time.Time
			if err := rows.Scan(&t); err != nil {
				return fmt.Errorf("marks: %s: %w", figure, err)
			}
			days.add(figure, s.Day(t))
		}
		return rows.Err()
	})
}

// chunks calls fn with an IN list of each 500 of ids.
func chunks(ids []int64, fn func(in string, args []any) error) error {
	for len(ids) > 0 {
		part := ids[:min(500, len(ids))]
		ids = ids[len(part):]
		in, args := db.InList(part)
		if err := fn(in, args); err != nil {
			return err
		}
	}
	return nil
}
