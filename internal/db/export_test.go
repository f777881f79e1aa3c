package db

import "context"

// MigrateTo applies the pending migrations up to and including version
// last, so a test can hold data as an older Lontara wrote it.
func (d *DB) MigrateTo(ctx context.Context, last int) ([]string, error) { return d.migrate(ctx, last) }
