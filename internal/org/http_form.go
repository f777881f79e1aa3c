package org

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/web"
)

// form fills a form page: after a failed POST with what was submitted
// (View.Form), on the first visit with the record's current values.
type form struct{ Initial url.Values }

// Val returns the value to show in the field name.
func (f form) Val(v *web.View, name string) string {
	if v.Form != nil {
		return v.Form.Get(name)
	}
	return f.Initial.Get(name)
}

// field is one text input as the "text" template of a form page draws it:
// label, hint and error already translated, ids to link them.
type field struct {
	Name, Type, Label, Hint, Err, Value, Optional, Describe string
	Required                                                bool
}

// fieldHints are the hints shown under some fields, as i18n keys.
var fieldHints = map[string]string{
	"nip":           "org.hint.nip",
	"phone":         "org.hint.phone",
	"code":          "org.hint.code",
	"unit_name":     "org.hint.unit_name",
	"position_name": "org.hint.position_name",
	"rank":          "org.hint.rank",
	"decree":        "org.hint.decree",
	"ended_on":      "org.hint.today",
	"effective_on":  "org.hint.today",
}

// Field describes the input name of type typ ("text", "email", "tel",
// "date"); the label is the i18n key org.field.<name>.
func (f form) Field(v *web.View, name, typ string, required bool) field {
	fd := field{Name: name, Type: typ, Label: v.T("org.field." + name), Err: v.Err(name),
		Value: f.Val(v, name), Required: required, Optional: v.T("form.optional")}
	var ids []string
	if key, ok := fieldHints[name]; ok {
		fd.Hint = v.T(key)
		ids = append(ids, "h-"+name)
	}
	if fd.Err != "" {
		ids = append(ids, "e-"+name)
	}
	fd.Describe = strings.Join(ids, " ")
	return fd
}

// formID reads an optional id from a form value: nil when empty, a field
// error when it is not a positive number.
func formID(vals url.Values, name string) (*int64, error) {
	s := strings.TrimSpace(vals.Get(name))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return nil, errs.FieldErr(name, "number")
	}
	return &n, nil
}

// formDate reads an optional date (the yyyy-mm-dd a date input sends):
// the zero time when empty, a field error when it is not a date.
func formDate(vals url.Values, name string) (time.Time, error) {
	s := strings.TrimSpace(vals.Get(name))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errs.FieldErr(name, "org.date_format")
	}
	if t.IsZero() { // 0001-01-01 would read as "no date given", meaning today
		return time.Time{}, errs.FieldErr(name, "date.range")
	}
	return t, nil
}

func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}
