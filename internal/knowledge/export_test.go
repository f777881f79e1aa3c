package knowledge

import (
	"context"
	"database/sql"
)

// SetBeforeWrite makes fn run in every edit's transaction between its read
// and its write, to stand in for another save landing there.
func (s *Service) SetBeforeWrite(fn func(ctx context.Context, tx *sql.Tx) error) { s.beforeWrite = fn }
