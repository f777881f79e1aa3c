package web

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
)

// Option is a thing a select offers by its id: an agency, an application,
// a team, a person (see options).
type Option struct {
	ID   int64
	Name string
}

// ReadOptions reads the options a query selects as id and name, in its
// order.
func ReadOptions(ctx context.Context, q db.Querier, query string, args ...any) ([]Option, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("web: options: %w", err)
	}
	defer rows.Close()
	opts := []Option{}
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, fmt.Errorf("web: options: %w", err)
		}
		opts = append(opts, o)
	}
	return opts, rows.Err()
}

// options renders the <option>s of a select from list, marking the one
// whose id is selected. One call for the whole list, for lists of
// hundreds: ranging over one in a template costs about a dozen reflective
// calls an option, which with a ministry's 276 agencies was most of the
// agents' queue page's time.
func options(selected string, list []Option) template.HTML {
	var b strings.Builder
	for _, o := range list {
		value := strconv.FormatInt(o.ID, 10)
		b.WriteString(`<option value="` + value + `"`)
		if value == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(o.Name))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}
