package web

import (
	"net/http"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Op describes one API endpoint for the OpenAPI document. The document is
// built from the same table the routes are registered from, so an endpoint
// cannot exist undocumented; TestOpenAPIMatchesHandlers checks that what the
// handlers answer matches the schemas.
type Op struct {
	Method   string // GET, POST, PATCH, …
	Path     string // /api/v1/employees/{id}
	ID       string // operationId
	Summary  string
	Tag      string
	Query    []Param // query parameters
	Body     any     // a value of the request body's type; nil for none
	Patch    bool    // the body is a JSON merge patch of Body's type
	Response any     // a value of the response's type
	List     bool    // the response is {"items": [Response…], "next": …}
	Status   int     // the success status; 200 if zero
	Public   bool    // answers without a token or a session (a certificate's verification)
}

// Param is a query parameter.
type Param struct {
	Name        string
	Type        string // integer, string or boolean
	Description string
}

// PageParams are the parameters every list takes.
var PageParams = []Param{
	{Name: "limit", Type: "integer", Description: "items per page, 1–500 (default 50)"},
	{Name: "cursor", Type: "string", Description: "the `next` value of the previous page"},
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.1 document of every registered API route.
func (s *Server) OpenAPI() map[string]any {
	s.openapiOnce.Do(func() { s.openapiDoc = buildOpenAPI(s.ops) })
	return s.openapiDoc
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	WriteJSON(w, http.StatusOK, s.OpenAPI())
}

func buildOpenAPI(ops []Op) map[string]any {
	g := &schemaGen{components: map[string]any{}, types: map[string]reflect.Type{}}
	paths := map[string]map[string]any{}
	for _, op := range ops {
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = g.operation(op)
	}
	g.schema(reflect.TypeOf(Problem{}))
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Lontara API",
			"version":     "1",
			"description": "The JSON API of Lontara. Authenticate with `Authorization: Bearer <token>` (create one with `lontara token create`). Errors are application/problem+json with an `errors` member naming the offending fields. Lists answer {\"items\": [...], \"next\": cursor or null}.",
		},
		"servers":    []any{map[string]any{"url": "/"}},
		"security":   []any{map[string]any{"bearer": []any{}}},
		"paths":      paths,
		"components": map[string]any{"schemas": g.components, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
	}
}

func (g *schemaGen) operation(op Op) map[string]any {
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		typ := "string"
		if m[1] == "id" || strings.HasSuffix(m[1], "_id") {
			typ = "integer"
		}
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": typ}})
	}
	for _, p := range op.Query {
		params = append(params, map[string]any{"name": p.Name, "in": "query", "description": p.Description, "schema": map[string]any{"type": p.Type}})
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	resp := g.schema(reflect.TypeOf(op.Response))
	if op.List {
		resp = map[string]any{"type": "object", "required": []string{"items", "next"}, "properties": map[string]any{
			"items": map[string]any{"type": "array", "items": resp},
			"next":  map[string]any{"type": []string{"string", "null"}},
		}}
	}
	problem := map[string]any{"description": "error", "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	out := map[string]any{
		"operationId": op.ID,
		"summary":     op.Summary,
		"tags":        []string{op.Tag},
		"responses": map[string]any{
			itoa(status): map[string]any{"description": "success", "content": map[string]any{"application/json": map[string]any{"schema": resp}}},
			"default":    problem,
		},
	}
	if params != nil {
		out["parameters"] = params
	}
	if op.Public {
		out["security"] = []any{}
	}
	if op.Body != nil {
		ct := "application/json"
		if op.Patch {
			ct = "application/merge-patch+json"
		}
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": g.schema(reflect.TypeOf(op.Body))}}}
	}
	return out
}

// schemaGen turns Go types into JSON Schemas, following encoding/json's rules
// for field names, omitempty and pointers (nullable).
type schemaGen struct {
	components map[string]any
	types      map[string]reflect.Type
}

var timeType = reflect.TypeOf(time.Time{})

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	if t == nil {
		return map[string]any{}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		s := g.schema(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
			return s
		}
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if name == "" || strings.Contains(name, "[") {
			return g.object(t)
		}
		if other, ok := g.types[name]; ok && other != t {
			// Two packages with a type of the same name (apps.Operator and
			// another Operator): qualify the later one with its package.
			name = path.Base(t.PkgPath()) + "." + name
		}
		g.types[name] = t
		if _, ok := g.components[name]; !ok {
			g.components[name] = map[string]any{} // placeholder against recursion
			g.components[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Interface:
		return map[string]any{}
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = g.schema(f.Type)
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	sort.Strings(required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
