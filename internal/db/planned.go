package db

import "github.com/jackc/pgx/v5"

// Planned returns a statement's arguments so that PostgreSQL plans the
// statement for these very values, every time it runs. pgx otherwise
// prepares each statement once per connection, and after five runs
// PostgreSQL may keep a generic plan, made without the values. Where the
// best plan depends on how many rows a value selects, that plan can cost
// many times the planned one: a search's words (a generic plan once read
// every document the searcher may see), a year of the JP ledger (the
// generic plan guessed 6,000 of 736,000 records and hashed them all: 680
// against 290 ms at ministry scale). The unnamed statement of
// QueryExecModeExec is planned with its values, in the same one round trip,
// at the cost of planning each time: use it for statements whose planning
// is small beside their run. Its values go as text, each of the type
// PostgreSQL infers for its place in the statement, and must read as
// such: 10.88 for an integer parameter is refused (a prepared statement
// would have cut it to 10). SQLite plans alike whatever the values.
func (d *DB) Planned(args ...any) []any {
	if d.Engine() != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}
