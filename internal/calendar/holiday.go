package calendar

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// DateLayout is how a holiday's date is written: in the API, in forms and
// in the database (as text, so both engines store the same value).
const DateLayout = "2006-01-02"

// Holiday is a day off for the whole city: a national holiday or cuti
// bersama.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}

// Day is the holiday's date at midnight UTC, as New takes it.
func (h Holiday) Day() time.Time {
	d, _ := time.Parse(DateLayout, h.Date)
	return d
}

// Holidays lists the holidays on or after since (all of them when since is
// zero), earliest first.
func Holidays(ctx context.Context, q db.Querier, since time.Time) ([]Holiday, error) {
	rows, err := q.QueryContext(ctx, `SELECT day, name FROM holidays WHERE day >= $1 ORDER BY day`,
		since.Format(DateLayout))
	if err != nil {
		return nil, fmt.Errorf("calendar: holidays: %w", err)
	}
	defer rows.Close()
	list := []Holiday{}
	for rows.Next() {
		var day time.Time
		var h Holiday
		if err := rows.Scan(&day, &h.Name); err != nil {
			return nil, fmt.Errorf("calendar: holidays: %w", err)
		}
		h.Date = day.UTC().Format(DateLayout)
		list = append(list, h)
	}
	return list, rows.Err()
}

// Days returns the dates of holidays, as New takes them.
func Days(list []Holiday) []time.Time {
	days := make([]time.Time, len(list))
	for i, h := range list {
		days[i] = h.Day()
	}
	return days
}

// InsertHoliday stores a holiday; a date already taken is the engine's
// unique violation on holidays.day.
func InsertHoliday(ctx context.Context, q db.Querier, h Holiday) error {
	_, err := q.ExecContext(ctx, `INSERT INTO holidays (day, name) VALUES ($1, $2)`, h.Date, h.Name)
	return err
}

// DeleteHoliday removes the holiday of a date and returns it; ok=false when
// there was none.
func DeleteHoliday(ctx context.Context, q db.Querier, date string) (h Holiday, ok bool, err error) {
	var day time.Time
	err = q.QueryRowContext(ctx, `SELECT day, name FROM holidays WHERE day = $1`, date).Scan(&day, &h.Name)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Holiday{}, false, nil
		}
		return Holiday{}, false, fmt.Errorf("calendar: holiday %s: %w", date, err)
	}
	h.Date = day.UTC().Format(DateLayout)
	if _, err := q.ExecContext(ctx, `DELETE FROM holidays WHERE day = $1`, date); err != nil {
		return Holiday{}, false, fmt.Errorf("calendar: delete holiday %s: %w", date, err)
	}
	return h, true, nil
}
