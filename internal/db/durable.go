package db

import (
	"context"
	"fmt"
)

// DurabilityWarnings names the settings of the database under which a
// write Lontara acknowledged could still be lost: not by Lontara's process
// dying (a commit is answered only once the engine has it), but by a crash
// of PostgreSQL or of the machine. Lontara answers after the commit
// returns; with PostgreSQL's synchronous_commit off the commit returns
// before its WAL is flushed, and with fsync or full_page_writes off a
// machine's crash can lose or tear what was flushed. `serve` logs each at
// start rather than refusing: an operator may choose the speed knowingly
// (the tests' throwaway PostgreSQL does), but should not run so unaware.
// On SQLite it checks the writer's synchronous setting (FULL, see
// sqlitePragmas), which nothing should lower.
func (d *DB) DurabilityWarnings(ctx context.Context) ([]string, error) {
	if d.Engine() == SQLite {
		var level int
		if err := d.W.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
			return nil, fmt.Errorf("db: synchronous: %w", err)
		}
		if level < 2 {
			return []string{fmt.Sprintf("SQLite synchronous=%d: a power cut can lose the last acknowledged writes (want 2, FULL)", level)}, nil
		}
		return nil, nil
	}
	rows, err := d.W.QueryContext(ctx, `SELECT name, setting FROM pg_settings
		WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit') ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("db: durability settings: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, setting string
		if err := rows.Scan(&name, &setting); err != nil {
			return nil, fmt.Errorf("db: durability settings: %w", err)
		}
		if setting == "off" {
			out = append(out, fmt.Sprintf("PostgreSQL %s=off: a crash of PostgreSQL or of its machine can lose acknowledged writes", name))
		}
	}
	return out, rows.Err()
}
