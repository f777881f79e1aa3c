package competency

import (
	"context"

	"github.com/lontara-id/lontara/internal/db"
)

// accountIndex maps the active accounts of the people in scope to the
// people's indexes: an idIndex over account ids whose answer is the
// person's index.
func (w *gapWorld) accountIndex(ctx context.Context, rd db.Querier) (idIndex, error) {
	rows, err := rd.QueryContext(ctx, `SELECT id, employee_id FROM accounts WHERE active = TRUE ORDER BY id`)
	if err != nil {
		return idIndex{}, err
	}
	defer rows.Close()
	var ids []int64
	var people []int32
	for rows.Next() {
		var id, emp int64
		if err := rows.Scan(&id, &emp); err != nil {
			return idIndex{}, err
		}
		if e := w.index.of(emp); e >= 0 {
			ids = append(ids, id)
			people = append(people, int32(e))
		}
	}
	x := newIDIndex(ids)
	x.values = people
	return x, rows.Err()
}

// idIndex finds a person's position in the ascending ids: a direct table
// when the ids are dense (as they are: people are numbered as they are
// added), else a binary search.
type idIndex struct {
	ids   []int64
	first int64
	table []int32
	// values, when set, is what of answers for each id instead of its
	// index.
	values []int32
}

func newIDIndex(ids []int64) idIndex {
	x := idIndex{ids: ids}
	if len(ids) == 0 {
		return x
	}
	x.first = ids[0]
	if span := ids[len(ids)-1] - ids[0] + 1; span <= int64(4*len(ids)+1024) {
		x.table = make([]int32, span)
		for i := range x.table {
			x.table[i] = -1
		}
		for i, id := range ids {
			x.table[id-x.first] = int32(i)
		}
	}
	return x
}

// of returns the index of id (or its value), -1 when it is not in scope.
func (x idIndex) of(id int64) int {
	i := x.position(id)
	if i < 0 || x.values == nil {
		return i
	}
	return int(x.values[i])
}

func (x idIndex) position(id int64) int {
	if x.table != nil {
		if id < x.first || id-x.first >= int64(len(x.table)) {
			return -1
		}
		return int(x.table[id-x.first])
	}
	lo, hi := 0, len(x.ids)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case x.ids[m] == id:
			return m
		case x.ids[m] < id:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}
