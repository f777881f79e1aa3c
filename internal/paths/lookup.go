package paths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
)

// Activities lists the learning activities in service that can be steps
// of a path, by title.
func (s *Service) Activities(ctx context.Context) ([]Step, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, kind, title, jp FROM activities WHERE retired_at IS NULL
		ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("paths: activities: %w", err)
	}
	defer rows.Close()
	var list []Step
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.ActivityID, &st.Kind, &st.Title, &st.JP); err != nil {
			return nil, fmt.Errorf("paths: activities: %w", err)
		}
		list = append(list, st)
	}
	return list, rows.Err()
}

// FindPerson finds the person in service a form names by NIP or email;
// field "person" says when no one matches.
func (s *Service) FindPerson(ctx context.Context, key string) (int64, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0, errs.FieldErr("person", "required")
	}
	var id int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id FROM employees WHERE active AND (nip = $1 OR LOWER(email) = LOWER($1))
		ORDER BY id LIMIT 1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.FieldErr("person", "paths.person_unknown")
	}
	if err != nil {
		return 0, fmt.Errorf("paths: find person: %w", err)
	}
	return id, nil
}
