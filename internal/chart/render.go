package chart

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sync/atomic"
)

//go:embed templates/chart.html
var files embed.FS

var tmpl = template.Must(template.ParseFS(files, "templates/chart.html"))

// ids numbers the charts of a process, so that the ids tying each
// chart's title and description to it are unique on any page.
var ids atomic.Uint64

// HTML renders b as inline SVG with its hidden table.
func (b Bars) HTML() (template.HTML, error) { return render("bars", b.layout()) }

// HTML renders l as inline SVG with its hidden table.
func (l Line) HTML() (template.HTML, error) { return render("line", l.layout()) }

func render(name string, v any) (template.HTML, error) {
	var buf bytes.Buffer
	data := struct {
		ID string
		W  string
		V  any
	}{fmt.Sprintf("chart-%d", ids.Add(1)), num(Width), v}
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("chart %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil // written by html/template: escaped
}
