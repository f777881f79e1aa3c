package impact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/errs"
)

// Agency names an agency a city reader may narrow the list to.
type Agency struct {
	ID   int64
	Name string
}

// Agencies lists the agencies by name.
func (s *Service) Agencies(ctx context.Context) ([]Agency, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name FROM agencies ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("impact: agencies: %w", err)
	}
	defer rows.Close()
	var out []Agency
	for rows.Next() {
		var a Agency
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, fmt.Errorf("impact: agencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgencyName names one agency.
func (s *Service) AgencyName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.R.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return "", fmt.Errorf("impact: agency %d: %w", id, err)
	}
	return name, nil
}
