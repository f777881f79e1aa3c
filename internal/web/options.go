package web

import (
	"context"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
)

// Choice is one option a select offers (see options).
type Choice interface {
	ChoiceValue() string
	ChoiceLabel() string
}

// Option is a thing a select offers by its id: an agency, an application,
// a team, a person. It is a Choice.
type Option struct {
	ID   int64
	Name string
}

// ChoiceValue implements Choice: the id.
func (o Option) ChoiceValue() string { return strconv.FormatInt(o.ID, 10) }

// ChoiceLabel implements Choice: the name.
func (o Option) ChoiceLabel() string { return o.Name }

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

// options renders the <option>s of a select from list, a slice of Choice,
// marking the one whose value is selected. One call for the whole list,
// for lists of hundreds: ranging over one in a template costs about a
// dozen reflective calls an option, which with a ministry's 276 agencies
// was most of the agents' queue page's time.
func options(selected string, list any) (template.HTML, error) {
	v := reflect.ValueOf(list)
	if v.Kind() != reflect.Slice {
		return "", fmt.Errorf("web: options of %T, not a list", list)
	}
	var b strings.Builder
	for i := range v.Len() {
		c, ok := v.Index(i).Interface().(Choice)
		if !ok {
			return "", fmt.Errorf("web: options of %s, not a web.Choice", v.Index(i).Type())
		}
		value := c.ChoiceValue()
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(value))
		b.WriteByte('"')
		if value == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(c.ChoiceLabel()))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()), nil
}
