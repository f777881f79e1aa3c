package web

import (
	"net/url"
	"os/exec"
	"testing"
	"time"
)

type sample struct {
	ID      int64      `json:"id"`
	Name    string     `json:"name"`
	Email   *string    `json:"email"`
	Tags    []string   `json:"tags,omitempty"`
	At      time.Time  `json:"at"`
	Secret  string     `json:"-"`
	Ended   *time.Time `json:"ended_on"`
	private int        //lint:ignore U1000 an unexported field, which the schema must leave out
}

func TestOpenAPISchemas(t *testing.T) {
	doc := buildOpenAPI([]Op{
		{Method: "GET", Path: "/api/v1/samples/{id}", ID: "getSample", Response: sample{}},
		{Method: "GET", Path: "/api/v1/samples", ID: "listSamples", Response: sample{}, List: true, Query: PageParams},
		{Method: "POST", Path: "/api/v1/errors", ID: "a", Body: url.Error{}, Response: exec.Error{}, Status: 201},
	})
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	s := schemas["sample"].(map[string]any)
	props := s["properties"].(map[string]any)
	if _, ok := props["Secret"]; ok {
		t.Error(`a json:"-" field is documented`)
	}
	if got := props["email"].(map[string]any)["type"]; len(got.([]string)) != 2 {
		t.Errorf("a pointer field is not nullable: %v", got)
	}
	if got := props["at"].(map[string]any)["format"]; got != "date-time" {
		t.Errorf("time.Time documented as %v", got)
	}
	required := s["required"].([]string)
	for _, r := range required {
		if r == "tags" {
			t.Error("an omitempty field is required")
		}
	}
	_, plain := schemas["Error"]
	_, qualified := schemas["url.Error"]
	if !plain || !qualified {
		t.Errorf("two types named Error from different packages share one schema: %v", schemas)
	}
	paths := doc["paths"].(map[string]map[string]any)
	get := paths["/api/v1/samples/{id}"]["get"].(map[string]any)
	if p := get["parameters"].([]any)[0].(map[string]any); p["name"] != "id" || p["in"] != "path" {
		t.Errorf("path parameter: %v", p)
	}
	post := paths["/api/v1/errors"]["post"].(map[string]any)
	if _, ok := post["responses"].(map[string]any)["201"]; !ok {
		t.Error("the success status is not 201")
	}
}
