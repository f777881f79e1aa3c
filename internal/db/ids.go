package db

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// IDs runs a query of one integer column (account ids, say) and returns
// the values in the order the query gives them, never nil.
func IDs(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: ids: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("db: ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: ids: %w", err)
	}
	return ids, nil
}

// InList returns "$1, $2, …" for an IN list of values (ids, emails,
// period labels) and the values as arguments. Callers pass a bounded set
// (a page, the agencies of a city), well under either engine's limit on
// parameters.
func InList[T any](values []T) (string, []any) { return InListFrom(1, values) }

// InListFrom is InList for a query whose other parameters come first: the
// list's placeholders start at $first.
func InListFrom[T any](first int, values []T) (string, []any) {
	marks := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		marks[i], args[i] = "$"+strconv.Itoa(first+i), v
	}
	return strings.Join(marks, ", "), args
}
