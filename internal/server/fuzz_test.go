package server_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/web"
)

// bodyOp is an API operation that takes a JSON body, from the OpenAPI
// document: the fuzz input picks one by its index in this sorted list.
type bodyOp struct {
	method, path, contentType string
}

// bodyOps lists the operations of h's OpenAPI document that take a body,
// sorted, with every path parameter set to 1 (the first agency, person,
// account… the harness creates).
func bodyOps(t testing.TB, h *servertest.Harness, token string) []bodyOp {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	h.Do(t, "GET", "/api/v1/openapi.json", token, nil, "").JSON(t, &doc)
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	var ops []bodyOp
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.RequestBody == nil {
				continue
			}
			for ct := range op.RequestBody.Content {
				ops = append(ops, bodyOp{strings.ToUpper(method), param.ReplaceAllString(path, "1"), ct})
			}
		}
	}
	if len(ops) == 0 {
		t.Fatal("the OpenAPI document has no operation with a body")
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}

// FuzzAPIBody sends any body to any API operation that takes one, as the
// superadmin, on each engine: the answer is never a 5xx, and a refusal is
// a 4xx application/problem+json naming what was wrong, without a stack
// trace. What is accepted is the API's ordinary business (2xx).
func FuzzAPIBody(f *testing.F) {
	type target struct {
		h     *servertest.Harness
		token string
		ops   []bodyOp
	}
	var targets []target
	for _, d := range dbtest.Both(f) {
		h := servertest.Start(f, d)
		h.Agency(f, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.User(f, "admin@makassarkota.go.id", "Andi Admin", policy.Superadmin, "KOMINFO")
		token := h.Token(f, "admin@makassarkota.go.id")
		targets = append(targets, target{h, token, bodyOps(f, h, token)})
	}
	for i := range targets[0].ops {
		for _, body := range []string{"{}", "null", `{"name":"a\u0000b"}`} {
			f.Add(uint16(i), []byte(body))
		}
	}
	for _, body := range []string{
		`{"subject":"Printer rusak","body":"Printer di loket 2 macet sejak pagi.","category":"hardware"}`,
		`{"agency_id":1,"name":"Nur'aini Dottoro'ta","nip":"199001012015022002","employment_type":"pns","email":"nur@makassarkota.go.id"}`,
		`{"code":"DINKES","name":"Dinas Kesehatan","type":"dinas","parent_id":1}`, `{"name":"token ci","expires_at":"2027-01-01T00:00:00Z"}`,
		"{\"name\":\"\xff\"}", `[1,2]`, `{"a":1}{"b":2}`, `{"agency_id":"1"}`, `{"agency_id":1e400}`,
	} {
		f.Add(uint16(0), []byte(body))
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		for _, tg := range targets {
			op := tg.ops[int(which)%len(tg.ops)]
			r := tg.h.Do(t, op.method, op.path, tg.token, body, op.contentType)
			switch {
			case r.Status >= 500:
				t.Fatalf("%s %s %q: %d %s", op.method, op.path, body, r.Status, r.Body)
			case strings.Contains(string(r.Body), "goroutine ") || strings.Contains(string(r.Body), ".go:"):
				t.Fatalf("%s %s %q: a stack trace in %s", op.method, op.path, body, r.Body)
			case r.Status >= 400:
				var p web.Problem
				if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" || json.Unmarshal(r.Body, &p) != nil ||
					p.Status != r.Status || p.Title == "" {
					t.Fatalf("%s %s %q: %d %s %s, not a problem", op.method, op.path, body, r.Status, ct, r.Body)
				}
			}
		}
	})
}
