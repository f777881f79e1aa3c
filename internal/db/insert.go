package db

import (
	"context"
	"strconv"
	"strings"
)

// insertParams bounds the parameters of one statement of InsertRows. On
// PostgreSQL more rows a statement mean fewer round trips, but SQLite's
// driver binds numbered parameters at a cost that grows with their number
// in the statement. 5,000 rows of five columns (BenchmarkSendToMany): on
// SQLite 121 ms in statements of 400 rows, 28 ms in statements of 51 and
// 31 ms in a statement each; on PostgreSQL 34, 39 and 307 ms.
const insertParams = 256

// InsertRows inserts rows into table ("name (cols)"), many rows a
// statement, each statement followed by suffix (" ON CONFLICT DO NOTHING"):
// many rows cost a few round trips, not one each.
func InsertRows(ctx context.Context, q Querier, table, suffix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	batch := max(1, insertParams/len(rows[0]))
	for len(rows) > 0 {
		n := min(len(rows), batch)
		sqlText, args := valuesSQL(table, rows[:n])
		if _, err := q.ExecContext(ctx, sqlText+suffix, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// valuesSQL builds one multi-row INSERT with numbered placeholders.
func valuesSQL(table string, rows [][]any) (string, []any) {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " VALUES ")
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, row := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, v := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			b.WriteString("$" + strconv.Itoa(len(args)))
		}
		b.WriteByte(')')
	}
	return b.String(), args
}
