package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
)

// tablesTmpl writes a page's tables; the pages' templates are not used for
// them so that a view kept for many readers keeps its tables written too.
var tablesTmpl = template.Must(template.ParseFS(templates, "templates/tables.tmpl"))

// html writes tables as the page shows them: a captioned table each, with
// row headers, the phone layout's labels and the cells' links.
func html(tables []linked) (template.HTML, error) {
	var buf bytes.Buffer
	if err := tablesTmpl.Execute(&buf, tables); err != nil {
		return "", fmt.Errorf("dashboard: tables: %w", err)
	}
	return template.HTML(buf.String()), nil // written by html/template: escaped
}
